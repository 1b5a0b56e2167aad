"""The idle lock (S-8.1-remote): after the profile's ``idle_lock_seconds`` without input and outside a
call, the desk window locks. Everything in it is hidden (the screen pop, forms, lists) behind an
opaque overlay; only the agent's password, checked again in the database, unlocks it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

# What counts as the CSR being at the desk.
_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                    QEvent.Type.TouchBegin})

Verify = Callable[[str], Awaitable[str | None]]  # the password -> None when right, else the reason in words


class LockOverlay(QWidget):
    """The opaque cover with the password field; ``unlock_requested`` carries the password typed."""

    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget, *, who: str) -> None:
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel(self.tr("This desk is locked"))
        self.title.setObjectName("lockTitle")
        self.who = QLabel(who)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Password to unlock"))
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.error = QLabel("")
        self.error.setObjectName("lockError")
        self.error.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addStretch(1)
        for w in (self.title, self.who, self.password, self.unlock_button, self.error):
            box.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(1)
        self.password.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)

    def _submit(self) -> None:
        text = self.password.text()
        self.password.clear()
        if text:
            self.unlock_button.setEnabled(False)
            self.unlock_requested.emit(text)

    def refused(self, reason: str) -> None:
        self.error.setText(reason)
        self.unlock_button.setEnabled(True)
        self.password.setFocus()


class IdleLock(QObject):
    """Lock ``window`` after ``idle_seconds`` without input while ``on_call()`` is false."""

    did_lock = Signal()
    did_unlock = Signal()

    def __init__(self, *, window: QWidget, idle_seconds: float, on_call: Callable[[], bool], verify: Verify,
                 who: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self._window = window
        self._on_call = on_call
        self._verify = verify
        self._who = who
        self._overlay: LockOverlay | None = None
        self._hidden: list[QWidget] = []
        self._task: asyncio.Task[None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, int(idle_seconds * 1000)))
        self._timer.timeout.connect(self._idle)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.installEventFilter(self)
        self._timer.start()

    @property
    def locked(self) -> bool:
        return self._overlay is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize and self._overlay is not None:
            self._overlay.setGeometry(self._window.rect())
        elif event.type() in _INPUT and not self.locked:
            self._timer.start()  # restart the idle count
        return False

    def _idle(self) -> None:
        if self.locked:
            return
        if self._on_call():
            self._timer.start()  # never lock during a call; count again from now
            return
        self.lock()

    def lock(self) -> None:
        """Hide everything in the window behind the overlay."""
        if self.locked:
            return
        self._hidden = [w for w in self._window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                        if w.isVisible()]
        for w in self._hidden:
            w.hide()
        overlay = LockOverlay(self._window, who=self._who)
        overlay.setGeometry(self._window.rect())
        overlay.unlock_requested.connect(self._try_unlock)
        overlay.show()
        overlay.raise_()
        overlay.password.setFocus()
        self._overlay = overlay
        log.info("desk locked after idle time")
        self.did_lock.emit()

    def _try_unlock(self, password: str) -> None:
        self._task = asyncio.ensure_future(self._check(password))

    async def _check(self, password: str) -> None:
        try:
            reason = await self._verify(password)
        except Exception as exc:  # the database is away: stay locked and say so
            log.warning("unlock check failed: %s", type(exc).__name__)
            reason = self.tr("The password could not be checked; try again")
        if self._overlay is None:
            return
        if reason is None:
            self.unlock()
        else:
            self._overlay.refused(reason)

    def unlock(self) -> None:
        """Remove the overlay and show what was hidden (after the password was checked)."""
        if self._overlay is None:
            return
        self._overlay.hide()
        self._overlay.deleteLater()
        self._overlay = None
        for w in self._hidden:
            w.show()
        self._hidden = []
        self._timer.start()
        log.info("desk unlocked")
        self.did_unlock.emit()

    @property
    def overlay(self) -> LockOverlay | None:
        return self._overlay

    def close(self) -> None:
        """Stop watching input (the window is closing)."""
        self._timer.stop()
        app: Any = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._window.removeEventFilter(self)


def password_check(*, worker: Any, session_factory: Callable[[], Any], agent_id: str, desk_id: str) -> Verify:
    """Return a ``Verify`` that checks the agent's password with ``verify_agent`` on the DB worker (audited)."""
    from app.errors import AuthError
    from app.services.agents import verify_agent

    def check(password: str) -> None:
        with session_factory() as s:
            verify_agent(s, agent_id, password, desk_id=desk_id)

    async def verify(password: str) -> str | None:
        try:
            await worker.run(check, password)
        except AuthError as exc:  # wrong password, or the account was disabled meanwhile
            return str(exc)
        return None

    return verify


def audit_lock_changes(lock: IdleLock, *, worker: Any, session_factory: Callable[[], Any], agent_id: str,
                       desk_id: str) -> None:
    """Write an audit row each time ``lock`` locks or unlocks (the unlock's password check is audited too)."""
    from app.actor import Actor
    from app.services.agents import record_desk_lock

    actor = Actor(agent_id=agent_id, desk_id=desk_id)
    pending: set[asyncio.Future[Any]] = set()

    def write(locked: bool) -> None:
        with session_factory() as s:
            record_desk_lock(s, actor=actor, locked=locked)

    def schedule(locked: bool) -> None:
        fut = asyncio.ensure_future(worker.run(write, locked))
        pending.add(fut)
        fut.add_done_callback(done)

    def done(fut: asyncio.Future[Any]) -> None:
        pending.discard(fut)
        if not fut.cancelled() and fut.exception() is not None:  # the database is away; the lock still works
            log.warning("lock audit not written: %s", type(fut.exception()).__name__)

    lock.did_lock.connect(lambda: schedule(True))
    lock.did_unlock.connect(lambda: schedule(False))
