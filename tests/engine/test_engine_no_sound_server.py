"""An engine started before the sound server (a desk launched with the session, a PulseAudio restart) starts
anyway: it registers, says the headset is unavailable, and opens it once a server answers. It used to exit at
start, and the desk's sign-in failed with a bare "Connection reset by peer".

A sound server that dies in the middle of a shift (it crashed, the user session restarted it) is the same case
later on: the engine says the headset is unavailable and reconnects once a server answers again. It used to keep
its dead connection and the headset stayed silent until the desk was restarted."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import DIRECT
from enginekit import Recorder

from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import AudioDeviceDidChange, EngineDidCrash
from cti.softphone import SoftphoneError
from tests.conftest import need


def _engine_python(tmp_path: Path, runtime: Path) -> str:
    """The real interpreter, with the engine's sound server looked up under ``runtime`` (empty at first)."""
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nunset PULSE_SERVER\nexport XDG_RUNTIME_DIR="{runtime}"\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o700)
    return str(python)


async def _start_server(env: dict[str, str]) -> None:
    server = await asyncio.create_subprocess_exec(  # -D: it forks and this process returns once it runs
        "pulseaudio", "-D", "--exit-idle-time=-1", "--disallow-exit", "-n", "--load=module-native-protocol-unix",
        "--load=module-null-sink sink_name=headset", "--load=module-always-sink", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    assert await asyncio.wait_for(server.wait(), 30) == 0


async def _kill_server(env: dict[str, str]) -> None:
    killer = await asyncio.create_subprocess_exec("pulseaudio", "--kill", env=env,
                                                  stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    await asyncio.wait_for(killer.wait(), 30)


def _private_server_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), HOME=str(tmp_path))
    env.pop("PULSE_SERVER", None)
    return runtime, env


async def test_engine_without_a_sound_server_starts_and_opens_the_headset_when_one_appears(tmp_path: Path) -> None:
    need(shutil.which("pulseaudio") is not None, "pulseaudio (scripts/setup.sh installs it)")
    runtime, env = _private_server_env(tmp_path)
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, python=_engine_python(tmp_path, runtime), headset_out="headset",
                          headset_in="headset.monitor", ringer_out="headset")
    await client.start()  # no server under runtime/: this used to end in ConnectionResetError
    try:
        assert (await client.info())["pid"]
        await client.register(DIRECT)
        await rec.next(AudioDeviceDidChange, lambda e: e.role == "headset_out" and e.state == "unavailable",
                       within=10)
        pid = (await client.info())["pid"]
        # the CSR opens the device picker while there is no server: a clear refusal, and the same engine goes on
        # (it used to let the OSError out of its command loop and exit, with any call it held)
        with pytest.raises(SoftphoneError, match="audio is not available"):
            await client.devices()
        assert (await client.info())["pid"] == pid
        assert not rec.of(EngineDidCrash), client.crash_dump()
        mark = len(rec.events)
        await _start_server(env)
        await rec.next(AudioDeviceDidChange, lambda e: e.role == "headset_out" and e.state == "open", after=mark,
                       within=20)
        assert any(d["name"] == "headset" for d in (await client.devices())["devices"])
    finally:
        code = await client.stop()
        await _kill_server(env)
    assert code == 0, "\n".join(client.stderr_tail)


async def test_a_sound_server_that_dies_mid_shift_is_reconnected_when_it_is_back(tmp_path: Path) -> None:
    need(shutil.which("pulseaudio") is not None, "pulseaudio (scripts/setup.sh installs it)")
    runtime, env = _private_server_env(tmp_path)
    await _start_server(env)
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, python=_engine_python(tmp_path, runtime), headset_out="headset",
                          headset_in="headset.monitor", ringer_out="headset")
    await client.start()
    try:
        await client.register(DIRECT)
        pid = (await client.info())["pid"]
        await rec.next(AudioDeviceDidChange, lambda e: e.role == "headset_out" and e.state == "open", within=10)
        for _ in range(2):  # twice: the connection made again must itself survive a second death
            mark = len(rec.events)
            await _kill_server(env)
            for role in ("headset_out", "headset_in"):
                await rec.next(AudioDeviceDidChange, lambda e, r=role: e.role == r and e.state == "unavailable",
                               after=mark, within=15)
            mark = len(rec.events)
            await _start_server(env)
            for role in ("headset_out", "headset_in"):
                await rec.next(AudioDeviceDidChange, lambda e, r=role: e.role == r and e.state == "open",
                               after=mark, within=20)
            assert any(d["name"] == "headset" for d in (await client.devices())["devices"])
        assert not rec.of(EngineDidCrash), client.crash_dump()  # libpulse used to abort the engine here
        assert (await client.info())["pid"] == pid  # the same engine all along: no restart
    finally:
        code = await client.stop()
        await _kill_server(env)
    assert code == 0, "\n".join(client.stderr_tail)
