"""The two resilience checks of issue 10, run with the *bundle* (dist/csdesk) under Xvfb against the lab.

(a) The database goes down mid-call. The desk runs on PostgreSQL, as a centre's would: a throwaway cluster of
    this module's own (tests/bundle/pgcluster.py), stopped with ``pg_ctl stop -m immediate`` once the call's
    card is shown (the CSR then answers, talks, hangs up and saves the wrap-up) and started again after the wrap-up was saved. The call goes on, the wrap-up is kept on the desk,
    and once the database is back every row of the call is there exactly once (checked by linkedid).
(b) The desk is killed (SIGKILL, desk and engine) in wrap-up with the wrap-up form half done. Restarted, it
    offers the draft back and signs in to the state the PBX kept for the agent: in the same wrap-up (paused
    for wrap-up, its time counted from before the kill), not to its default (ready).

The bundle is built once (installer/sources.py: rebuilt only when its sources changed); the scripted tour
(ui/tour.py) plays the CSR, ``--tour-stop`` ends it at a given screenshot.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from installer.sources import BUNDLE, EXECUTABLE, ensure_built
from tests.bundle import bundlekit as kit
from tests.bundle import pgcluster
from tests.conftest import need

pytestmark = [pytest.mark.lab, pytest.mark.ui, pytest.mark.audio, pytest.mark.pg, pytest.mark.timeout(1800)]

ROOT = kit.ROOT
INSTANCE = "bundle-resil"  # a lab instance of its own
AGENT = "1004"  # demo skills claims-auto + service
PASSWORD = "bundle-resil-7531"  # test-only password of the seeded demo agents
BAD = re.compile(r"Assertion|[Aa]bort|Traceback")
WRAP_UP_SECONDS = 600  # (b): long enough for the killed desk's wrap-up to outlast the restart


def _lab_works() -> bool:
    from labsim.labinfo import LabNotUp, load

    try:
        load("primary")
    except LabNotUp:
        return False
    return True


@pytest.fixture(scope="module")
def rig() -> Iterator[dict[str, Any]]:
    """The bundle (built once), a lab instance and a throwaway PostgreSQL cluster, shared by both checks."""
    need(_lab_works(), "the Asterisk lab (asterisk-conf/lab up)")
    need(shutil.which("Xvfb") is not None and shutil.which("dbus-run-session") is not None,
         "Xvfb and dbus-run-session (scripts/setup.sh)")
    need(kit.audio_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    need(pgcluster.available(), "Debian's postgresql binaries (scripts/setup.sh)")
    ensure_built()
    with kit.lab_instance(INSTANCE) as lab, pgcluster.cluster() as pg:
        yield {"lab": lab, "pg": pg}


def _database(pg: pgcluster.Cluster, name: str, state_dir: Path) -> str:
    """A new database on the throwaway cluster with the demo data (agents and 50 customers)."""
    from app.db import make_engine
    from app.demo_data.__main__ import main as seed

    admin = make_engine(pg.url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(pg.url).set(database=name).render_as_string(hide_password=False)
    assert seed(["--db", url, "--customers", "50", "--password", PASSWORD, "--state-dir", str(state_dir)]) == 0
    return url


@dataclass
class Run:
    proc: subprocess.Popen[bytes]
    shots: Path
    stderr: Path

    def shot(self, name: str) -> bool:
        return any(self.shots.glob(f"*-{name}.png"))

    def log(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL the session, the desk and its engine (the whole process group)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=60)


def _desk(tmp: Path, home: Path, lab: Any, xenv: dict[str, str], db_url: str, label: str, *extra: str,
          wrap_up_seconds: int | None = None) -> Run:
    """Start the bundle; the database URL goes in the environment (CSDESK_DB_URL), never on a command line."""
    config = kit.centre_config_for(lab, BUNDLE / "_internal" / "resources" / "centre.toml", tmp / "centre.toml")
    if wrap_up_seconds is not None:
        text = config.read_text(encoding="utf-8")
        config.write_text(re.sub(r"(?m)^wrap_up_seconds = \d+", f"wrap_up_seconds = {wrap_up_seconds}", text),
                          encoding="utf-8")
    env = dict(xenv, CSDESK_DEMO_PASSWORD=PASSWORD, CSDESK_LOG_LEVEL="INFO", CSDESK_DB_URL=db_url, HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"))
    for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(var, None)
    shots = tmp / f"shots-{label}"
    err = tmp / f"desk-{label}.stderr"
    with err.open("wb") as out:
        proc = subprocess.Popen(
            ["dbus-run-session", "--", str(EXECUTABLE), "--lab", INSTANCE, "--config", str(config), "--agent", AGENT,
             "--auto-sign-in", "--screenshots", str(shots), *extra],
            cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=out, start_new_session=True)
    return Run(proc, shots, err)


def _call(caller: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "labsim.sim", "--instance", INSTANCE, "--calls", "1", "--scenario", "claims-auto",
         "--caller-ids", caller, "--policy", "none", "--talk-max", "0", "--max-call", "180"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _linkedid(sim: subprocess.Popen[str]) -> str:
    out, err = sim.communicate(timeout=300)
    assert sim.returncode == 0, out[-2000:] + err[-2000:]
    linkedids = set(re.findall(r"linkedid=(\S+)", out))
    assert len(linkedids) == 1, out[-2000:]
    return linkedids.pop()


def _no_crash(log: str) -> None:
    bad = [line for line in kit.own_lines(log) if BAD.search(line)]
    assert not bad, "the bundle's stderr has an assertion, abort or traceback:\n" + "\n".join(bad[:40])


def _keep(tmp: Path, name: str) -> None:
    dest = ROOT / "out" / name
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for path in tmp.glob("desk-*.stderr"):
        shutil.copy(path, dest)
    for path in tmp.glob("shots-*"):
        shutil.copytree(path, dest / path.name)


def test_database_down_mid_call_nothing_lost_nothing_twice(rig: dict[str, Any], tmp_path: Path) -> None:
    from app.demo_data.generate import demo_caller_numbers
    from app.models import AppliedWrite, Contact, WrapUp
    from bench.xvfb import xvfb

    pg: pgcluster.Cluster = rig["pg"]
    db_url = _database(pg, "resil_db_down", tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    sim = None
    with xvfb(display=kit.free_display()) as xenv:
        run = _desk(tmp_path, home, rig["lab"], xenv, db_url, "a", "--tour-seconds", "300")
        try:
            kit.wait_for(lambda: run.shot("ready"), "the desk signed in and ready", 120, run.proc)
            sim = _call(demo_caller_numbers(4)[3])
            kit.wait_for(lambda: run.shot("ringing-screen-pop"), "the call ringing with its card", 120, run.proc)
            pg.crash()  # mid-call (the tour answers now): every connection of the desk dies, new ones are refused
            kit.wait_for(lambda: run.shot("outbound"), "the wrap-up saved and the tour past it", 120, run.proc)
            down_log = run.log()
            pg.start()  # the database is back; the desk's outbox replays within seconds
            code = run.proc.wait(timeout=300)
        except BaseException:
            if sim is not None and sim.poll() is None:
                sim.kill()
            raise
        finally:
            if not pg.running():
                pg.start()
            run.kill()
            _keep(tmp_path, "bundle-db-down")
    assert sim is not None
    linkedid = _linkedid(sim)
    log = run.log()
    assert code == 0, f"the bundle exited with {code}:\n{kit.tail(log)}"
    _no_crash(log)
    # The outage reached the desk while the call was up: the call's end and the wrap-up were queued on it.
    assert "outbox: queued contact.update" in down_log, kit.tail(down_log)
    assert "outbox: queued wrap_up.save" in down_log, kit.tail(down_log)
    assert re.search(r"outbox: replayed [1-9]", log), kit.tail(log)

    journal = home / ".local" / "share" / "csdesk" / "outbox.db"
    with sqlite3.connect(journal) as conn:
        items = conn.execute("SELECT key, kind, state FROM item ORDER BY seq").fetchall()
    assert items, "nothing went into the desk's journal"
    assert {state for _, _, state in items} == {"written"}, items
    kinds = [kind for _, kind, _ in items]
    assert "wrap_up.save" in kinds, kinds
    assert "contact.update" in kinds, kinds

    from app.db import make_engine

    engine = make_engine(db_url)
    try:
        with Session(engine) as s:
            contacts = s.scalars(select(Contact).where(Contact.linkedid == linkedid, Contact.agent_id == AGENT)).all()
            assert len(contacts) == 1, f"expected one contact row for {linkedid}, found {len(contacts)}"
            c = contacts[0]
            assert c.answered_at is not None
            assert c.ended_at is not None, "the call's end (queued while the database was down) was not written"
            assert c.ended_at >= c.answered_at
            wraps = s.scalars(select(WrapUp).where(WrapUp.contact_id == c.id)).all()
            assert [(w.category_code, w.resolved_first_contact) for w in wraps] == [("claim.auto", True)]
            keys = [k for k, _, _ in items]
            found = s.scalar(select(func.count()).select_from(AppliedWrite).where(AppliedWrite.key.in_(keys)))
            assert found == len(keys), "a journal item is not recorded as applied in the database"
            spans = s.execute(text("SELECT state FROM agent_state_span WHERE agent_id = :a ORDER BY started_at, id"),
                              {"a": AGENT}).scalars().all()
            assert spans.count("wrap_up") == 1, spans
            assert spans.count("talking") == 1, spans
            open_periods = s.execute(text("SELECT count(*) FROM agent_sign_in WHERE agent_id = :a "
                                          "AND signed_out_at IS NULL"), {"a": AGENT}).scalar()
            assert open_periods == 0, "the sign-out was not written"
    finally:
        engine.dispose()


def _wrap_up_draft(drafts: Path) -> dict[str, Any] | None:
    if not drafts.exists():
        return None
    try:
        with sqlite3.connect(f"file:{drafts}?mode=ro", uri=True, timeout=2) as conn:
            row = conn.execute("SELECT payload FROM draft WHERE agent_id = ? AND form_kind = 'wrap_up'",
                               (AGENT,)).fetchone()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def test_desk_killed_mid_form_offers_the_draft_and_takes_the_pbx_state(rig: dict[str, Any], tmp_path: Path) -> None:
    from app.demo_data.generate import demo_caller_numbers
    from bench.xvfb import xvfb

    db_url = _database(rig["pg"], "resil_killed", tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    drafts = home / ".local" / "share" / "csdesk" / "drafts.db"
    sim = None
    with xvfb(display=kit.free_display()) as xenv:
        first = _desk(tmp_path, home, rig["lab"], xenv, db_url, "killed", "--tour-stop", "wrap-up",
                      "--tour-seconds", "600", wrap_up_seconds=WRAP_UP_SECONDS)
        try:
            kit.wait_for(lambda: first.shot("ready"), "the desk signed in and ready", 120, first.proc)
            sim = _call(demo_caller_numbers(4)[3])
            kit.wait_for(lambda: first.shot("wrap-up"), "the wrap-up form half done", 120, first.proc)
            kit.wait_for(lambda: (_wrap_up_draft(drafts) or {}).get("notes"), "the wrap-up draft saved", 30,
                         first.proc)
        except BaseException:
            first.kill()
            if sim is not None and sim.poll() is None:
                sim.kill()
            raise
        first.kill()  # SIGKILL mid-form: no sign-out, no clean-up
        assert sim is not None
        linkedid = _linkedid(sim)  # the caller's side ends normally (its survey leg included)
        draft = _wrap_up_draft(drafts)
        assert draft is not None
        assert draft["category_code"] == "claim.auto"
        second = _desk(tmp_path, home, rig["lab"], xenv, db_url, "restarted", "--tour-stop", "ready",
                       "--tour-seconds", "25", wrap_up_seconds=WRAP_UP_SECONDS)
        try:
            code = second.proc.wait(timeout=300)
        finally:
            second.kill()
            _keep(tmp_path, "bundle-killed")
    log = second.log()
    assert code == 0, f"the restarted bundle exited with {code}:\n{kit.tail(log)}"
    _no_crash(log)
    began = re.search(r"sign-in: the PBX still had agent 1004 in 2 queue\(s\), paused \(wrap-up\); signing in wrap_up "
                      r"\(it began (\d+) s ago, extended by (\d+) s\)", log)
    assert began, kit.tail(log)
    assert 0 < int(began.group(1)) < WRAP_UP_SECONDS, began.group(0)  # the same wrap-up, timed from before the kill
    assert began.group(2) == "0", began.group(0)  # the CSR did not extend it (read back from the audit trail)
    shown = re.findall(r"tour: desk shows (\S+) \(([^)]*)\); drafts offered: (\S+)", log)
    assert shown, kit.tail(log)
    assert shown[-1][:2] == ("wrap_up", "-"), shown  # the PBX's state, not the default (ready)
    assert "wrapup" in shown[-1][2].split(","), shown  # the half-done wrap-up is offered back
    assert _wrap_up_draft(drafts) == draft  # offered, not dropped (the CSR decides)

    from app.db import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            periods = conn.execute(text("SELECT signed_out_at IS NULL FROM agent_sign_in WHERE agent_id = :a "
                                        "ORDER BY signed_in_at"), {"a": AGENT}).scalars().all()
            assert periods == [False, False], periods  # the killed desk's period was closed at the restart
            last = conn.execute(text("SELECT state, reason FROM agent_state_span WHERE agent_id = :a "
                                     "ORDER BY started_at DESC, id DESC"), {"a": AGENT}).all()
            states = [(r.state, r.reason) for r in last]
            assert ("wrap_up", "wrap-up") in states[:3], states  # written on the restarted sign-in
            contact = conn.execute(text("SELECT count(*) FROM contact WHERE linkedid = :l AND agent_id = :a"),
                                   {"l": linkedid, "a": AGENT}).scalar()
            assert contact == 1
    finally:
        engine.dispose()
