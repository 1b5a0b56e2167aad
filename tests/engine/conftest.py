"""Fixtures for engine tests: a running engine with its client and bus, and far-end peers."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from enginekit import Peer, Recorder

from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import RegistrationDidChange
from cti.softphone import SipAccount
from tests.conftest import need

DIRECT = SipAccount(extension="1001", password="-", registrars=())
DESK, FAR = "1007", "1006"  # lab extensions these tests use: the engine is 1007, the far-end phone 1006


def pulse_up() -> bool:
    os.environ.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    if not shutil.which("pactl"):
        return False
    return subprocess.run(["pactl", "info"], capture_output=True, timeout=5).returncode == 0


@pytest.fixture
async def engine() -> AsyncIterator[tuple[EngineClient, Recorder]]:
    """An engine in direct mode (no PBX), its client and a recorder on its bus; stopped cleanly after."""
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    await client.register(DIRECT)
    yield client, rec
    code = await client.stop()
    stderr = "\n".join(client.stderr_tail)
    assert code == 0, stderr
    assert "Assertion" not in stderr
    assert "destroyed" not in stderr.lower()


@pytest.fixture
async def peers() -> AsyncIterator[Callable[..., Awaitable[Peer]]]:
    """Start far-end phones on demand; all are closed after the test."""
    started: list[Peer] = []

    async def make(*args: str, password: str = "") -> Peer:
        p = await Peer.start(*args, password=password)
        started.append(p)
        return p

    yield make
    for p in started:
        await p.close()


@pytest.fixture(scope="module")
def lab() -> Any:
    from labsim.labinfo import LabNotUp, load

    try:
        return load()
    except LabNotUp as exc:
        need(False, f"the Asterisk lab: {exc}")


@pytest.fixture
async def desk(lab: Any) -> AsyncIterator[tuple[EngineClient, Recorder]]:
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    await client.register(SipAccount(extension=DESK, password=lab.sip_password(DESK),
                                     registrars=(f"{lab.host}:{lab.sip_port}",)))
    await rec.next(RegistrationDidChange, lambda e: e.registered)
    yield client, rec
    assert await client.stop() == 0, "\n".join(client.stderr_tail)
