"""The desk's logs of a simulated shift hold no personal data (issue 7, ground rule 5).

The desk runs its scripted tour (sign in, a simulator call from a demo customer with the pop, answer, hang-up,
wrap-up, back to ready, sign out) at DEBUG level, and every name, ID number and mobile of the demo data is
looked for in everything it and its SIP engine wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from app.demo_data.generate import demo_caller_numbers
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "log-scan-pass-1357"
AGENT = "1003"


def test_a_simulated_shift_logs_no_personal_data(tmp_path: Path) -> None:
    try:
        from labsim.labinfo import load

        load()
    except Exception as exc:  # LabNotUp, or the lab package missing
        need(False, f"the Asterisk lab: {exc}")
    db = f"sqlite:///{tmp_path / 'desk.db'}"
    seed = subprocess.run([sys.executable, "-m", "app.demo_data", "--db", db, "--customers", "60",
                           "--password", PASSWORD], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert seed.returncode == 0, seed.stderr
    caller = demo_caller_numbers(3)[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CSDESK_LOG_LEVEL="DEBUG", CSDESK_DEMO_PASSWORD=PASSWORD,
               CSDESK_PREFS=str(tmp_path / "prefs.json"))
    env.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")  # where the PulseAudio socket is
    desk = subprocess.Popen(
        [sys.executable, "-m", "ui.main", "--lab", "primary", "--agent", AGENT, "--auto-sign-in", "--db", db,
         "--screenshots", str(tmp_path / "shots"), "--tour-seconds", "150"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sim = subprocess.Popen(
        [sys.executable, "-m", "labsim.sim", "--calls", "1", "--scenario", "claims-auto", "--caller-ids", caller,
         "--policy", "none", "--talk-max", "0", "--max-call", "90"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        log, _ = desk.communicate(timeout=200)
    finally:
        sim.terminate()  # a simulator stopped in order hangs its calls up, so none stays queued
        desk.kill()
        sim.wait(timeout=30)
    assert desk.returncode == 0, log[-3000:]
    assert "tour: saved" in log  # the shift really happened
    assert "ringing-screen-pop" in log
    assert "-> talking" in log

    with create_engine(db).connect() as conn:
        rows = conn.execute(text("select name, id_number, mobile from customer")).all()
        phones = [r[0] for r in conn.execute(text("select number from customer_phone"))]
    personal = {v for r in rows for v in r if v} | set(phones)
    assert caller in personal
    leaked = sorted(v for v in personal if v in log)
    where = [line.split(" ", 4)[-1][:60] for line in log.splitlines() if any(v in line for v in leaked)]
    assert leaked == [], f"personal data in the desk's log: {len(leaked)} values, in lines like {where[:3]}"
    assert PASSWORD not in log

