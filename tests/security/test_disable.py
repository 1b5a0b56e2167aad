"""S-9.3.3 against the real lab: an administrator disables an agent centrally (python -m app.admin);
the agent's signed-in desk signs out within the watch's bound, ending a call if one is up, and the
agent cannot sign in again."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from labsim.labinfo import LabInfo, LabNotUp, load
from sqlalchemy import select

from app.accountwatch import AccountWatch
from app.config import CentreConfig, load_config
from app.db.engine import make_engine, make_session_factory
from app.demo_data.generate import demo_caller_numbers
from app.desk import Desk, SignInError
from app.events import DeskDidSignIn
from app.models.agent import Agent, AgentSignIn
from app.models.audit import AuditEntry
from app.secrets import StaticCredentials
from app.worker import DbWorker
from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import Event
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "sec-disable-2468"  # test-only password of the seeded demo agents
CHECK_SECONDS = 0.5  # the watch's interval here (the desk's default is 15 s)


async def until(cond: Callable[[], Any], what: str, within: float = 30.0) -> Any:
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while loop.time() < end:
        value = cond()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def lab() -> LabInfo:
    try:
        return load()
    except LabNotUp as exc:
        need(False, f"the Asterisk lab: {exc}")
        raise


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('disable') / 'desk.db'}"
    out = subprocess.run([sys.executable, "-m", "app.demo_data", "--db", url, "--customers", "20",
                          "--password", PASSWORD], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return url


@pytest.fixture
def parts(lab: LabInfo, db_url: str) -> Iterator[dict[str, Any]]:
    bus, worker, engine = EventBus(), DbWorker(), make_engine(db_url)
    events: list[Event] = []
    bus.subscribe(Event, events.append)
    yield {"bus": bus, "worker": worker, "sf": make_session_factory(engine), "events": events,
           "credentials": StaticCredentials(sip=lab.sip_passwords, ami=lab.ami_users)}
    worker.shutdown()
    engine.dispose()


@pytest.fixture
async def desk(parts: dict[str, Any], lab: LabInfo) -> AsyncIterator[Desk]:
    centre: CentreConfig = load_config(ROOT / "resources" / "centre.toml")
    d = Desk(config=centre, profile=centre.profiles["onsite"], desk_id="sec-desk", bus=parts["bus"],
             worker=parts["worker"], session_factory=parts["sf"], credentials=parts["credentials"],
             softphone=EngineClient(parts["bus"]), ca_file=str(lab.ca_cert))
    watch = AccountWatch(desk=d, bus=parts["bus"], interval=CHECK_SECONDS)
    try:
        yield d
    finally:
        watch.close()
        await d.close()


async def admin(db_url: str, *args: str) -> str:
    """Run the admin CLI as an administrator would (its own process), without blocking the desk's loop."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "app.admin", "--db", db_url, *args, cwd=ROOT,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()[-2000:]
    return out.decode()


def simulator(caller: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "labsim.sim", "--calls", "1", "--scenario", "claims-auto", "--caller-ids", caller,
         "--policy", "none", "--survey", "none", "--talk-max", "0", "--max-call", "60"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def names(parts: dict[str, Any]) -> list[str]:
    return [e.name for e in parts["events"]]


async def _disabled_desk_signs_out(desk: Desk, parts: dict[str, Any], db_url: str, agent: str) -> None:
    assert "disabled" in await admin(db_url, "disable-agent", agent)
    await until(lambda: "desk_did_sign_out" in names(parts), "the desk to sign out", within=60)
    assert names(parts).index("account_was_disabled") < names(parts).index("desk_did_sign_out")
    assert desk.session is None
    with parts["sf"]() as s:
        assert s.get(Agent, agent).disabled  # type: ignore[union-attr]
        open_rows = s.scalars(select(AgentSignIn).where(AgentSignIn.agent_id == agent,
                                                        AgentSignIn.signed_out_at.is_(None))).all()
        assert open_rows == []
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "agent.disable",
                                                 AuditEntry.record_id == agent)) is not None
    with pytest.raises(SignInError, match="disabled"):
        await desk.sign_in(agent, PASSWORD)
    assert desk.session is None


async def test_disabled_idle_desk_signs_out_and_cannot_sign_in_again(
    desk: Desk, parts: dict[str, Any], db_url: str
) -> None:
    await desk.sign_in("1004", PASSWORD)
    assert desk.session is not None
    await until(lambda: desk.session is not None and desk.session.state.status.value == "ready", "ready")
    await asyncio.sleep(CHECK_SECONDS * 3)  # the watch runs and finds the account usable
    assert desk.session is not None
    await _disabled_desk_signs_out(desk, parts, db_url, "1004")
    assert "enabled" in await admin(db_url, "enable-agent", "1004")  # re-enabled, the agent signs in again
    await desk.sign_in("1004", PASSWORD)
    assert desk.session is not None
    await desk.sign_out()


async def test_disabled_desk_on_a_call_hangs_up_and_signs_out(desk: Desk, parts: dict[str, Any], db_url: str) -> None:
    await desk.sign_in("1001", PASSWORD)
    await until(lambda: desk.session is not None and desk.session.state.status.value == "ready", "ready")
    caller = demo_caller_numbers(3)[2]
    sim = simulator(caller)
    try:
        await until(lambda: desk.session is not None and desk.session.state.status.value == "ringing", "ringing",
                    within=45)
        await desk.answer()
        await until(lambda: desk.session is not None and desk.session.state.status.value == "talking", "talking")
        await _disabled_desk_signs_out(desk, parts, db_url, "1001")
        assert "call_did_end" in names(parts)
    finally:
        sim.wait(timeout=90)


async def test_watch_drops_the_session_locally_when_the_pbx_will_not_sign_out(
    parts: dict[str, Any], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PBX link is down for good: the desk still stops its session and engine, and says so."""
    import app.accountwatch as watch_mod
    from app.actor import Actor
    from app.services.agents import record_sign_in

    monkeypatch.setattr(watch_mod, "STEP_WAIT_SECONDS", 0.2)

    class StuckSession:
        class state:
            class status:
                value = "degraded"

    class StuckDesk:
        def __init__(self) -> None:
            self.worker, self.session_factory = parts["worker"], parts["sf"]
            self.actor = Actor(agent_id="1007", desk_id="stuck-desk")
            self.session: Any = StuckSession()
            self.closed = False

        async def sign_out(self) -> None:
            raise RuntimeError("the PBX link is down")

        async def close(self) -> None:
            self.closed = True

    desk = StuckDesk()
    with parts["sf"]() as s:
        record_sign_in(s, actor=desk.actor)
        s.commit()
    watch = AccountWatch(desk=desk, bus=parts["bus"], interval=CHECK_SECONDS)
    try:
        parts["bus"].publish(DeskDidSignIn(agent_id="1007", display_name="x", role="csr", profile="onsite"))
        await admin(db_url, "disable-agent", "1007")
        await until(lambda: "desk_did_sign_out" in names(parts), "the local sign-out", within=60)
    finally:
        watch.close()
    assert desk.closed
    assert desk.session is None
    assert [e.by for e in parts["events"] if e.name == "desk_did_sign_out"] == ["account_disabled"]
    with parts["sf"]() as s:
        assert s.scalars(select(AgentSignIn).where(AgentSignIn.agent_id == "1007",
                                                   AgentSignIn.signed_out_at.is_(None))).all() == []


async def test_a_desk_signed_out_by_its_lead_ends_its_side_and_can_sign_in_again(
    desk: Desk, parts: dict[str, Any], lab: LabInfo
) -> None:
    """Issue 8: a lead signs out an agent who walked away. The agent's desk drops its session, closes the sign-in
    period, says which lead did it (DeskDidSignOut.by, which the shell shows on the sign-in window), and the
    agent signs in again at the same desk when back."""
    from app.events import DeskDidSignOut
    from app.lead import build_supervisor

    await desk.sign_in("1003", PASSWORD)
    await until(lambda: desk.session is not None and desk.session.state.status.value == "ready", "ready")
    centre: CentreConfig = load_config(ROOT / "resources" / "centre.toml")
    sup = build_supervisor(config=centre, profile=centre.profiles["onsite"], lead_extension="2001",
                           queues=("claims-auto", "claims-life", "service", "complaints"),
                           credentials=parts["credentials"], bus=EventBus(), softphone=None)
    await sup.start()
    try:
        assert await sup.force_sign_out("1003") > 0
        outs = await until(lambda: [e for e in parts["events"] if isinstance(e, DeskDidSignOut)],
                           "the desk to end its sign-in", within=30)
    finally:
        await sup.close()
    assert [(e.agent_id, e.by) for e in outs] == [("1003", "2001")]
    assert desk.session is None
    with parts["sf"]() as s:
        open_rows = s.scalars(select(AgentSignIn).where(AgentSignIn.agent_id == "1003",
                                                        AgentSignIn.signed_out_at.is_(None))).all()
        assert open_rows == []
    await desk.sign_in("1003", PASSWORD)  # back at the desk: a normal sign-in, no "already signed in"
    await until(lambda: desk.session is not None and desk.session.state.status.value == "ready", "ready again")
    await desk.sign_out()
