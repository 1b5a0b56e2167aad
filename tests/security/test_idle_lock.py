"""The idle lock (pytest-qt): after the idle time outside a call the desk window locks and hides every
customer detail; only the agent's password, checked in the database, unlocks it; no lock during a call."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget
from sqlalchemy import select

from app.actor import Actor
from app.audit import verify_chain
from app.db import make_engine, make_session_factory, upgrade_to_head
from app.models.audit import AuditEntry
from app.services.agents import create_agent, set_agent_disabled
from app.worker import DbWorker
from cti.bus import EventBus
from cti.events import CallDidOffer, frozen_vars
from ui.bridge import QtEventBridge
from ui.lock import IdleLock, audit_lock_changes, password_check
from ui.mainwindow import MainWindow
from ui.screenpop import CardSection, CardView

IDLE = 0.3  # seconds; the centre's default is 900
NAME = "欧阳修"
PASSWORD = "lock-test-2468"  # a test-only password
ADMIN = Actor(agent_id="admin", desk_id="test")


class Desk:
    def wrap_up_deadline(self) -> float | None:
        return None

    def __getattr__(self, name: str) -> Any:
        async def command(*_a: Any) -> None:
            return None

        return command


@pytest.fixture(autouse=True)
def qasync_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[tuple[DbWorker, Any]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    upgrade_to_head(engine)
    sf = make_session_factory(engine)
    with sf() as s:
        create_agent(s, actor=ADMIN, agent_id="1001", display_name="Agent", role="csr", team="A",
                     skills=("service",), password=PASSWORD)
        s.commit()
    worker = DbWorker()
    yield worker, sf
    worker.shutdown()
    engine.dispose()


@pytest.fixture
def window(qtbot: Any) -> MainWindow:
    bus = EventBus()
    card = CardView(customer=[("Name", NAME)], sections=[CardSection("Active policies", ["PA123 auto"])])
    w = MainWindow(desk=Desk(), bridge=QtEventBridge(bus=bus), reasons=["小休"], card_for_offer=lambda _o: card)
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    qtbot.waitExposed(w)
    bus.publish(CallDidOffer(call_ref="c1", caller_id="13800001111", queue="service",
                             ivr_vars=frozen_vars({"CSD_POLICY": "PA123"})))
    assert w.screen_pop.card.isVisible()
    return w


def settle(loop: asyncio.AbstractEventLoop, cond: Any, what: str, within: float = 10.0) -> None:
    """Run the qasync loop (Qt events and coroutines, as the desk does) until ``cond()`` holds."""

    async def wait() -> None:
        end = loop.time() + within
        while not cond():
            if loop.time() > end:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.02)

    loop.run_until_complete(wait())


def visible_texts(root: QWidget) -> list[str]:
    """Every text a visible widget in ``root`` shows."""
    out = []
    for w in root.findChildren(QWidget):
        if w.isVisible() and isinstance(w, QLabel | QAbstractButton | QLineEdit):
            out.append(w.text())
    return out


def make_lock(window: MainWindow, accounts: tuple[DbWorker, Any], on_call: list[bool]) -> IdleLock:
    worker, sf = accounts
    lock = IdleLock(window=window, idle_seconds=IDLE, on_call=lambda: on_call[0], who="1001",
                    verify=password_check(worker=worker, session_factory=sf, agent_id="1001", desk_id="test"))
    audit_lock_changes(lock, worker=worker, session_factory=sf, agent_id="1001", desk_id="test")
    return lock


def audit_actions(sf: Any) -> list[tuple[str, str, str]]:
    """(action, agent, outcome) of every audit row after the test's own account creation, in order."""
    with sf() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.agent_id, AuditEntry.outcome)
                         .where(AuditEntry.action != "agent.create").order_by(AuditEntry.seq)).all()
        return [tuple(r) for r in rows]


def test_idle_desk_locks_hides_customer_data_and_unlocks_only_with_the_password(
    qtbot: Any, window: MainWindow, accounts: tuple[DbWorker, Any], qasync_loop: asyncio.AbstractEventLoop
) -> None:
    assert any(NAME in t for t in visible_texts(window))
    lock = make_lock(window, accounts, [False])
    with qtbot.waitSignal(lock.did_lock, timeout=10_000):
        pass
    overlay = lock.overlay
    assert overlay is not None
    assert overlay.isVisible()
    assert overlay.geometry() == window.rect()
    assert not window.screen_pop.isVisible()
    assert not window.centralWidget().isVisible()
    assert not any(NAME in t for t in visible_texts(window))
    assert not any("PA123" in t for t in visible_texts(window))

    overlay.password.setText("not-the-password")
    overlay.unlock_button.click()
    settle(qasync_loop, lambda: bool(overlay.error.text()), "the refusal")
    assert "wrong password" in overlay.error.text()
    assert lock.locked
    assert not window.screen_pop.isVisible()

    overlay.password.setText(PASSWORD)
    overlay.unlock_button.click()
    settle(qasync_loop, lambda: not lock.locked, "the unlock")
    assert window.screen_pop.card.isVisible()
    assert any(NAME in t for t in visible_texts(window))

    # Locking, each password check and the unlock are all in the tamper-evident audit log, in order.
    _worker, sf = accounts
    settle(qasync_loop, lambda: ("desk.unlock", "1001", "ok") in audit_actions(sf), "the unlock audit row")
    actions = audit_actions(sf)
    assert actions[0] == ("desk.lock", "1001", "ok")
    assert actions[-1] == ("desk.unlock", "1001", "ok")
    verifies = [a for a in actions if a[0] == "agent.verify"]
    assert [v[2] for v in verifies] == ["wrong_password", "passed"]
    with sf() as s:
        assert verify_chain(s).ok
    lock.close()


def test_a_disabled_account_cannot_unlock(qtbot: Any, window: MainWindow, accounts: tuple[DbWorker, Any],
                                          qasync_loop: asyncio.AbstractEventLoop) -> None:
    lock = make_lock(window, accounts, [False])
    with qtbot.waitSignal(lock.did_lock, timeout=10_000):
        pass
    with accounts[1]() as s:
        set_agent_disabled(s, actor=ADMIN, agent_id="1001", disabled=True)
    overlay = lock.overlay
    assert overlay is not None
    overlay.password.setText(PASSWORD)
    overlay.unlock_button.click()
    settle(qasync_loop, lambda: bool(overlay.error.text()), "the refusal")
    assert "disabled" in overlay.error.text()
    assert lock.locked
    lock.close()


def test_no_lock_during_a_call_then_lock_after_it(qtbot: Any, window: MainWindow,
                                                 accounts: tuple[DbWorker, Any]) -> None:
    on_call = [True]
    lock = make_lock(window, accounts, on_call)
    idle_checks: list[int] = []
    lock._timer.timeout.connect(lambda: idle_checks.append(1))  # the idle time has passed this many times
    qtbot.waitUntil(lambda: len(idle_checks) >= 3, timeout=10_000)
    assert not lock.locked
    assert window.screen_pop.card.isVisible()
    on_call[0] = False  # the call ended
    with qtbot.waitSignal(lock.did_lock, timeout=10_000):
        pass
    assert not window.screen_pop.isVisible()
    lock.close()
