"""Compare audio-I/O libraries for the engine's bridge: PortAudio (sounddevice), PulseAudio through soundcard,
and PulseAudio through libpulse directly (pulse: soundcard's method without numpy/cffi).

Each backend plays into the ``headset`` null sink and records its monitor, so what is played comes back
as input: a loop through the real sound server. A feeder thread stands in for pjmedia's clock, queueing
one 20 ms frame every 20 ms (a chirp once a second, silence otherwise) into the same drift-steered buffer
the bridge uses (``cti.engine.audio.DriftBuffer``, primed the same way). Figures per backend, idle and with a GIL-heavy Python thread competing (as in the engine):
playout deadline misses per 10,000 frames, round trip (queued -> heard back on the monitor) p50/p95,
and process CPU. Needs scripts/audio.sh up.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any

import numpy as np

from bench.common import Row, bench_args, emit
from cti.engine.audio import PRIME, SILENCE, DriftBuffer, frames_of
from cti.engine.backends import (
    FRAME,
    FRAME_BYTES,
    GIL_SWITCH_INTERVAL,
    RATE,
    REPORTS_UNDERFLOWS,
    make_backend,
)
from cti.engine.echo import chirp, measure

os.environ.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")


def run_one(name: str, seconds: float, contend: bool) -> dict[str, Any]:
    backend = make_backend(name)
    queue = DriftBuffer()
    probe = chirp(ms=100)
    probe_frames = frames_of(probe)
    sent: list[float] = []
    produced = 0
    heard: list[tuple[float, bytes]] = []
    misses = played = gaps = 0
    streaming = False
    flowing = threading.Event()
    pulling = threading.Event()  # the device asks for frames steadily (its 5th)
    pulls = 0
    stop = threading.Event()

    def pull() -> bytes:
        nonlocal misses, played, streaming, pulls
        pulls += 1
        if pulls == 5:
            pulling.set()
        got = queue.pull() if streaming or len(queue) >= PRIME else None
        streaming = got is not None
        if got is not None:
            played += 1
            return got
        if flowing.is_set():
            misses += 1
        return SILENCE

    def push(frame: bytes) -> None:
        heard.append((time.perf_counter(), frame))

    def device_ran_dry() -> None:  # the sound server played a gap (not reported by soundcard)
        nonlocal gaps
        if flowing.is_set():
            gaps += 1

    def feeder() -> None:
        nonlocal produced
        # A stream opens long before a call's audio reaches it (the engine opens the headset at start); a null sink
        # asks for its second buffer only ~1-2 s after the first, so the calls' clock starts once the device runs.
        pulling.wait(5)
        n, t0 = 0, time.perf_counter()
        while not stop.is_set():
            due = t0 + n * 0.02
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            k = n % 50
            if k < len(probe_frames):
                if k == 0:
                    sent.append(time.perf_counter())
                queue.push(probe_frames[k])
            else:
                queue.push(SILENCE)
            n += 1
            produced += 1
            if n == 3:
                flowing.set()

    def hog() -> None:
        x = 0
        while not stop.is_set():
            for i in range(2000):
                x += i * i

    cpu0, w0 = time.process_time(), time.perf_counter()
    out = backend.open_output("headset", pull, lambda why: None, device_ran_dry)
    inp = backend.open_input("headset.monitor", push, lambda why: None)
    threads = [threading.Thread(target=feeder, daemon=True)]
    if contend:
        threads.append(threading.Thread(target=hog, daemon=True))
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    out.close()
    inp.close()
    cpu = 100 * (time.process_time() - cpu0) / (time.perf_counter() - w0)
    return {"misses": misses, "played": played, "produced": produced, "rtt": round_trips(sent, heard, probe),
            "gaps": gaps if name in REPORTS_UNDERFLOWS else None,
            "cpu": cpu, "lost": queue.dropped, "trimmed": queue.trimmed, "stretched": queue.stretched}


def round_trips(sent: list[float], heard: list[tuple[float, bytes]], probe: np.ndarray) -> list[float]:
    """Find each chirp in the recorded stream and time it against when it was queued (ms)."""
    if not heard:
        return []
    times = np.array([t for t, _ in heard])
    samples = np.frombuffer(b"".join(f for _, f in heard), np.int16)
    out = []
    for t_sent in sent[1:-1]:
        first = int(np.searchsorted(times, t_sent))
        lo, hi = first * FRAME, min(len(samples), (first + 40) * FRAME)
        delay_ms, score = measure(probe, samples[lo:hi])
        if score < 0.5:
            continue
        idx = lo + int(delay_ms * RATE / 1000)
        frame_i = idx // FRAME
        t_heard = times[frame_i] - (FRAME - idx % FRAME) / RATE
        out.append((t_heard - t_sent) * 1000)
    _ = FRAME_BYTES
    return out


def main() -> int:
    args = bench_args(__doc__ or "")
    # as the engine process (cti.engine.process); --gil-switch-ms=5 measures Python's default for comparison
    switch_ms = next((float(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--gil-switch-ms=")),
                     GIL_SWITCH_INTERVAL * 1000)
    sys.setswitchinterval(switch_ms / 1000)
    seconds = 6.0 if args.quick else 20.0
    rows: list[Row] = []
    for name in ("sounddevice", "soundcard", "pulse"):
        for contend in (False, True):
            r = run_one(name, seconds, contend)
            lost = r["lost"]  # dropped by the buffer's cap
            per10k = (r["misses"] + lost) * 10_000 / max(1, r["produced"])
            label = "with a GIL-heavy thread" if contend else "idle"
            gaps = "not reported" if r["gaps"] is None else r["gaps"]
            print(f"  {name} {label}: {r['produced']} frames queued, {r['played']} played, {r['misses']} "
                  f"underruns, {lost} lost, {gaps} device gaps, {r['trimmed']} samples trimmed, "
                  f"{r['stretched']} stretched, rtt n={len(r['rtt'])}, cpu {r['cpu']:.1f}%")
            row = Row(f"audio_backend_{name}_{'load' if contend else 'idle'}",
                      f"Audio backend {name}, {label}: round trip through the sound server", "ms", "report",
                      note=f"{per10k:.0f} deadline misses (underruns + frames lost) per 10,000 frames; "
                           f"gaps the device played (sound-server underflows): {gaps}; "
                           f"drift control trimmed {r['trimmed']} and stretched {r['stretched']} samples; "
                           f"process CPU {r['cpu']:.1f}%; GIL switch interval {switch_ms:g} ms",
                      extra={"misses_per_10k": per10k, "cpu_pct": r["cpu"]})
            if r["rtt"]:
                row.latency(r["rtt"], compare="p50")
            rows.append(row)
    emit(rows, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
