"""What each process of the bundle loads before our code runs (issue 6: resident memory at idle).

The bundle is one program started three ways (installer/entry.py): the desk, ``csdesk -m cti.engine`` and
``csdesk -m app.keyring_broker``. PyInstaller's run-time hooks run in all three before the entry script.
Two things once cost every process: build-only packages in the analysis brought hooks that imported
pkg_resources, setuptools and multiprocessing (the engine 61 MB resident at idle, 35 MB from the source
tree), and PySide6's hook imports QtCore, which the engine then mapped for nothing (9 MB).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

import pytest
from PyInstaller.archive.readers import CArchiveReader

from installer import trim
from installer.sources import EXECUTABLE, ensure_built

pytestmark = [pytest.mark.timeout(600)]

BUILD_ONLY_HOOKS = {"pyi_rth_pkgres", "pyi_rth_setuptools", "pyi_rth_multiprocessing"}


def _scripts() -> list[str]:
    """The scripts the bootloader runs, in order: its bootstrap, the run-time hooks, the entry script."""
    toc = CArchiveReader(str(EXECUTABLE)).toc
    return [name for name, entry in toc.items() if entry[-1] == "s"]


def test_no_build_only_hooks_and_ours_runs_first() -> None:
    ensure_built()
    scripts = _scripts()
    assert scripts[-1] == "entry", scripts
    hooks = scripts[scripts.index("pyiboot01_bootstrap") + 1:-1]
    assert hooks[:1] == ["rth_no_qt"], f"installer/rth_no_qt.py must run before PyInstaller's hooks: {hooks}"
    assert not BUILD_ONLY_HOOKS & set(hooks), f"build-only packages reached the bundle: {hooks}"
    assert set(trim.BUILD_ONLY) <= set(trim.EXCLUDES)


def _maps(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_engine_of_the_bundle_maps_no_qt(tmp_path: Path) -> None:
    """The engine child (``csdesk -m cti.engine``) has pjsua2 loaded and no Qt library mapped."""
    ensure_built()
    err = (tmp_path / "engine.stderr").open("wb")
    engine = subprocess.Popen([str(EXECUTABLE), "-m", "cti.engine", "--tcp", "--bind", "127.0.0.1"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                              env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
                              start_new_session=True)
    try:
        assert engine.stdin is not None
        assert engine.stdout is not None
        engine.stdin.write((secrets.token_hex(32) + "\n").encode())
        engine.stdin.flush()
        line = engine.stdout.readline().decode()
        assert line.startswith("port "), f"engine said {line!r}: {(tmp_path / 'engine.stderr').read_text()[-2000:]}"
        end = time.monotonic() + 60
        while "_pjsua2" not in _maps(engine.pid):  # its SIP library is loaded: the engine is past its imports
            assert engine.poll() is None, (tmp_path / "engine.stderr").read_text()[-2000:]
            assert time.monotonic() < end, "the bundle's engine did not load pjsua2 within 60 s"
            time.sleep(0.1)
        time.sleep(0.5)
        qt = sorted({line.split()[-1] for line in _maps(engine.pid).splitlines()
                     if any(name in line for name in ("libQt6", "shiboken6", "libpyside6", "PySide6"))})
        assert not qt, f"the bundle's engine mapped Qt: {qt}"
    finally:
        if engine.poll() is None:
            os.killpg(engine.pid, signal.SIGKILL)
        engine.wait()
        err.close()
