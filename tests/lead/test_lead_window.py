"""The lead window with pytest-qt: the wallboard follows the team view and sorts, alerted rows are highlighted,
one click listens, force not ready and sign out reach the PBX side, indicators show with their definitions and
export. The PBX side is recorded (leadkit.RecordingSupervisor); the database is real (SQLite)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from leadkit import LeadDb, RecordingSupervisor
from test_lead_indicators import SINCE, UNTIL, queue_log, shift

from app.actor import Actor
from app.config import load_config
from app.indicators import parse_queue_log
from app.lead import AgentCallDidConnect, LeadDesk
from app.worker import DbWorker
from cti.bus import EventBus
from cti.events import QueueDidUpdate, TeamMemberDidUpdate

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]


class ListSource:
    def __init__(self) -> None:
        self.entries_ = parse_queue_log(queue_log())

    def entries(self, *, since: Any, until: Any) -> list[Any]:
        return [e for e in self.entries_ if since <= e.entered_at < until]


@pytest.fixture
def sqlite_db(lead_sqlite_template: Path, tmp_path: Path) -> Any:
    import shutil

    from app.db import make_engine, make_session_factory

    path = tmp_path / "lead.db"
    shutil.copy(lead_sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield LeadDb("sqlite", engine, make_session_factory(engine))
    engine.dispose()


@pytest.fixture
def window(qtbot: Any, qasync_loop: asyncio.AbstractEventLoop, sqlite_db: LeadDb) -> Any:
    from ui.bridge import QtEventBridge
    from ui.lead.window import LeadWindow

    with sqlite_db.session() as s:
        shift(s)
    bus = EventBus()
    sup = RecordingSupervisor(bus)
    config = load_config(ROOT / "resources" / "centre.toml")
    lead = LeadDesk(config=config, actor=Actor(agent_id="2001", desk_id="lead", role="lead"), team="A", bus=bus,
                    worker=DbWorker(), session_factory=sqlite_db.session, supervisor=sup, queue_source=ListSource())
    w = LeadWindow(lead=lead, bridge=QtEventBridge(bus=bus), reasons=list(config.not_ready_reasons))
    qtbot.addWidget(w)
    members = qasync_loop.run_until_complete(lead.start())
    w.show_team(members)
    w.bus, w.sup, w.loop = bus, sup, qasync_loop  # for the test
    wait(w, lambda: w.indicators.figures is not None)  # today's figures, asked for at start
    yield w
    qasync_loop.run_until_complete(w.ops.drain())
    lead.worker.shutdown()


def wait(w: Any, done: Any, within: float = 10.0) -> None:
    """Run the desk's loop (the lead's operations are asyncio tasks) until ``done()``."""
    async def poll() -> None:
        end = time.monotonic() + within
        while not done():
            assert time.monotonic() < end, "timed out"
            await asyncio.sleep(0.02)

    w.loop.run_until_complete(poll())


def cell(w: Any, ext: str, col: int, role: Any = None) -> Any:
    from PySide6.QtCore import Qt

    for r in range(w.proxy.rowCount()):
        if w.proxy.index(r, 1).data() == ext:
            return w.proxy.index(r, col).data(role if role is not None else Qt.ItemDataRole.DisplayRole)
    raise KeyError(ext)


def test_wallboard_follows_the_team_and_sorts(window: Any, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    w, bus = window, window.bus
    assert [w.proxy.index(r, 1).data() for r in range(w.proxy.rowCount())] == ["1001", "1002", "1003"]
    now = time.monotonic()
    bus.publish(TeamMemberDidUpdate(agent_id="1002", state="talking", reason=None, since=now - 125))
    bus.publish(AgentCallDidConnect(agent_id="1002", queue="service"))
    bus.publish(TeamMemberDidUpdate(agent_id="1003", state="not_ready", reason="小休 [lead 2001]", since=now - 30))
    bus.publish(TeamMemberDidUpdate(agent_id="1001", state="ready", reason=None, since=now - 5))
    w.model.flush()
    assert cell(w, "1002", 2) == "Talking"
    assert cell(w, "1002", 5) == "2:05"
    assert cell(w, "1002", 6) == "service"
    assert cell(w, "1003", 3) == "小休 [lead 2001]"
    w.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # longest in state first
    assert [w.proxy.index(r, 1).data() for r in range(3)] == ["1002", "1003", "1001"]
    bus.publish(TeamMemberDidUpdate(agent_id="1002", state="wrap_up", reason=None, since=now))
    w.model.flush()
    assert cell(w, "1002", 7) == "1"  # the call counts as handled today
    assert cell(w, "1002", 8) == "2:05"
    assert [w.proxy.index(r, 1).data() for r in range(3)] == ["1002", "1003", "1001"]  # rows stay put...
    w.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # ...until the lead sorts again
    assert [w.proxy.index(r, 1).data() for r in range(3)] == ["1003", "1001", "1002"]


def test_a_short_call_highlights_the_row_until_acknowledged(window: Any, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    w, bus = window, window.bus
    now = time.monotonic()
    bus.publish(TeamMemberDidUpdate(agent_id="1001", state="talking", reason=None, since=now - 4))
    bus.publish(TeamMemberDidUpdate(agent_id="1001", state="wrap_up", reason=None, since=now - 1))
    w.model.flush()
    w.alerts.flush()  # the panels paint at most every 200 ms; show now
    assert cell(w, "1001", 0, Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(w, "1002", 0, Qt.ItemDataRole.BackgroundRole) is None
    assert w.alerts.list.count() == 1
    assert "1001" in w.alerts.list.item(0).text()
    w.alerts.list.setCurrentRow(0)
    w.alerts.ack_button.click()
    wait(w, lambda: ("2001" in w.alerts.list.item(0).text()) or bool(w.notice.text()))
    assert not w.notice.text()
    assert "2001" in w.alerts.list.item(0).text()
    w.model.flush()
    assert cell(w, "1001", 0, Qt.ItemDataRole.BackgroundRole) is None


def test_one_click_listen_force_not_ready_and_sign_out(window: Any, qtbot: Any, monkeypatch: Any) -> None:

    w, sup = window, window.sup
    w.buttons["listen"].click()
    assert "Choose an agent" in w.notice.text()
    w.select_extension("1002")
    w.buttons["listen"].click()
    wait(w, lambda: ("listen", "1002") in sup.calls)
    w.buttons["barge"].click()
    wait(w, lambda: ("barge", "1002") in sup.calls)
    w.buttons["stop"].click()
    wait(w, lambda: ("stop_spy",) in sup.calls)
    w.not_ready_button.menu().actions()[1].trigger()
    wait(w, lambda: any(c[0] == "pause" for c in sup.calls))
    assert ("pause", "1002", "用餐 [lead 2001]") in sup.calls
    w.sign_out_agent(confirm=False)
    wait(w, lambda: ("remove", "1002") in sup.calls)
    wait(w, lambda: "signed out" in w.notice.text())


def test_indicators_show_with_definitions_plot_and_export(window: Any, qtbot: Any, tmp_path: Path) -> None:
    w = window
    w.show_period(SINCE, UNTIL)
    wait(w, lambda: w.indicators.figures is not None and w.indicators.figures.since == SINCE)
    v = w.indicators.values
    assert v["answer_rate"].text().startswith("50.0%")
    assert v["utilisation"].text().startswith("62.5%")
    assert v["satisfaction"].text().startswith("60.0%")
    assert v["abandoned"].text() == "2"
    assert all(label.toolTip() for label in v.values())
    assert "valid ratings" in v["satisfaction"].toolTip()
    offered, answered, sl = w.indicators.chart.series
    assert (offered.count(), offered.at(0), answered.at(0)) == (12, 3, 2)
    assert sl.at(3).y() == 100.0
    w.export(tmp_path / "shift.xlsx")
    w.export(tmp_path / "shift.csv")
    wait(w, lambda: (tmp_path / "shift-agents.csv").exists() and (tmp_path / "shift.xlsx").exists())


def test_queue_tiles_show_the_pbx_figures(window: Any) -> None:
    w = window
    w.bus.publish(QueueDidUpdate(queue="service", waiting=2, longest_wait=42.0, answered=6, abandoned=2,
                                 service_level=0.5))
    wait(w, lambda: "service" in w.tiles.tiles)  # shown with the next paint (at most 200 ms)
    tile = w.tiles.tiles["service"]
    assert tile.values["waiting"].text() == "2"
    assert tile.values["sl"].text() == "50.0%"
    assert tile.values["rate"].text() == "60.0%"  # 6 answered of 10 who entered (6 + 2 abandoned + 2 waiting)
    assert tile.values["longest"].text().startswith("0:4")


def test_reassign_dialog_gives_open_work_to_another_agent(window: Any, sqlite_db: LeadDb) -> None:
    from sqlalchemy import select

    from app.models import Customer, OutboundTask
    from app.timeutil import utcnow

    w = window
    with sqlite_db.session() as s:
        cust_id = s.scalar(select(Customer.id))
        s.add(OutboundTask(kind="renewal", customer_id=cust_id, due_at=utcnow(), status="open", assigned_to="1001"))
        s.commit()
    w.buttons["reassign"].click()
    wait(w, lambda: getattr(w, "reassign_dialog", None) is not None and w.reassign_dialog.isVisible())
    d = w.reassign_dialog
    rows = [d.list.item(i) for i in range(d.list.count())]
    target = next(r for r in rows if "1001" in r.text())
    d.list.setCurrentItem(target)
    d.target.setText("1002")
    d.accept()
    wait(w, lambda: "Reassigned" in w.notice.text() or bool(w.notice.text()))
    assert w.notice.text() == "Reassigned."
    with sqlite_db.session() as s:
        assert s.scalar(select(OutboundTask.assigned_to).where(OutboundTask.kind == "renewal",
                                                               OutboundTask.status == "open")) == "1002"
