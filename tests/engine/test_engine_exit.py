"""How the engine process ends: libpulse's thread stopped before exit, and a native crash reported with its stacks.

The engine leaves through ``os._exit`` after its ordered shutdown (cti.engine.process.run), so no native thread
(libpulse's main loop, an audio stream's) runs while Python tears itself down. These tests hold the parts of that
which can be observed: the pulse backend really stops its threads, and a crash is not silent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading

import pytest
from conftest import DIRECT, pulse_up
from enginekit import Recorder

from cti.bus import EventBus
from cti.engine.backends import LateBackend
from cti.engine.client import EngineClient
from cti.events import EngineDidCrash
from tests.conftest import need


def native_threads() -> set[str]:
    """This process's OS threads by id (libpulse's main loop is one that Python does not know)."""
    return set(os.listdir("/proc/self/task"))


def test_the_pulse_backend_stops_its_streams_and_its_main_loop_at_exit() -> None:
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    before = native_threads()
    backend = LateBackend("pulse")
    frames: list[bytes] = []
    out = backend.open_output("headset", lambda: bytes(640), lambda why: None)
    mic = backend.open_input("mic.monitor", frames.append, lambda why: None)
    deadline = threading.Event()
    while not frames and not deadline.wait(0.05):
        pass
    assert len(native_threads() - before) >= 3  # libpulse's loop and a thread per stream
    out.close()
    mic.close()
    backend.close()
    assert native_threads() == before  # every thread it started has ended: nothing left to call into Python
    backend.close()  # a second close (an engine stopped twice) is harmless


async def test_a_native_crash_is_logged_with_every_threads_stack(caplog: pytest.LogCaptureFixture) -> None:
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker", restart=False)
    await client.start()
    try:
        await client.register(DIRECT)
        pid = client.pid
        assert pid is not None
        with caplog.at_level(logging.ERROR, logger="cti.engine.client"):
            os.kill(pid, signal.SIGSEGV)  # what a crash inside pjsua2 or libpulse raises
            crash = await rec.next(EngineDidCrash)
            for _ in range(100):
                if any("engine crash" in r.getMessage() for r in caplog.records):
                    break
                await asyncio.sleep(0.02)
    finally:
        await client.stop()
    assert crash.exit_code == -signal.SIGSEGV
    report = next(r.getMessage() for r in caplog.records if "engine crash" in r.getMessage())
    assert "Fatal Python error: Segmentation fault" in report
    assert "cti/engine/core.py" in report  # the engine thread's stack: where it was when it died
    assert client.crash_dump() in report
