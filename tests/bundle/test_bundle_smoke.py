"""The bundle, not the source tree, takes a call against the lab (issue 10; S-8.2.1a, S-8.2.1c, S-8.2.2.3).

Builds dist/csdesk when it is missing or older than its sources (installer/sources.py), seeds a demo
database with the source tree, then runs the frozen ``csdesk`` under Xvfb with its scripted tour: it signs
in as CSR 1004, a simulated customer calls the claims queue, the desk answers, hangs up, finishes the
wrap-up and signs out. The engine child is the bundle too (``csdesk -m cti.engine``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from installer.sources import EXECUTABLE, ensure_built
from tests.conftest import need

pytestmark = [pytest.mark.lab, pytest.mark.ui, pytest.mark.audio, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
AGENT = "1004"  # demo skills claims-auto + service; 1001 is the demo's, 1005 the e2e test's
PASSWORD = "bundle-smoke-8642"  # test-only password of the seeded demo agents
REQUIRED_SHOTS = ("sign-in", "ready", "ringing-screen-pop", "wrap-up", "back-to-ready")
BAD = re.compile(r"Assertion|[Aa]bort|Traceback")


def _lab_up() -> bool:
    from labsim.labinfo import LabNotUp, load

    try:
        load("primary")
    except LabNotUp:
        return False
    return True


def _audio_up() -> bool:
    if not shutil.which("pactl"):
        return False
    return subprocess.run(["pactl", "info"], capture_output=True, timeout=5).returncode == 0


def _free_display() -> int:
    for n in range(90, 97):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display in :90-:96")


def _engine_children(desk_pid: int) -> list[list[str]]:
    """Return the argv of the processes under ``desk_pid`` that run the bundle as the SIP engine."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            exe = os.readlink(proc / "exe")
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == desk_pid and Path(exe) == EXECUTABLE and argv[1:3] == [b"-m", b"cti.engine"]:
            found.append([a.decode() for a in argv if a])
    return found


def _desk_pid(session_pid: int) -> int:
    """Return the pid of the bundle under ``dbus-run-session`` (its child running EXECUTABLE)."""
    for proc in Path("/proc").iterdir():
        try:
            if (proc.name.isdigit() and Path(os.readlink(proc / "exe")) == EXECUTABLE
                    and int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == session_pid):
                return int(proc.name)
        except (OSError, ValueError, IndexError):
            continue
    raise AssertionError("the bundle's desk process is not running under dbus-run-session")


def _own_lines(stderr: str) -> list[str]:
    """Return the desk's and the engine's own lines: not the DEBUG echo of AMI messages (PBX text)."""
    return [line for line in stderr.splitlines() if " DEBUG cti.ami." not in line]


def _tail(stderr: str) -> str:
    return "\n".join(line[:300] for line in _own_lines(stderr)[-60:])


def _keep(run_dir: Path) -> None:
    """Copy the run's screenshots and stderr to out/bundle-smoke/ (kept after pytest prunes its tmp dirs)."""
    keep = ROOT / "out" / "bundle-smoke"
    shutil.rmtree(keep, ignore_errors=True)
    keep.mkdir(parents=True)
    shutil.copy(run_dir / "desk.stderr", keep)
    if (run_dir / "shots").is_dir():
        shutil.copytree(run_dir / "shots", keep / "shots")


def _wait_for(cond: Callable[[], object], what: str, within: float,
              alive: subprocess.Popen[bytes] | None = None) -> None:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if cond():
            return
        if alive is not None and alive.poll() is not None:
            raise AssertionError(f"the bundle exited with {alive.returncode} before {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")


def test_bundle_takes_a_call_and_signs_out(tmp_path: Path) -> None:
    need(_lab_up(), "the Asterisk lab (asterisk-conf/lab up)")
    need(shutil.which("Xvfb") is not None and shutil.which("dbus-run-session") is not None,
         "Xvfb and dbus-run-session (scripts/setup.sh)")
    need(_audio_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    from app.demo_data.generate import demo_caller_numbers
    from bench.xvfb import xvfb

    ensure_built()
    db = f"sqlite:///{tmp_path / 'desk.db'}"
    seeded = subprocess.run([sys.executable, "-m", "app.demo_data", "--db", db, "--customers", "50",
                             "--password", PASSWORD, "--state-dir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    caller = demo_caller_numbers(4)[3]
    shots = tmp_path / "shots"
    home = tmp_path / "home"
    home.mkdir()

    with xvfb(display=_free_display()) as xenv:
        env = dict(xenv, CSDESK_DEMO_PASSWORD=PASSWORD, CSDESK_LOG_LEVEL="DEBUG", HOME=str(home),
                   XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"))
        for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
            env.pop(var, None)
        err_path = tmp_path / "desk.stderr"
        with err_path.open("wb") as err:
            desk = subprocess.Popen(
                ["dbus-run-session", "--", str(EXECUTABLE), "--lab", "primary", "--agent", AGENT,
                 "--auto-sign-in", "--db", db, "--screenshots", str(shots), "--tour-seconds", "200"],
                cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            sim = None
            try:
                _wait_for(lambda: any(shots.glob("*-ready.png")), "the desk signed in and ready", 120, desk)
                engines = _engine_children(_desk_pid(desk.pid))
                sim = subprocess.run(
                    [sys.executable, "-m", "labsim.sim", "--calls", "1", "--scenario", "claims-auto",
                     "--caller-ids", caller, "--policy", "none", "--talk-max", "0", "--max-call", "120"],
                    cwd=ROOT, capture_output=True, text=True, timeout=300)
                code = desk.wait(timeout=300)
            finally:
                if desk.poll() is None:  # the session, the desk and its engine: the whole process group
                    os.killpg(desk.pid, signal.SIGKILL)
                    desk.wait()
                _keep(tmp_path)
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    tail = _tail(stderr)
    assert sim is not None
    assert sim.returncode == 0, sim.stdout[-2000:] + sim.stderr[-2000:]
    assert code == 0, f"the bundle exited with {code}:\n{tail}"
    bad = [line for line in _own_lines(stderr) if BAD.search(line)]
    assert not bad, "the bundle's stderr has an assertion, abort or traceback:\n" + "\n".join(bad[:40])
    assert len(engines) == 1, f"the desk's SIP engine was not the bundle itself: {engines}"

    saved = re.findall(r"tour: saved (\S+\.png)", stderr)
    names = {re.sub(r"^\d+-|\.png$", "", n) for n in [*saved, "00-sign-in.png"]}
    assert set(REQUIRED_SHOTS) <= names, f"tour screenshots missing: {set(REQUIRED_SHOTS) - names}"
    for name in ["00-sign-in.png", *saved]:
        path = shots / name
        assert path.is_file(), f"screenshot {name} missing"
        assert path.stat().st_size > 1000, f"screenshot {name} is empty"

    linkedids = set(re.findall(r"linkedid=(\S+)", sim.stdout))
    assert len(linkedids) == 1, sim.stdout[-2000:]
    linkedid = linkedids.pop()
    _assert_recorded(db, linkedid)


def _assert_recorded(db: str, linkedid: str) -> None:
    """The database holds the contact tied to the call's linkedid, its finished wrap-up and the sign-out."""
    from app.models import AgentSignIn, AgentStateSpan, Contact

    engine = create_engine(db)
    try:
        with Session(engine) as s:
            contact = s.scalar(select(Contact).where(Contact.linkedid == linkedid, Contact.agent_id == AGENT))
            assert contact is not None, "no contact row for the call's linkedid"
            assert contact.queue == "claims-auto"
            assert contact.customer_id is not None  # the screen pop found the demo customer
            assert contact.answered_at is not None
            assert contact.ended_at is not None
            assert contact.ended_at >= contact.answered_at
            spans = s.scalars(select(AgentStateSpan).where(AgentStateSpan.agent_id == AGENT)
                              .order_by(AgentStateSpan.started_at, AgentStateSpan.id)).all()
            states = [sp.state for sp in spans]
            assert "talking" in states, states
            assert "wrap_up" in states, states
            wrap = next(sp for sp in spans if sp.state == "wrap_up")
            assert wrap.ended_at is not None, "the wrap-up never ended"
            after = states[states.index("wrap_up") + 1:]
            assert after, states
            assert after[0] in ("ready", "not_ready"), states
            sign_ins = s.scalars(select(AgentSignIn).where(AgentSignIn.agent_id == AGENT)).all()
            assert len(sign_ins) == 1, "expected exactly one sign-in of the agent"
            assert sign_ins[0].signed_out_at is not None, "the desk did not sign out"
    finally:
        engine.dispose()
