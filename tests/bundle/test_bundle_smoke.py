"""The bundle, not the source tree, takes a call against the lab (issue 10; S-8.2.1a, S-8.2.1c, S-8.2.2.3).

Builds dist/csdesk when it is missing or older than its sources (installer/sources.py), seeds a demo
database with the source tree, then runs the frozen ``csdesk`` under Xvfb with its scripted tour: it signs
in as CSR 1004 on a lab instance of its own, a simulated customer calls the claims queue, the desk
answers, hangs up, saves and finishes the wrap-up and signs out. The engine child is the bundle too
(``csdesk -m cti.engine``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from installer.sources import BUNDLE, EXECUTABLE, ensure_built
from tests.bundle import bundlekit as kit
from tests.conftest import need

pytestmark = [pytest.mark.lab, pytest.mark.ui, pytest.mark.audio, pytest.mark.timeout(1800)]

ROOT = kit.ROOT
INSTANCE = "bundle-smoke"  # a lab instance of its own: no other test's call can ring this desk
AGENT = "1004"  # demo skills claims-auto + service
PASSWORD = "bundle-smoke-8642"  # test-only password of the seeded demo agents
REQUIRED_SHOTS = ("sign-in", "ready", "ringing-screen-pop", "wrap-up", "back-to-ready")
BAD = re.compile(r"Assertion|[Aa]bort|Traceback")


def _lab_works() -> bool:
    from labsim.labinfo import LabNotUp, load

    try:
        load("primary")
    except LabNotUp:
        return False
    return True


def test_bundle_takes_a_call_and_signs_out(tmp_path: Path) -> None:
    need(_lab_works(), "the Asterisk lab (asterisk-conf/lab up)")
    need(shutil.which("Xvfb") is not None and shutil.which("dbus-run-session") is not None,
         "Xvfb and dbus-run-session (scripts/setup.sh)")
    need(kit.audio_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    from app.demo_data.generate import demo_caller_numbers
    from bench.xvfb import xvfb

    ensure_built()
    bundled_config = BUNDLE / "_internal" / "resources" / "centre.toml"
    assert bundled_config.read_bytes() == (ROOT / "resources" / "centre.toml").read_bytes()
    db = f"sqlite:///{tmp_path / 'desk.db'}"
    seeded = subprocess.run([sys.executable, "-m", "app.demo_data", "--db", db, "--customers", "50",
                             "--password", PASSWORD, "--state-dir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    caller = demo_caller_numbers(4)[3]
    shots = tmp_path / "shots"
    home = tmp_path / "home"
    home.mkdir()

    with kit.lab_instance(INSTANCE) as lab, xvfb(display=kit.free_display()) as xenv:
        config = kit.centre_config_for(lab, bundled_config, tmp_path / "centre.toml")
        env = dict(xenv, CSDESK_DEMO_PASSWORD=PASSWORD, CSDESK_LOG_LEVEL="DEBUG", HOME=str(home),
                   XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"))
        for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
            env.pop(var, None)
        err_path = tmp_path / "desk.stderr"
        with err_path.open("wb") as err:
            desk = subprocess.Popen(
                ["dbus-run-session", "--", str(EXECUTABLE), "--lab", INSTANCE, "--config", str(config),
                 "--agent", AGENT, "--auto-sign-in", "--db", db, "--screenshots", str(shots),
                 "--tour-seconds", "200"],
                cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            sim = None
            try:
                kit.wait_for(lambda: any(shots.glob("*-ready.png")), "the desk signed in and ready", 120, desk)
                desks = kit.children_running(desk.pid, EXECUTABLE)
                assert len(desks) == 1, f"expected the bundle under dbus-run-session, found {desks}"
                engines = [argv for _, argv in kit.children_running(desks[0][0], EXECUTABLE)
                           if argv[1:3] == ["-m", "cti.engine"]]
                sim = subprocess.run(
                    [sys.executable, "-m", "labsim.sim", "--instance", INSTANCE, "--calls", "1",
                     "--scenario", "claims-auto", "--caller-ids", caller, "--policy", "none", "--talk-max", "0",
                     "--max-call", "120"],
                    cwd=ROOT, capture_output=True, text=True, timeout=300)
                code = desk.wait(timeout=300)
            finally:
                if desk.poll() is None:  # the session, the desk and its engine: the whole process group
                    os.killpg(desk.pid, signal.SIGKILL)
                    desk.wait()
                kit.keep(tmp_path)
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    assert sim is not None
    assert sim.returncode == 0, sim.stdout[-2000:] + sim.stderr[-2000:]
    assert code == 0, f"the bundle exited with {code}:\n{kit.tail(stderr)}"
    bad = [line for line in kit.own_lines(stderr) if BAD.search(line)]
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
    _assert_recorded(db, linkedids.pop())


def _assert_recorded(db: str, linkedid: str) -> None:
    """The database holds the contact tied to the call's linkedid, its wrap-up (the form and the finished
    wrap-up state) and the sign-out."""
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
            assert contact.wrap_up is not None, "the tour's wrap-up form was not saved"
            assert contact.wrap_up.category_code == "claim.auto"
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
