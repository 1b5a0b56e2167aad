"""A form submitted while the shared database is down (issue 10): the desk keeps it, says so quietly in the
state bar ("saved locally, 1 waiting"), and writes it once the database is back; a form the desk can reject
alone is rejected at once and queues nothing. The outage is the SQLite file going away (``mode=rw``)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from formkit import ACTOR, LINKEDID, Env, seed_world, show
from sqlalchemy import select

from app.db import make_engine, make_session_factory, upgrade_to_head
from app.drafts import DraftStore
from app.models import Contact, WrapUp
from app.outbox import Outbox, OutboxPump, event_of
from app.worker import DbWorker
from cti.bus import EventBus
from ui.bridge import QtEventBridge
from ui.forms import FormContext
from ui.forms.wrapup import WrapUpPage
from ui.mainwindow import MainWindow
from ui.ops import Operations
from ui.outbox import queued_text


def test_wrap_up_saved_while_the_database_is_down_is_written_when_it_is_back(tmp_path: Path, qtbot: Any) -> None:
    path = tmp_path / "shared.db"
    setup = make_engine(f"sqlite:///{path}")
    upgrade_to_head(setup)
    with make_session_factory(setup)() as s:
        seed = seed_world(s)
    setup.dispose()
    engine = make_engine(f"sqlite:///file:{path}?mode=rw&uri=true")
    factory = make_session_factory(engine)
    worker = DbWorker(name="outbox-form-db")
    bus = EventBus()
    notices: list[str] = []
    pump = OutboxPump(outbox=Outbox(tmp_path / "outbox.db", session_factory=factory), worker=worker,
                      on_change=lambda c, r: bus.publish(event_of(c, r)))
    ctx = FormContext(worker=worker, session_factory=factory, actor=ACTOR, drafts=DraftStore(tmp_path / "d.db"),
                      ops=Operations(notify_error=notices.append), outbox=pump)
    env = Env(ctx=ctx, session=factory, seed=seed)
    window = MainWindow(desk=object(), bridge=QtEventBridge(bus=bus), reasons=["小休"])
    qtbot.addWidget(window)
    page = WrapUpPage(ctx=ctx)
    show(page, qtbot)
    page.set_call(env.call())
    env.settle()  # the categories load while the database is up
    away = tmp_path / "away"
    away.mkdir()

    def move(src: Path, dst: Path) -> None:
        for sfx in ("", "-wal", "-shm"):
            if (src / f"shared.db{sfx}").exists():
                (src / f"shared.db{sfx}").rename(dst / f"shared.db{sfx}")

    engine.dispose()
    move(tmp_path, away)  # the database is gone
    page.notes.setPlainText("未分类")
    page.submit()  # no category, no answer: rejected on the desk, nothing queued
    env.settle()
    assert page.fieldset.error_of("category_code") == "choose a service category"
    assert pump.counts.waiting == 0
    assert not window.outbox_indicator.isVisibleTo(window)

    page.category.set_code("claim.auto")
    page.resolved_yes.setChecked(True)
    emitted: list[int] = []
    page.saved_wrap_up.connect(emitted.append)
    page.submit()
    env.settle()
    assert emitted == [0]  # the CSR may finish wrap-up: the wrap-up is kept on the desk
    assert page.status.text() == queued_text("wrapup")
    assert window.outbox_indicator.isVisibleTo(window)
    assert "1" in window.outbox_indicator.text()

    move(away, tmp_path)  # the database is back
    asyncio.get_event_loop().run_until_complete(pump.replay_now())
    env.settle()
    with factory() as s:
        wraps = s.scalars(select(WrapUp).join(Contact).where(Contact.linkedid == LINKEDID)).all()
        assert [(w.category_code, w.resolved_first_contact) for w in wraps] == [("claim.auto", True)]
    assert not window.outbox_indicator.isVisibleTo(window)
    assert "1" in window.notice.text()  # "database back: 1 saved item(s) written", once, quietly
    assert notices == []
    worker.shutdown()
    engine.dispose()
