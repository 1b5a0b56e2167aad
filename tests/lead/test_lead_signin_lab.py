"""Lead mode from the composition root against the lab: a lead account opens the lead window (password and role
checked in the database, the softphone registered as the lead, the lead's AMI user connected, sign-in and sign-out
recorded); a CSR account is left to the CSR desk; a wrong password opens nothing."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "cti" / "lab")]

from ctilab import lab_or_fail  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.actor import Actor  # noqa: E402
from app.config import PbxServer, load_config  # noqa: E402
from app.desk import Desk, SignInError  # noqa: E402
from app.models import AgentSignIn, AuditEntry  # noqa: E402
from app.secrets import StaticCredentials  # noqa: E402
from app.services.agents import create_agent  # noqa: E402
from app.worker import DbWorker  # noqa: E402
from cti.bus import EventBus  # noqa: E402

pytestmark = [pytest.mark.lab, pytest.mark.ui]


class RecordingPhone:
    """The softphone's surface the lead sign-in uses (the spy audio itself is tested in test_lead_spy_audio)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    async def start(self) -> None:
        self.calls.append(("start", None))

    async def register(self, account: Any) -> None:
        self.calls.append(("register", account.extension))

    async def stop(self) -> None:
        self.calls.append(("stop", None))


async def test_open_if_lead(qapp: Any, lead_sqlite_template: Path, tmp_path: Path) -> None:
    from app.db import make_engine, make_session_factory
    from ui.bridge import QtEventBridge
    from ui.lead.launch import open_if_lead
    from ui.lead.window import LeadWindow

    lab = lab_or_fail("primary")
    shutil.copy(lead_sqlite_template, tmp_path / "desk.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    factory = make_session_factory(engine)
    with factory() as s:
        boss = Actor(agent_id="admin", desk_id="setup")
        create_agent(s, actor=boss, agent_id="1003", display_name="CSR", role="csr", team="A", skills=["service"],
                     password="long enough pw")
        create_agent(s, actor=boss, agent_id="2001", display_name="Lead", role="lead", team="A", skills=["service"],
                     password="long enough pw")
    config = load_config(ROOT / "resources" / "centre.toml")
    config = dataclasses.replace(config, pbx=(PbxServer(lab.host, lab.ami_port, lab.ami_tls_port, lab.sip_port,
                                                        lab.sip_tls_port),))
    bus, worker, phone = EventBus(), DbWorker(), RecordingPhone()
    desk = Desk(config=config, profile=config.profiles["onsite"], desk_id="lead-desk", bus=bus, worker=worker,
                session_factory=factory, credentials=StaticCredentials(sip=lab.sip_passwords, ami=lab.ami_users),
                softphone=phone)
    finished: list[int] = []
    hidden: list[bool] = []
    shell = SimpleNamespace(desk=desk, args=SimpleNamespace(lab=None), bridge=QtEventBridge(bus=bus),
                            signin=SimpleNamespace(hide=lambda: hidden.append(True)), _finish=finished.append)
    try:
        await desk.prepare()  # the shell starts the engine while the sign-in window waits
        assert await open_if_lead(shell, "1003", "long enough pw") is False  # a CSR: the CSR desk signs in
        with pytest.raises(SignInError):
            await open_if_lead(shell, "2001", "wrong password")
        assert phone.calls == [("start", None)]
        assert await open_if_lead(shell, "2001", "long enough pw") is True
        assert isinstance(shell.window, LeadWindow)
        assert phone.calls == [("start", None), ("register", "2001")]  # one engine, registered as the lead
        assert hidden == [True]
        assert shell.lead.supervisor.link.up  # the lead2001 AMI user is logged in at the PBX
        assert shell.window.model.index_of.keys() == {"1003"}  # the lead's team on the wallboard
        await shell.lead.close()
        with factory() as s:
            period = s.execute(select(AgentSignIn.signed_in_at, AgentSignIn.signed_out_at)
                               .where(AgentSignIn.agent_id == "2001")).one()
            outcomes = [a.outcome for a in s.scalars(select(AuditEntry).where(AuditEntry.action == "agent.verify",
                                                                               AuditEntry.agent_id == "2001"))]
        assert period[1] is not None  # signed in and out again
        assert outcomes == ["wrong_password", "passed"]
    finally:
        if getattr(shell, "lead", None) is not None:
            await shell.lead.close()
        if getattr(shell, "window", None) is not None:
            shell.window.hide()  # hidden, not closed: a closed last window would quit the next test's Qt loop
            shell.window.deleteLater()
        worker.shutdown()
        engine.dispose()
