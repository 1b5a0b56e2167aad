"""Move 20 ms frames between the calls (pjmedia's clock thread) and the OS devices (their own threads).

The bridge knows nothing of pjsua2: ``from_call`` takes a frame the calls produced for the headset,
``to_call`` gives the calls a frame from the headset microphone. Queues are short (latency) and an
empty queue plays silence. The ringer is a third stream, on its own device, open only while ringing.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable
from typing import Protocol

from cti.engine.backends import FRAME, FRAME_BYTES, RATE, Backend, Stream

log = logging.getLogger(__name__)
SILENCE = bytes(FRAME_BYTES)
MAX_QUEUE = 8  # frames (160 ms): beyond this, older frames are dropped (a burst after a stall)
PRIME = 3  # frames buffered before playout (re)starts: the drift control's target, so it starts with nothing to do
TARGET = 3.0  # frames the drift control keeps buffered (60 ms): covers a ~50 ms stall of either clock
# Samples a frame may gain or lose to drift control: 2 of 320 (0.6 %) absorbs 100 times a bad crystal's drift.
# At 4 (1.25 %), a 1300 Hz tone moved 16 Hz while a new stream's level was being built up: a tone detector with a
# +/-15 Hz window lost it, and the lab's live-spy test caught that.
MAX_STEP = 2
STALL = 1.0  # seconds without a frame moving before a headset stream counts as gone (unplugged)
# A new stream may take longer to get going: a Bluetooth headset switching profile, a sound server asking for its
# first buffer (a PulseAudio null sink takes the first frame, then asks for the next after ~2 s). Checked at 1 s,
# such a stream was reopened, and a slow one reopened again and again before it ever ran.
OPEN_GRACE = 5.0
# No numpy here: the engine's default backend does not need it, and it would cost ~13 MB of the idle engine.


class Samples(Protocol):
    """int16 samples: an ``array("h")`` (this module) or a numpy int16 array (the echo test, benchmarks)."""

    def tobytes(self) -> bytes: ...


def tone(freqs: tuple[float, ...], ms: int, *, level: float = 0.3, start: int = 0) -> array[int]:
    """Return ``ms`` of a sum of sines as int16 samples, continuing from sample ``start``."""
    gain = level * 32767 / max(1, len(freqs))
    steps = [2 * math.pi * f / RATE for f in freqs]
    return array("h", (int(gain * sum(math.sin(w * (i + start)) for w in steps))
                       for i in range(RATE * ms // 1000)))


class DriftBuffer:
    """A FIFO of samples between two clocks that never agree exactly: pjmedia's and a sound device's.

    Two free-running clocks drift apart by tens to hundreds of ppm, and a queue between them creeps full or empty:
    with a plain frame queue that meant a whole 20 ms frame thrown away (or a gap played) every minute or so.
    Here the level is steered instead: while the smoothed level sits above ``TARGET`` a frame is made from up to
    ``MAX_STEP`` more samples (linear interpolation), below it from fewer, so the level holds and no frame is
    lost; ``trimmed`` and ``stretched`` count the samples so absorbed. The hard cap still drops the oldest frame
    when a stalled clock delivers a burst too large to absorb (``dropped``).
    """

    def __init__(self, *, target: float = TARGET, cap: int = MAX_QUEUE, max_step: int = MAX_STEP) -> None:
        self._buf = array("h")
        self._lock = threading.Lock()
        self.target = target * FRAME
        self.cap = cap * FRAME
        self.max_step = max_step
        self.level = self.target  # smoothed fill, in samples
        self._fresh = True  # the next pull starts the smoothing from the level it finds (after priming)
        self.dropped = 0
        self.trimmed = 0
        self.stretched = 0
        self.largest = 0  # the largest correction made to one frame, in samples

    def __len__(self) -> int:
        """Whole frames buffered."""
        return len(self._buf) // FRAME

    def push(self, frame: bytes) -> bool:
        """Append one frame; return False when the cap made room by dropping the oldest frame."""
        with self._lock:
            self._buf.frombytes(frame)
            if len(self._buf) <= self.cap:
                return True
            del self._buf[:FRAME]
            self.dropped += 1
            return False

    def pull(self) -> bytes | None:
        """One frame, resampled when the level has drifted; None when fewer samples than a frame are queued."""
        with self._lock:
            have = len(self._buf)
            if have < FRAME:
                self._fresh = True
                return None
            if self._fresh:  # a (re)started stream: no history to steer by
                self.level, self._fresh = float(have), False
            self.level += (have - self.level) * 0.05  # smoothed over ~20 frames: steer by the trend, not the jitter
            off = (self.level - self.target) / FRAME  # frames above (+) or below (-) the target
            step = 0 if abs(off) < 0.5 else max(-self.max_step, min(self.max_step, round(off * 2)))
            take = min(have, FRAME + step)
            self.largest = max(self.largest, abs(take - FRAME))
            block = self._buf[:take]
            del self._buf[:take]
        if take == FRAME:
            return block.tobytes()
        if take > FRAME:
            self.trimmed += take - FRAME
        else:
            self.stretched += FRAME - take
        return _resample(block, FRAME).tobytes()

    def clear(self) -> None:
        with self._lock:
            del self._buf[:]
            self._fresh = True


def _resample(block: array[int], n: int) -> array[int]:
    """``block`` stretched or squeezed to ``n`` samples by linear interpolation (ends kept)."""
    last = len(block) - 1
    if last < 1:
        return array("h", bytes(2 * n))
    k = last / (n - 1)
    out = array("h", bytes(2 * n))
    for i in range(n):
        x = i * k
        j = int(x)
        a = block[j]
        out[i] = a if j >= last else int(a + (block[j + 1] - a) * (x - j))
    return out


def silence(ms: int) -> array[int]:
    return array("h", bytes(RATE * ms // 1000 * 2))


def frames_of(samples: Samples) -> list[bytes]:
    """Cut samples into whole 20 ms frames, padding the last with silence."""
    data = samples.tobytes()
    data += bytes(-len(data) % FRAME_BYTES)
    return [data[i : i + FRAME_BYTES] for i in range(0, len(data), FRAME_BYTES)]


@functools.cache
def _ring_cycle() -> tuple[bytes, ...]:
    return tuple(frames_of(tone((450.0,), 1000) + silence(4000)))


def ringtone_frames() -> list[bytes]:
    """One ring cycle: 1 s of 450 Hz, 4 s of silence (the Chinese ring cadence). Computed once."""
    return list(_ring_cycle())


def zip_tone_frames() -> list[bytes]:
    """The auto-answer warning: two short 1 kHz beeps."""
    beep, gap = tone((1000.0,), 120), silence(80)
    return frames_of(beep + gap + beep + gap)


def scale(frame: bytes, gain: float) -> bytes:
    """Apply a linear gain to one frame, clipping."""
    if gain == 1.0:
        return frame
    s = array("h")
    s.frombytes(frame)
    return array("h", [min(32767, max(-32768, int(x * gain))) for x in s]).tobytes()


class BridgeStats:
    """Counters for the benchmark and the device watchdog (a plain class: the engine does without dataclasses)."""

    __slots__ = ("device_underflows", "dropped", "from_call", "last_from_call", "max_gap_ms", "misses", "played",
                 "stretched", "to_call", "trimmed")

    def __init__(self) -> None:
        self.played = 0
        self.misses = 0  # playout found no frame while call audio was flowing: a missed deadline
        self.dropped = 0  # frames discarded because the queue was full
        self.trimmed = 0  # samples absorbed by drift control (the calls' clock ahead of the headset's)
        self.stretched = 0  # samples added by drift control (the headset's clock ahead)
        self.device_underflows = 0  # the headset device ran out of our audio and played a gap (where reported)
        self.from_call = 0
        self.to_call = 0
        self.max_gap_ms = 0.0  # longest interval between two frames from the calls
        self.last_from_call = 0.0


class AudioBridge:
    """Own the headset-out, headset-in and ringer streams and the frame queues between them and the calls."""

    def __init__(self, backend: Backend, *, on_device_change: Callable[[str, str], None] | None = None) -> None:
        self.backend = backend
        self.devices: dict[str, str | None] = {"headset_out": None, "headset_in": None, "ringer_out": None}
        self.out_gain = 1.0
        self.in_gain = 1.0
        self.stats = BridgeStats()
        self._out = DriftBuffer()  # calls -> headset
        self._in = DriftBuffer()  # microphone -> calls
        self._cues: deque[bytes] = deque()  # zip tone and other cues, played before call audio
        self._inject: deque[bytes] = deque()  # frames sent to the calls instead of the microphone
        self._ring: list[bytes] = []
        self._ring_pos = 0
        self._streaming = False
        self._refilling = False  # the headset buffer ran dry while call audio flowed and is filling again
        self._in_streaming = False
        self._streams: dict[str, Stream | None] = {"headset_out": None, "headset_in": None, "ringer_out": None}
        self._failed: set[str] = set()
        self._lock = threading.Lock()
        self._on_device_change = on_device_change
        self._state: dict[str, str] = {}
        self._state_lock = threading.Lock()  # a state change and a replay to a desk that just connected, in order
        self._moved: dict[str, float] = {}  # role -> when its stream last moved a frame
        self._opened: dict[str, float] = {}  # role -> when its stream was opened (no stall check for OPEN_GRACE)
        self._missing: set[str] = set()  # roles whose chosen device is unplugged
        self._list_failing = False  # the device list failed last time (no sound server): logged once
        self.tap: deque[bytes] | None = None  # last frames played to the headset, when enabled
        self.capture: list[bytes] | None = None  # every frame from the calls, during an echo test

    # --- the calls' side (pjmedia clock thread) ---------------------------------------------------

    def from_call(self, frame: bytes) -> None:
        """Queue a frame the calls produced for the headset."""
        now = time.perf_counter()
        st = self.stats
        if st.last_from_call and self._streaming:
            st.max_gap_ms = max(st.max_gap_ms, (now - st.last_from_call) * 1000)
        st.last_from_call = now
        st.from_call += 1
        if self.capture is not None:
            self.capture.append(frame)
        if not self._out.push(frame):
            st.dropped += 1

    def to_call(self) -> bytes:
        """Return the next frame for the calls: injected audio, else the microphone, else silence."""
        self.stats.to_call += 1
        if self._inject:
            return self._inject.popleft()
        frame = self._in.pull() if self._in_streaming or len(self._in) >= PRIME else None
        self._in_streaming = frame is not None
        return SILENCE if frame is None else scale(frame, self.in_gain)

    # --- the devices' side (audio threads) ----------------------------------------------------------

    def _pull_headset(self) -> bytes:
        self._moved["headset_out"] = time.monotonic()
        if self._cues:
            return self._cues.popleft()
        flowing = time.perf_counter() - self.stats.last_from_call < 0.2
        out, st = self._out, self.stats
        if not self._streaming:
            if not flowing:
                self._refilling = False
                return SILENCE
            if len(out) < PRIME:
                if self._refilling:  # a gap in call audio while the buffer fills again after running dry
                    st.misses += 1
                return SILENCE
            self._streaming, self._refilling = True, False
        trimmed, stretched = out.trimmed, out.stretched
        got = out.pull()
        if got is None:
            # Ran dry: fill up to PRIME again before playing on (a jitter buffer's rebuffering), so the cushion is
            # back at once instead of being stretched back over seconds while every hiccup is another gap.
            self._streaming = False
            if flowing:
                st.misses += 1
                self._refilling = True
            return SILENCE
        st.trimmed += out.trimmed - trimmed
        st.stretched += out.stretched - stretched
        frame = scale(got, self.out_gain)
        st.played += 1
        if self.tap is not None:
            self.tap.append(frame)
        return frame

    def _push_mic(self, frame: bytes) -> None:
        self._moved["headset_in"] = time.monotonic()
        self._in.push(frame)

    def _pull_ring(self) -> bytes:
        if not self._ring:
            return SILENCE
        frame = self._ring[self._ring_pos % len(self._ring)]
        self._ring_pos += 1
        return scale(frame, self.out_gain)

    # --- control (engine thread) -----------------------------------------------------------------------

    def start(self) -> None:
        """Open the headset streams (the ringer opens when ringing)."""
        _ring_cycle()  # the ringtone is built now (~13 ms of pure Python), not on the first INVITE
        self._open("headset_out")
        self._open("headset_in")

    def stop(self) -> None:
        """Close every stream."""
        for role in list(self._streams):
            self._close(role)

    def release(self) -> None:
        """At exit, after ``stop``: wait for the streams' threads and stop the backend's own (libpulse's)."""
        close = getattr(self.backend, "close", None)
        if close is not None:
            close()

    def select(self, role: str, device: str | None) -> None:
        """Use ``device`` for ``role`` (headset_out, headset_in, ringer_out) and reopen its stream."""
        if role not in self.devices:
            raise ValueError(f"unknown audio role {role!r}")
        self.devices[role] = device
        if self._streams[role] is not None or role != "ringer_out":
            self._close(role)
            self._open(role)

    def ring(self, on: bool) -> None:
        """Start or stop the ringtone on the ringer device."""
        if on and self._streams["ringer_out"] is None:
            self._ring, self._ring_pos = ringtone_frames(), 0
            self._open("ringer_out")
        elif not on and self._streams["ringer_out"] is not None:
            self._ring = []
            self._close("ringer_out")

    def cue(self, frames: list[bytes]) -> None:
        """Play frames (e.g. the zip tone) on the headset ahead of call audio."""
        self._cues.extend(frames)

    def inject(self, frames: list[bytes]) -> None:
        """Send frames to the calls in place of the microphone (echo test probe)."""
        self._inject.extend(frames)

    def watch(self) -> None:
        """Reopen any stream whose device failed (headset unplugged and plugged back)."""
        now = time.monotonic()
        with self._lock:
            failed, self._failed = self._failed, set()
        for role in ("headset_out", "headset_in"):
            if (self._streams[role] is not None and now - self._moved.get(role, now) > STALL
                    and now - self._opened.get(role, now) > OPEN_GRACE):
                log.warning("audio %s stalled: reopening", role)
                failed.add(role)
        for role in failed:
            self._close(role)
            if role != "ringer_out" or self._ring:
                self._open(role)
        self._check_presence()
        for role, stream in self._streams.items():
            active = getattr(stream, "active", True)
            if stream is not None and not active:
                self._close(role)
                self._open(role)
        for role in ("headset_out", "headset_in"):
            if self._streams[role] is None:
                self._open(role)

    def _check_presence(self) -> None:
        """Report a chosen device that disappeared, and move back to it when it returns."""
        chosen = {role: dev for role, dev in self.devices.items() if dev}
        if not chosen:
            return
        try:
            present = {d["name"] for d in self.backend.devices()}
        except Exception as exc:
            if not self._list_failing:  # once per outage, not every second of it
                log.warning("audio device list failed: %s", type(exc).__name__)
            self._list_failing = True
            return
        if self._list_failing:
            log.info("audio device list answers again")
        self._list_failing = False
        for role, dev in chosen.items():
            if dev not in present and role not in self._missing:
                self._missing.add(role)  # the sound server moved the stream elsewhere, or it stalls
                self._notify(role, "unavailable")
            elif dev in present and role in self._missing:
                self._missing.discard(role)
                self._close(role)
                if role != "ringer_out" or self._ring:
                    self._open(role)
                else:
                    self._notify(role, "open")

    def _headset_underflowed(self) -> None:
        """The sound server or PortAudio played a gap on the headset (its thread): counted, never acted on."""
        self.stats.device_underflows += 1

    def _open(self, role: str) -> None:
        device = self.devices[role]

        def failed(why: str) -> None:
            with self._lock:
                self._failed.add(role)

        try:
            if role == "headset_in":
                stream: Stream = self.backend.open_input(device, self._push_mic, failed)
            elif role == "headset_out":
                stream = self.backend.open_output(device, self._pull_headset, failed, self._headset_underflowed)
            else:
                stream = self.backend.open_output(device, self._pull_ring, failed)
        except Exception as exc:
            if self._state.get(role) != "unavailable":
                log.warning("audio %s unavailable: %s", role, type(exc).__name__)
            self._streams[role] = None
            self._notify(role, "unavailable")
            return
        self._streams[role] = stream
        self._moved[role] = self._opened[role] = time.monotonic()
        self._notify(role, "open")

    def _close(self, role: str) -> None:
        stream, self._streams[role] = self._streams.get(role), None
        if stream is not None:
            try:
                stream.close()
            except Exception as exc:
                log.warning("audio %s close failed: %s", role, type(exc).__name__)

    def _notify(self, role: str, state: str) -> None:
        with self._state_lock:
            if self._state.get(role) == state:
                return
            self._state[role] = state
            if self._on_device_change is not None:
                self._on_device_change(role, state)

    def replay(self) -> None:
        """Report every stream's current state again: for a desk that connected after they were reported (the
        headset opens, or is found unavailable, while the engine starts, before the desk's link is up)."""
        with self._state_lock:
            if self._on_device_change is not None:
                for role, state in self._state.items():
                    self._on_device_change(role, state)
