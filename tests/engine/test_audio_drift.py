"""The headset bridge between two clocks that drift apart (pjmedia's and the sound device's): a steady drift is
absorbed a few samples at a time, so no 20 ms frame is dropped or played as a gap; a stall followed by a burst
fits in the buffer; and the audio stays continuous where samples were absorbed. Pure unit tests: the clocks are
simulated, so minutes of audio run in a second."""

from __future__ import annotations

import math
import random
from array import array

import pytest

from cti.engine import audio
from cti.engine.backends import FRAME, FRAME_BYTES


class NoDevices:
    def devices(self) -> list[dict[str, str]]:
        return []


def tone_frames(n: int, freq: float = 1000.0, level: float = 0.5) -> list[bytes]:
    w = 2 * math.pi * freq / audio.RATE
    samples = array("h", (int(level * 32767 * math.sin(w * i)) for i in range(n * FRAME)))
    return [samples[i * FRAME:(i + 1) * FRAME].tobytes() for i in range(n)]


def run_clocks(bridge: audio.AudioBridge, frames: list[bytes], *, consumer_period: float, jitter: float = 0.0,
               stall_at: int | None = None, stall: float = 0.0) -> list[bytes]:
    """Feed ``frames`` from the calls one per period 1.0 and pull the headset every ``consumer_period`` (the
    device's clock), with seeded jitter on the device's pulls and an optional stall of the calls' clock."""
    rng = random.Random(7)
    events: list[tuple[float, int, int]] = []
    for i in range(len(frames)):
        t = float(i) + (stall if stall_at is not None and i >= stall_at else 0.0)
        events.append((t, 0, i))
    end = events[-1][0]
    t, j = audio.PRIME + 0.5, 0  # the device starts once the first frames are in, as a stream opening would
    while t < end:
        events.append((t + rng.uniform(-jitter, jitter), 1, j))
        j += 1
        t = audio.PRIME + 0.5 + j * consumer_period
    played = []
    for _t, kind, i in sorted(events):
        if kind == 0:
            bridge.from_call(frames[i])
        else:
            played.append(bridge._pull_headset())
    return played


@pytest.mark.parametrize("consumer_period", [1.003, 0.997], ids=["headset-slower", "headset-faster"])
def test_a_steady_drift_loses_no_frame_and_keeps_the_delay_bounded(consumer_period: float) -> None:
    # 0.3 % is ten times a bad crystal: a plain queue of 5 frames dropped (or gapped) ~8 frames here
    bridge = audio.AudioBridge(NoDevices())  # type: ignore[arg-type]
    frames = tone_frames(3000)  # one minute
    run_clocks(bridge, frames, consumer_period=consumer_period, jitter=0.3)
    st = bridge.stats
    assert (st.dropped, st.misses) == (0, 0)
    assert st.played >= 2950
    absorbed = st.trimmed if consumer_period > 1 else st.stretched
    assert 0.6 * 0.003 * 3000 * FRAME < absorbed < 1.6 * 0.003 * 3000 * FRAME  # the drift, sample for sample
    assert len(bridge._out) <= audio.TARGET + 1  # the delay did not creep up to the cap


def test_a_stall_of_the_calls_clock_then_its_burst_fit_in_the_buffer() -> None:
    bridge = audio.AudioBridge(NoDevices())  # type: ignore[arg-type]
    frames = tone_frames(600)
    # the level settles at the target, then 60 ms pass between two frames from the calls (the benchmark's worst
    # was 55 ms) and the calls' clock catches up with a burst
    run_clocks(bridge, frames, consumer_period=1.0, jitter=0.2, stall_at=400, stall=2.0)
    assert (bridge.stats.dropped, bridge.stats.misses) == (0, 0)


def test_audio_stays_continuous_where_drift_was_absorbed() -> None:
    bridge = audio.AudioBridge(NoDevices())  # type: ignore[arg-type]
    frames = tone_frames(1500, freq=1000.0, level=0.5)
    played = run_clocks(bridge, frames, consumer_period=1.003)
    assert bridge.stats.trimmed > 0
    pcm = array("h")
    for frame in played:
        pcm.frombytes(frame)
    start = next(i for i, x in enumerate(pcm) if x) + FRAME  # from the first sound on
    tail = pcm[start:len(pcm) - 2 * FRAME]
    assert all(tail[i * FRAME:(i + 1) * FRAME] != array("h", bytes(FRAME_BYTES)) for i in range(len(tail) // FRAME))
    # a 1 kHz sine at half scale moves at most 0.5 * 32767 * 2*pi*1000/16000 = 6434 per sample: a dropped frame,
    # a gap or a bad splice would jump further
    steepest = 0.5 * 32767 * 2 * math.pi * 1000 / audio.RATE
    assert max(abs(tail[i + 1] - tail[i]) for i in range(len(tail) - 1)) < 1.1 * steepest


def test_the_cap_still_drops_the_oldest_frame_of_a_burst_too_large_to_absorb() -> None:
    buf = audio.DriftBuffer()
    frames = tone_frames(audio.MAX_QUEUE + 2)
    kept = [buf.push(f) for f in frames]
    assert kept == [True] * audio.MAX_QUEUE + [False, False]
    assert (buf.dropped, len(buf)) == (2, audio.MAX_QUEUE)
    assert buf.pull() is not None


def test_the_microphone_side_is_steered_too() -> None:
    bridge = audio.AudioBridge(NoDevices())  # type: ignore[arg-type]
    mic = tone_frames(3000, freq=500.0)
    rng = random.Random(3)
    events = [(i * 1.003 + rng.uniform(-0.3, 0.3), 0, i) for i in range(len(mic))]  # the microphone runs slow
    last = events[-1][0]
    events += [(audio.PRIME + 0.5 + j, 1, j) for j in range(int(last))]
    gaps = 0
    started = False
    for t, kind, i in sorted(events):
        if kind == 0:
            bridge._push_mic(mic[i])
        else:
            frame = bridge.to_call()
            started = started or frame != audio.SILENCE
            gaps += started and frame == audio.SILENCE and t < last - audio.MAX_QUEUE  # not once the mic has stopped
    assert started
    assert gaps == 0
    assert (bridge._in.stretched > 0, bridge._in.dropped) == (True, 0)


def test_a_stream_restarted_after_an_underrun_keeps_its_pitch() -> None:
    """The calls' clock stops long enough to empty the buffer, then runs on at the same rate: playout re-primes at
    the target level and steers gently from there: no frame is resampled by more than 2 samples of 320 (a 1300 Hz
    tone moves at most 8 Hz; the first version steered from the empty level it saw, 4 samples a frame, and moved
    it 16 Hz, out of the lab spy test's +/-15 Hz window)."""
    bridge = audio.AudioBridge(NoDevices())  # type: ignore[arg-type]
    run_clocks(bridge, tone_frames(600), consumer_period=1.0, jitter=0.3, stall_at=300, stall=6.0)
    st = bridge.stats
    assert st.dropped == 0
    assert st.misses > 0  # the stall did empty the buffer: playout had to start again
    assert bridge._out.largest <= 2
    assert st.trimmed + st.stretched <= 0.002 * 600 * FRAME
