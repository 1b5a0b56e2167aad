"""The engine process carries none of the desk's packages (each would be resident twice), nor numpy/cffi/soundcard
(~19 MB: the default pulse backend and the bridge do without them; only the echo test imports numpy), nor
Python's OpenSSL bindings (_hashlib/_ssl map libcrypto: 3.4 MB resident; pjsua2 brings its own TLS), nor
dataclasses (inspect, ast, dis, tokenize: 1.1 MB) or shutil/subprocess (the pulse backend never runs pactl). It hands the
GIL over every millisecond, not Python's default 5 ms, so its audio threads are not starved."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import DIRECT, pulse_up

from cti.bus import EventBus
from cti.engine.client import EngineClient
from tests.conftest import need

NOT_IN_ENGINE = {"app", "ui", "sqlalchemy", "alembic", "PySide6", "shiboken6", "qasync", "keyring", "panoramisk",
                 "numpy", "cffi", "soundcard", "_hashlib", "_ssl", "hmac", "secrets", "dataclasses", "inspect",
                 "ast", "shutil", "subprocess"}


def imported_modules(log: Path) -> set[str]:
    """Module names from ``python -X importtime`` output (one line per module, the first time it is imported)."""
    return {line.rsplit("|", 1)[-1].strip() for line in log.read_text().splitlines()
            if line.startswith("import time:") and "|" in line}


async def test_a_running_engine_imports_no_desk_package_nor_numpy(tmp_path: Path) -> None:
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    log = tmp_path / "imports.txt"
    python = tmp_path / "python"  # the real interpreter, with its import log on stderr sent to a file
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" -X importtime "$@" 2>>"{log}"\n')
    python.chmod(0o700)
    client = EngineClient(EventBus(), python=str(python), headset_out="headset", headset_in="mic.monitor",
                          ringer_out="speaker")
    await client.start()
    try:
        await client.register(DIRECT)
        info = await client.info()
        assert info["pid"]  # up and answering: its audio streams are open by now
        assert info["gil_switch_ms"] == 1.0  # audio threads get the GIL within 1 ms (Python's default: 5)
        await client.devices()
    finally:
        code = await client.stop()
    engine_said = "\n".join(line for line in log.read_text().splitlines() if not line.startswith("import time:"))
    assert code == 0, f"the engine exited with {code}; its stderr:\n{engine_said}"
    imported = imported_modules(log)
    assert {"cti.engine.process", "pjsua2"} <= imported  # the log is the engine's own
    assert not {name.split(".")[0] for name in imported} & NOT_IN_ENGINE
