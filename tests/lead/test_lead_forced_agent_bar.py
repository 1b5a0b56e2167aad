"""The agent's own window when a team lead forced its state: the state bar names the lead (looked up by the real
desk service in the database), in English and in Chinese, keeps a forced sign-out shown, and clears the name once
the agent acts. The events are what the agent session publishes for the lab recording replayed in
tests/cti/test_agent_state.py; tests/lead/test_lead_lab.py does the same against the real PBX."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from app.actor import Actor
from app.config import load_config
from app.desk import Desk
from app.secrets import StaticCredentials
from app.services.agents import create_agent
from app.worker import DbWorker
from cti.bus import EventBus
from cti.events import AgentDidChangeState

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]


def test_the_agents_state_bar_names_the_lead(qtbot: Any, qapp: Any, qasync_loop: asyncio.AbstractEventLoop,
                                             lead_sqlite_template: Path, tmp_path: Path) -> None:
    from app.db import make_engine, make_session_factory
    from ui.bridge import QtEventBridge
    from ui.i18n import install_translator, remove_translator
    from ui.mainwindow import MainWindow

    shutil.copy(lead_sqlite_template, tmp_path / "desk.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    sessions = make_session_factory(engine)
    with sessions() as s:
        create_agent(s, actor=Actor(agent_id="admin", desk_id="setup"), agent_id="2001", display_name="王组长",
                     role="lead", team="A", skills=[], password="long enough pw")
    config = load_config(ROOT / "resources" / "centre.toml")
    bus, worker = EventBus(), DbWorker()
    desk = Desk(config=config, profile=config.profiles["onsite"], desk_id="d1", bus=bus, worker=worker,
                session_factory=sessions, credentials=StaticCredentials(sip={}, ami={}), softphone=None)
    window = MainWindow(desk=desk, bridge=QtEventBridge(bus=bus), reasons=list(config.not_ready_reasons))
    qtbot.addWidget(window)
    bar = window.state_bar

    def run_until(done: Any) -> None:
        async def poll() -> None:
            end = time.monotonic() + 10
            while not done():
                assert time.monotonic() < end, f"timed out; the bar says {bar.reason_label.text()!r}"
                await asyncio.sleep(0.02)
        qasync_loop.run_until_complete(poll())

    try:
        bus.publish(AgentDidChangeState(old="ready", new="not_ready", cause="paused by lead 2001",
                                        reason="会议 [lead 2001]", by="2001"))
        run_until(lambda: bar.reason_label.text() == "会议 · set not-ready by 王组长 (2001)")
        bus.publish(AgentDidChangeState(old="not_ready", new="not_ready", cause="paused by lead 2001",
                                        reason="签出 signed out [lead 2001]", by="2001"))
        bus.publish(AgentDidChangeState(old="not_ready", new="signed_out", cause="signed out by lead 2001", by="2001"))
        run_until(lambda: bar.reason_label.text() == "signed out by 王组长 (2001)")
        assert bar.state == "signed_out"
        assert not bar.ready_button.isEnabled()

        translator = install_translator(qapp, "zh_CN")
        try:
            bus.publish(AgentDidChangeState(old="signed_out", new="signed_out", cause="repaint", by="2001"))
            run_until(lambda: bar.reason_label.text() == "已被 王组长 (2001) 签出")
        finally:
            remove_translator(qapp, translator)

        bus.publish(AgentDidChangeState(old="signed_out", new="signing_in", cause="CSR signed in"))
        bus.publish(AgentDidChangeState(old="signing_in", new="ready", cause="signed in"))
        run_until(lambda: bar.state == "ready")
        assert bar.reason_label.text() == ""  # signing in again clears it
    finally:
        worker.shutdown()
        engine.dispose()
