"""The engine link over loopback TCP: the transport a desk uses where the OS has no Unix sockets (Windows).
Tested here on Linux by asking for it: the same token check, calls, crash detection and restart, clean exit."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest import DIRECT
from enginekit import Recorder

from cti.bus import EventBus
from cti.engine import wire
from cti.engine.client import EngineClient
from cti.events import CallDidAnswer, CallDidEnd, EngineDidCrash, EngineDidRestart


@pytest.fixture
async def tcp_engine() -> AsyncIterator[tuple[EngineClient, Recorder]]:
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker", transport="tcp")
    await client.start()
    await client.register(DIRECT)
    yield client, rec
    code = await client.stop()
    stderr = "\n".join(client.stderr_tail)
    assert code == 0, stderr
    assert "Assertion" not in stderr


async def test_tcp_link_listens_on_loopback_only_and_refuses_a_peer_without_the_token(tcp_engine) -> None:
    client, _ = tcp_engine
    assert client.transport == "tcp"
    assert client._dir is None  # no socket directory on this transport
    port = client.link_port
    assert port is not None
    assert client._writer is not None
    assert client._writer.get_extra_info("peername") == ("127.0.0.1", port)
    listening = await asyncio.to_thread(Path("/proc/net/tcp").read_text)
    mine = [line.split() for line in listening.splitlines()[1:] if line.split()[1].endswith(f":{port:04X}")]
    assert mine
    assert all(cols[1].startswith("0100007F:") for cols in mine)  # bound to 127.0.0.1, not 0.0.0.0
    argv = (await asyncio.to_thread(Path(f"/proc/{client.pid}/cmdline").read_text)).split("\0")
    assert "--tcp" in argv
    assert not any(len(a) == 64 for a in argv)  # the token came on stdin

    def intrude() -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            try:
                s.sendall(wire.encode("hello", token="0" * 64))
                return s.recv(100)
            except (ConnectionResetError, BrokenPipeError):
                return b""

    assert await asyncio.to_thread(intrude) == b""  # a second peer is closed without a word
    assert (await client.info())["pid"] == client.pid  # the desk's own link still works


async def test_calls_crash_and_restart_over_the_tcp_link(tcp_engine, peers) -> None:
    client, rec = tcp_engine
    peer = await peers("--answer")
    ref = await client.dial(peer.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
    old_pid = client.pid
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)
    assert (await rec.next(EngineDidCrash)).exit_code == -signal.SIGKILL
    assert (await rec.next(CallDidEnd, lambda e: e.call_ref == ref)).cause == "engine crashed"
    await rec.next(EngineDidRestart)
    assert client.pid != old_pid
    assert client.link_port is not None  # the new engine told the desk its new port
    again = await client.dial(peer.uri())  # the new engine, reached over a new TCP link, places calls
    await rec.next(CallDidAnswer, lambda e: e.call_ref == again)
    await client.hangup(again)


def test_an_unknown_transport_is_refused() -> None:
    with pytest.raises(ValueError, match="transport"):
        EngineClient(EventBus(), transport="pipe")
