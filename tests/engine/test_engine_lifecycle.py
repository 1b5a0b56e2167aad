"""The engine process's lifecycle: authenticated link, crash detection and restart, clean shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
from pathlib import Path

import pytest
from enginekit import Recorder

from cti.bus import EventBus
from cti.engine import wire
from cti.engine.client import EngineClient
from cti.events import CallDidAnswer, CallDidEnd, EngineDidCrash, EngineDidRestart, RegistrationDidChange
from cti.softphone import SipAccount, SoftphoneError


async def test_link_is_private_and_refuses_a_peer_without_the_token(engine) -> None:
    client, _ = engine
    path = os.path.join(client._dir or "", "engine.sock")
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    argv = (await asyncio.to_thread(Path(f"/proc/{client.pid}/cmdline").read_text)).split("\0")
    assert not any(len(a) == 64 for a in argv)  # the 64-hex-digit token came on stdin

    def intrude() -> bytes:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(path)
            try:
                s.sendall(wire.encode("hello", token="0" * 64))
                return s.recv(100)
            except (ConnectionResetError, BrokenPipeError):
                return b""

    assert await asyncio.to_thread(intrude) == b""  # closed without a word
    assert (await client.info())["pid"] == client.pid  # the desk's own link still works


async def test_killed_engine_is_noticed_restarted_and_its_calls_ended(engine, peers) -> None:
    client, rec = engine
    peer = await peers("--answer")
    ref = await client.dial(peer.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
    old_pid = client.pid
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)
    crash = await rec.next(EngineDidCrash)
    assert crash.exit_code == -signal.SIGKILL
    end = await rec.next(CallDidEnd, lambda e: e.call_ref == ref)
    assert end.cause == "engine crashed"
    await rec.next(EngineDidRestart)
    assert client.pid != old_pid
    assert (await client.info())["pid"] == client.pid
    again = await client.dial(peer.uri())  # the new engine was registered again and places calls
    await rec.next(CallDidAnswer, lambda e: e.call_ref == again)
    await client.hangup(again)


async def test_commands_fail_readably_when_no_engine_runs() -> None:
    client = EngineClient(EventBus())
    with pytest.raises(SoftphoneError, match="not running"):
        await client.answer("x")


async def test_register_with_a_bad_transport_is_a_readable_error(engine) -> None:
    client, rec = engine
    with pytest.raises(SoftphoneError, match="unknown SIP transport"):
        await client.register(SipAccount(extension="1", password="-", registrars=(), transport="carrier-pigeon"))
    _ = (rec, RegistrationDidChange, Recorder)


async def test_an_engine_that_dies_after_listening_is_reported_with_its_last_words(tmp_path: Path) -> None:
    """An engine that accepts the desk's link and then exits (it could not start something) is a readable
    SoftphoneError naming its exit code and last stderr line, not a bare ConnectionResetError."""
    import sys

    fake = tmp_path / "python"  # stands in for the interpreter: listens where told, accepts, complains, exits 3
    fake.write_text(f"""#!{sys.executable}
import socket, sys
path = sys.argv[sys.argv.index("--socket") + 1]
s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen(1)
conn, _ = s.accept()
print("engine ERROR: the sound system could not be opened", file=sys.stderr, flush=True)
sys.exit(3)
""")
    fake.chmod(0o700)
    client = EngineClient(EventBus(), python=str(fake), restart=False)
    with pytest.raises(SoftphoneError, match=r"stopped at start \(code 3\): engine ERROR: the sound system"):
        await client.start()
    await client.stop()
