"""Fixtures for engine tests: a running engine with its client and bus, and far-end peers."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from enginekit import Peer, Recorder

from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.softphone import SipAccount

DIRECT = SipAccount(extension="1001", password="-", registrars=())


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
