"""The headset's own drop-outs are counted: when the sound server runs out of the engine's audio it plays a gap,
which the CSR hears, but which the bridge's own counters (deadline misses, dropped frames) never see. The pulse
backend counts them from libpulse's underflow notification; ``audio_stats`` reports them as device_underflows."""

from __future__ import annotations

import threading
import time

from conftest import pulse_up
from enginekit import Recorder

from cti.engine.audio import SILENCE
from cti.engine.backends import PulseBackend
from cti.engine.client import EngineClient
from tests.conftest import need


def _play(stall_for: float, seconds: float) -> int:
    """Play silence into the headset sink; once it flows, stall ``stall_for`` s before every 10th frame for
    ``seconds``; return the underflows the server reported in that time."""
    backend = PulseBackend()
    underflows: list[float] = []
    errors: list[str] = []
    frames = 0
    stalling = threading.Event()

    def pull() -> bytes:
        nonlocal frames
        frames += 1
        if stalling.is_set() and frames % 10 == 0:
            time.sleep(stall_for)  # an engine thread held up: the server's one-block buffer runs dry
        return SILENCE

    stream = backend.open_output("headset", pull, errors.append, lambda: underflows.append(time.monotonic()))
    try:
        # A null sink left idle at its longest latency takes up to 2 s to start a new stream (it wakes on its old
        # timer): wait until frames flow, so the count below is of the stalls alone.
        deadline = time.monotonic() + 5
        while frames < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert frames >= 20, "the headset sink never started playing"
        before, start = len(underflows), frames
        stalling.set()
        time.sleep(seconds)
        played = frames - start
    finally:
        stream.close()
        backend.close()
    assert errors == []
    assert played > seconds * 25  # it kept playing between the stalls, so the count means something
    return len(underflows) - before


def test_gaps_the_server_plays_are_counted() -> None:
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    assert _play(stall_for=0.15, seconds=2.0) >= 3  # ~6 stalls of 150 ms against a 20 ms buffer


def test_the_count_is_per_stream_and_optional() -> None:
    """No callback given: nothing is counted and nothing breaks (the ringer's stream opens this way)."""
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    backend = PulseBackend()
    errors: list[str] = []
    played = threading.Event()

    def pull() -> bytes:
        played.set()
        return SILENCE

    stream = backend.open_output("headset", pull, errors.append)
    try:
        assert played.wait(2.0)
    finally:
        stream.close()
        backend.close()
    assert errors == []


async def test_the_engine_reports_them_beside_its_other_counters(engine: tuple[EngineClient, Recorder]) -> None:
    """audio_stats answers device_underflows as a count for the pulse backend (None only where a backend cannot
    tell: soundcard), in the same answer as the bridge's own counters."""
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    client, _ = engine
    stats = await client.audio_stats()
    assert {"played", "misses", "dropped"} <= stats.keys()
    assert type(stats["device_underflows"]) is int
