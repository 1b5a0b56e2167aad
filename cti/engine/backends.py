"""Open OS audio streams for the bridge: PortAudio (sounddevice) or PulseAudio natively (soundcard).

Both speak 16 kHz mono signed 16-bit frames of 20 ms. A device is named by a PulseAudio sink or
source name (``headset``, ``mic.monitor``) or, for PortAudio, by a PortAudio device name; ``None``
is the system default. Which backend the engine uses by default was chosen by measurement
(bench/engine_audio_backends.py, see cti/engine/README.md).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

# pulse (libpulse through ctypes) where there is PulseAudio/PipeWire, i.e. Linux; soundcard (WASAPI/CoreAudio) elsewhere
DEFAULT_BACKEND = "pulse" if sys.platform.startswith("linux") else "soundcard"
RATE = 16000
FRAME = 320  # samples per 20 ms frame
FRAME_BYTES = FRAME * 2
# How long a thread may hold the GIL while another waits for it. Python's default, 5 ms, is paid on every return
# from a ctypes call into libpulse (several per frame), so one busy Python thread starved the headset stream to a
# fifth of its frames (bench.engine_audio_backends, "with a GIL-heavy thread": 685 of 891 frames lost); at 1 ms,
# 17 of 900 (0 in a short run). The engine process sets it before its threads start.
GIL_SWITCH_INTERVAL = 0.001

Pull = Callable[[], bytes]  # return one frame for the device to play
Push = Callable[[bytes], None]  # take one frame the device captured
OnError = Callable[[str], None]
OnUnderflow = Callable[[], None]  # the device played a gap: it ran out of our audio (counted, for the benchmark)
# Backends whose devices say when they run dry; soundcard's player does not.
REPORTS_UNDERFLOWS = frozenset({"pulse", "sounddevice"})


class Stream(Protocol):
    def close(self) -> None: ...


class Backend(Protocol):
    name: str

    def devices(self) -> list[dict[str, str]]: ...
    def open_output(self, device: str | None, pull: Pull, on_error: OnError,
                    on_underflow: OnUnderflow | None = None) -> Stream: ...
    def open_input(self, device: str | None, push: Push, on_error: OnError) -> Stream: ...


def pulse_devices() -> list[dict[str, str]]:
    """List PulseAudio sinks (``out``) and sources (``in``) by name, or nothing without PulseAudio.

    For the PortAudio and soundcard backends only (the pulse backend asks libpulse itself). shutil and subprocess are
    imported here, not at the top: the engine running the pulse backend never needs them (0.6 MB resident)."""
    import shutil
    import subprocess

    if not shutil.which("pactl"):
        return []
    found: list[dict[str, str]] = []
    for kind, what in (("out", "sinks"), ("in", "sources")):
        try:
            out = subprocess.run(["pactl", "list", "short", what], capture_output=True, text=True, timeout=3)
        except (OSError, subprocess.SubprocessError):
            return []
        for line in out.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) > 1:
                found.append({"name": parts[1], "kind": kind, "host": "pulse"})
    return found


class SoundDeviceBackend:
    """PortAudio callback streams; PulseAudio devices are reached through ALSA's ``pulse`` PCM."""

    name = "sounddevice"
    _env_lock = threading.Lock()

    def __init__(self) -> None:
        import sounddevice

        self._sd: Any = sounddevice

    def devices(self) -> list[dict[str, str]]:
        pulse = pulse_devices()
        if pulse:
            return pulse
        found = []
        for dev in self._sd.query_devices():
            if dev["max_output_channels"]:
                found.append({"name": dev["name"], "kind": "out", "host": "portaudio"})
            if dev["max_input_channels"]:
                found.append({"name": dev["name"], "kind": "in", "host": "portaudio"})
        return found

    def _open(self, cls: Any, env: str, device: str | None, callback: Any, on_error: OnError) -> Stream:
        pulse = {d["name"] for d in pulse_devices()} if device else set()
        with self._env_lock:  # libpulse reads PULSE_SINK/PULSE_SOURCE when the PCM opens
            old = os.environ.get(env)
            target: str | None = device
            if device in pulse:
                os.environ[env] = device
                target = "pulse"
            try:
                stream = cls(samplerate=RATE, channels=1, dtype="int16", blocksize=FRAME, device=target,
                             latency="low", callback=callback, finished_callback=lambda: None)
                stream.start()
            finally:
                if old is None:
                    os.environ.pop(env, None)
                else:
                    os.environ[env] = old
        return stream  # type: ignore[no-any-return]

    def open_output(self, device: str | None, pull: Pull, on_error: OnError,
                    on_underflow: OnUnderflow | None = None) -> Stream:
        pending = bytearray()  # PortAudio may ask for any number of samples; frames are 20 ms

        def callback(outdata: Any, frames: int, _time: Any, status: Any) -> None:
            if on_underflow is not None and status.output_underflow:
                on_underflow()
            need = frames * 2
            while len(pending) < need:
                pending.extend(pull())
            outdata[:] = bytes(pending[:need])
            del pending[:need]

        return self._open(self._sd.RawOutputStream, "PULSE_SINK", device, callback, on_error)

    def open_input(self, device: str | None, push: Push, on_error: OnError) -> Stream:
        pending = bytearray()

        def callback(indata: Any, frames: int, _time: Any, status: Any) -> None:
            pending.extend(bytes(indata))
            while len(pending) >= FRAME_BYTES:
                push(bytes(pending[:FRAME_BYTES]))
                del pending[:FRAME_BYTES]

        return self._open(self._sd.RawInputStream, "PULSE_SOURCE", device, callback, on_error)


RT_PRIORITY = 10  # SCHED_RR priority for the threads that move audio frames (low among RT threads)


def realtime_thread() -> bool:
    """Put the calling thread under SCHED_RR so a saturated desk or box cannot starve audio frames.

    Allowed as root, with CAP_SYS_NICE or an RLIMIT_RTPRIO grant; otherwise the thread keeps the
    process's (raised, if allowed) niceness. Each holder of the GIL here works for well under a
    millisecond per 20 ms frame and then blocks, so a real-time thread cannot monopolise a core.
    """
    try:
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(RT_PRIORITY))  # 0: this thread on Linux
    except (OSError, AttributeError):
        return False
    return True


class _ThreadStream:
    """Run a blocking soundcard player or recorder on its own thread."""

    def __init__(self, body: Callable[[threading.Event], None], on_error: OnError) -> None:
        self._stop = threading.Event()

        def run() -> None:
            realtime_thread()
            try:
                body(self._stop)
            except Exception as exc:  # device gone: the bridge reopens it
                if not self._stop.is_set():
                    on_error(type(exc).__name__)

        self._thread = threading.Thread(target=run, name="audio-io", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=0.5)  # a stream whose device vanished may never return: leave it

    def finish(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for the stream's thread to end (it was closed); return whether it did."""
        self._thread.join(timeout=timeout)
        return not self._thread.is_alive()


class SoundCardBackend:
    """PulseAudio (and WASAPI/CoreAudio) streams through soundcard, one blocking thread per stream."""

    name = "soundcard"

    def __init__(self) -> None:
        import soundcard

        self._sc: Any = soundcard

    def devices(self) -> list[dict[str, str]]:
        outs = [{"name": s.id, "kind": "out", "host": "soundcard"} for s in self._sc.all_speakers()]
        ins = [{"name": m.id, "kind": "in", "host": "soundcard"}
               for m in self._sc.all_microphones(include_loopback=True)]
        return outs + ins

    def open_output(self, device: str | None, pull: Pull, on_error: OnError,
                    on_underflow: OnUnderflow | None = None) -> Stream:
        """``on_underflow`` is never called: soundcard's player does not say when the device ran dry."""
        import numpy as np

        speaker = self._sc.get_speaker(device) if device else self._sc.default_speaker()

        def body(stop: threading.Event) -> None:
            with speaker.player(samplerate=RATE, channels=1, blocksize=FRAME) as player:
                while not stop.is_set():
                    pcm = np.frombuffer(pull(), dtype=np.int16).astype(np.float32) / 32768.0
                    player.play(pcm)

        return _ThreadStream(body, on_error)

    def open_input(self, device: str | None, push: Push, on_error: OnError) -> Stream:
        import numpy as np

        mic = (self._sc.get_microphone(device, include_loopback=True) if device
               else self._sc.default_microphone())

        def body(stop: threading.Event) -> None:
            with mic.recorder(samplerate=RATE, channels=1, blocksize=FRAME) as recorder:
                while not stop.is_set():
                    pcm = recorder.record(numframes=FRAME)[:, 0]
                    push((np.clip(pcm, -1, 1) * 32767).astype(np.int16).tobytes())

        return _ThreadStream(body, on_error)


class PulseBackend:
    """PulseAudio through libpulse directly (cti/engine/pulse.py): soundcard's method without numpy and cffi."""

    name = "pulse"

    def __init__(self) -> None:
        from cti.engine.pulse import PulseContext

        self._ctx = PulseContext()
        self._threads: list[_ThreadStream] = []

    def close(self, timeout: float = 3.0) -> None:
        """At exit, after every stream was closed: let their threads end, then stop libpulse's own thread."""
        deadline = time.monotonic() + timeout
        done = all([t.finish(max(0.0, deadline - time.monotonic())) for t in self._threads])
        self._ctx.close(free=done)

    @property
    def alive(self) -> bool:
        return self._ctx.alive

    def devices(self) -> list[dict[str, str]]:
        return ([{"name": n, "kind": "out", "host": "pulse"} for n in self._ctx.names("out")]
                + [{"name": n, "kind": "in", "host": "pulse"} for n in self._ctx.names("in")])

    def _check(self, device: str | None, kind: str) -> None:
        """Refuse an unknown device at once, as soundcard's lookup does (by exact sink/source name here)."""
        if device and device not in self._ctx.names(kind):
            raise LookupError(f"no PulseAudio {'sink' if kind == 'out' else 'source'} named {device!r}")

    def open_output(self, device: str | None, pull: Pull, on_error: OnError,
                    on_underflow: OnUnderflow | None = None) -> Stream:
        from cti.engine.pulse import PulseStream

        self._check(device, "out")

        def body(stop: threading.Event) -> None:
            stream = PulseStream(self._ctx, device, record=False, rate=RATE, block=FRAME, on_underflow=on_underflow)
            try:
                while not stop.is_set():
                    stream.write(pull())
            finally:
                stream.close()

        return self._track(_ThreadStream(body, on_error))

    def open_input(self, device: str | None, push: Push, on_error: OnError) -> Stream:
        from cti.engine.pulse import PulseStream

        self._check(device, "in")

        def body(stop: threading.Event) -> None:
            stream = PulseStream(self._ctx, device, record=True, rate=RATE, block=FRAME)
            try:
                while not stop.is_set():
                    push(stream.read())
            finally:
                stream.close()

        return self._track(_ThreadStream(body, on_error))

    def _track(self, stream: _ThreadStream) -> _ThreadStream:
        self._threads = [t for t in self._threads if not t.finish(0)] + [stream]
        return stream


BACKEND_NAMES = ("pulse", "soundcard", "sounddevice")


class LateBackend:
    """The backend ``name``, built when first used, and built again after building it failed (at most every
    ``retry`` seconds). An engine whose sound server is not up yet (a desk started with the session, before
    PulseAudio; a server that is restarting; no audio library) still starts and registers: the bridge reports the
    headset unavailable and opens it once the server answers (AudioBridge.watch), instead of the engine exiting
    and the desk failing its sign-in."""

    def __init__(self, name: str, *, factory: Callable[[str], Backend] | None = None, retry: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if name not in BACKEND_NAMES:
            raise ValueError(f"unknown audio backend {name!r}")
        self.name = name
        self._factory = factory or make_backend
        self._retry = retry
        self._clock = clock
        self._backend: Backend | None = None
        self._retry_at = 0.0
        self._why = ""

    @property
    def ready(self) -> bool:
        return self._backend is not None

    def _real(self) -> Backend:
        if self._backend is not None and not getattr(self._backend, "alive", True):
            self._drop()
        if self._backend is None:
            now = self._clock()
            if now < self._retry_at:
                raise OSError(self._why)
            try:
                self._backend = self._factory(self.name)
            except Exception as exc:  # OSError: no sound server; ImportError: no audio library
                self._retry_at = now + self._retry
                self._why = f"{self.name} audio is not available: {exc}"
                raise OSError(self._why) from exc
        return self._backend

    def devices(self) -> list[dict[str, str]]:
        return self._real().devices()

    def open_output(self, device: str | None, pull: Pull, on_error: OnError,
                    on_underflow: OnUnderflow | None = None) -> Stream:
        return self._real().open_output(device, pull, on_error, on_underflow)

    def open_input(self, device: str | None, push: Push, on_error: OnError) -> Stream:
        return self._real().open_input(device, push, on_error)

    def _drop(self) -> None:
        """Let go of a backend whose sound server connection died (the server crashed or was restarted): the next
        use builds a new one, which fails, and is retried, until a server answers again."""
        old, self._backend = self._backend, None
        log.warning("audio: the %s sound server connection was lost; reconnecting", self.name)
        close = getattr(old, "close", None)
        if close is not None:  # stops libpulse's thread at once; its streams' threads end on their failed streams
            close(timeout=0)

    def close(self) -> None:
        """Release the backend's own threads (at exit); a backend never built has none."""
        close = getattr(self._backend, "close", None)
        if close is not None:
            close()


def make_backend(name: str) -> Backend:
    """Return the backend called ``name`` ("pulse", "sounddevice" or "soundcard")."""
    if name == "pulse":
        return PulseBackend()
    if name == "soundcard":
        return SoundCardBackend()
    if name == "sounddevice":
        return SoundDeviceBackend()
    raise ValueError(f"unknown audio backend {name!r}")
