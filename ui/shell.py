"""The composition root's second half: build the desk's parts and run sign-in → main window → sign-out.

Called by ui/main.py once the sign-in window is painted. Every long-lived object is built here and
passed on as a keyword argument; nothing below it reaches for a global.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.prefs import Prefs
from ui.signin import SignInWindow

log = logging.getLogger(__name__)
OUTBOX_FLUSH_SECONDS = 10.0


def default_db_url() -> str:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "csdesk"
    base.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{base / 'csdesk.db'}"


class DeskShell:
    """Own the windows and the desk service for one run of the program."""

    def __init__(self, *, app: QApplication, args: argparse.Namespace, prefs: Prefs, signin: SignInWindow,
                 root: Path) -> None:
        self.app = app
        self.args = args
        self.prefs = prefs
        self.signin = signin
        self.root = root
        self.desk: Any = None
        self.window: Any = None
        self.bus: Any = None
        self.bridge: Any = None
        self.worker: Any = None
        self.outbox: Any = None  # app.outbox.OutboxPump
        self._done: asyncio.Future[int] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._built: asyncio.Task[None] | None = None
        signin.sign_in_requested.connect(self._on_sign_in)
        signin.rejected.connect(lambda: self._finish(0))

    async def run(self) -> int:
        """Build the parts while the CSR types, then run until the desk is closed; return the exit code."""
        self._done = asyncio.get_running_loop().create_future()
        self._built = asyncio.ensure_future(self._build())
        if self.args.auto_sign_in:
            self._on_sign_in(self.args.agent or self.prefs.agent_id, os.environ.get("CSDESK_DEMO_PASSWORD", ""))
        if self.args.tour_seconds:  # a tour stopped on purpose (--tour-stop) ends well; one still running did not
            asyncio.get_running_loop().call_later(
                self.args.tour_seconds, lambda: self._finish(0 if getattr(self, "tour", None) is not None
                                                             and self.tour.stopped else 3))
        try:
            return await self._done
        finally:
            await self._shutdown()

    def _finish(self, code: int) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(code)

    # --- building ------------------------------------------------------------------------------------------

    async def _build(self) -> None:
        from app.config import load_config
        from app.db.engine import make_session_factory
        from app.db.migrate import upgrade_to_head
        from app.desk import Desk
        from app.worker import DbWorker
        from cti.bus import EventBus
        from cti.engine.client import EngineClient
        from ui.bridge import QtEventBridge

        config = load_config(self.args.config)
        profile = config.profiles[self.args.profile]
        self.bus = EventBus()
        self.bridge = QtEventBridge(bus=self.bus)
        self.worker = DbWorker()
        from app.pgsecurity import desk_engine

        # A remote desk on PostgreSQL reads personal tables through the masked views (schema remote).
        engine = desk_engine(self.args.db or default_db_url(), "remote" if profile.name == "remote" else "onsite")
        await self.worker.run(upgrade_to_head, engine)  # the desk upgrades its own schema at start
        session_factory = make_session_factory(engine)
        from app.outbox import Outbox, OutboxPump, event_of

        # Writes survive the shared database being down: journalled on this desk, replayed once it is back
        # (what a killed desk left waiting is replayed now, at start).
        bus = self.bus
        self.outbox = OutboxPump(outbox=Outbox(self._drafts_path().with_name("outbox.db"),
                                               session_factory=session_factory),
                                 worker=self.worker, on_change=lambda c, r: bus.publish(event_of(c, r)))
        self.outbox.start()
        credentials, ca_file = self._credentials()
        softphone = EngineClient(self.bus, headset_in=self.prefs.headset_in, headset_out=self.prefs.headset_out,
                                 ringer_out=self.prefs.ringer_out)
        self.desk = Desk(config=config, profile=profile, desk_id=platform.node() or "desk", bus=self.bus,
                         worker=self.worker, session_factory=session_factory, credentials=credentials,
                         softphone=softphone, ca_file=ca_file, outbox=self.outbox)
        self.config = config
        from app.accountwatch import AccountWasDisabled, AccountWatch

        self.account_watch = AccountWatch(desk=self.desk, bus=self.bus)  # S-9.3.3: central disabling
        self.bridge.on(AccountWasDisabled, self._account_disabled)
        from app.events import DeskDidSignOut

        self.bridge.on(DeskDidSignOut, self._desk_signed_out)
        from app.config import ConfigWatcher

        self.watcher = ConfigWatcher(self.args.config, on_change=self._config_changed, on_error=self._config_failed)
        self.watcher.start()
        await self.desk.prepare()  # the engine starts while the CSR types

    def _credentials(self) -> tuple[Any, str | None]:
        from app.secrets import KeyringCredentials, StaticCredentials

        if self.args.lab:
            import labsim.labinfo

            lab = labsim.labinfo.load(self.args.lab)
            return StaticCredentials(sip=lab.sip_passwords, ami=lab.ami_users), str(lab.ca_cert)
        return KeyringCredentials(ask=self._ask_secret), os.environ.get("CSDESK_CA_FILE")

    def _ask_secret(self, what: str) -> str | None:
        """No OS keyring: ask once for this session (kept in memory only). Only ever during sign-in."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(self.signin, self.signin.tr("Credential needed"),
                                        self.signin.tr("This desk has no keyring. Enter the %1:").replace("%1", what),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    # --- sign-in -> main window ------------------------------------------------------------------------------

    def _on_sign_in(self, agent_id: str, password: str) -> None:
        if self.args.screenshots and not self._tasks:
            self.args.screenshots.mkdir(parents=True, exist_ok=True)
            self.signin.grab().save(str(self.args.screenshots / "00-sign-in.png"))
        task = asyncio.ensure_future(self._sign_in(agent_id, password))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _sign_in(self, agent_id: str, password: str) -> None:
        try:
            assert self._built is not None
            await self._built
            from ui.lead.launch import open_if_lead  # a lead account opens lead mode (issue 8)

            if await open_if_lead(self, agent_id, password):
                self.prefs.agent_id = agent_id
                self.prefs.save()
                return
            await self.desk.sign_in(agent_id, password)
        except Exception as exc:  # every failure is shown to the CSR in words
            log.info("sign-in failed: %s: %s", type(exc).__name__, exc)  # desk errors carry no personal data
            self.signin.show_error(str(exc))
            return
        self.prefs.agent_id = agent_id
        self.prefs.save()
        self._open_main_window()

    def _open_main_window(self) -> None:
        from app.drafts import DraftStore
        from ui.forms import FormContext, build_forms
        from ui.mainwindow import MainWindow
        from ui.ops import Operations

        if self.window is not None:  # signed out and back: the old window stops hearing events and is let go
            self.bridge.drop(self.window)
            self.window.closing.disconnect()
            self.window = None
        notices: list[Any] = []
        ops = Operations(notify_error=lambda text: notices[0].show_notice(text) if notices else None)
        drafts = DraftStore(self._drafts_path())
        forms = build_forms(ctx=FormContext(worker=self.worker, session_factory=self.desk.session_factory,
                                            actor=self.desk.actor, drafts=drafts, ops=ops, outbox=self.outbox))
        from ui.figures import LiveFigures

        figures = LiveFigures(bridge=self.bridge, figures=self.desk.figures)
        self.window = MainWindow(desk=self.desk, bridge=self.bridge, reasons=list(self.config.not_ready_reasons),
                                 hotkeys=self.prefs.hotkeys, forms=forms, figures=figures,
                                 show_quality=self.desk.profile.name == "remote",
                                 mask_numbers=self.desk.profile.masked)
        day = self.desk.figures()
        if day is not None:
            figures.show_day(day)
        if self.desk.team is not None:  # the snapshot taken at sign-in, before this window existed
            from cti.events import QueueDidUpdate

            for q in self.desk.team.queues.values():
                figures.show_queue(QueueDidUpdate(queue=q.queue, waiting=q.waiting, longest_wait=0.0,
                                                  answered=q.answered, abandoned=q.abandoned,
                                                  service_level=q.service_level))
        notices.append(self.window.notice)
        if self.outbox is not None:  # what waited before this window existed
            from app.outbox import event_of

            self.window.show_outbox(event_of(self.outbox.counts, None))
        self._start_idle_lock()
        self.window.setWindowTitle(f"csdesk · {self.desk.display_name} ({self.desk.actor.agent_id})")
        self.window.closing.connect(lambda: self._finish(0))
        self.signin.hide()
        self.window.resize(1366, 768)
        self.window.show()
        self.window.warm()  # in this same turn: nothing of the sample reaches the screen
        from ui.gcguard import MainThreadGc

        MainThreadGc.settle()
        session = self.desk.session
        if session is not None:  # paint the state the session already has
            from cti.events import AgentDidChangeState

            st = session.state
            self.window.apply_state(AgentDidChangeState(old="signed_out", new=st.status.value, cause="sign-in",
                                                        reason=st.reason, at=st.since))
            resumed = getattr(session, "resumed", None)
            if resumed is not None:  # the sign-in took up the wrap-up a stopped desk left on the PBX
                self.window.show_wrap_up_resumed(resumed)
        if self.args.screenshots:
            task = asyncio.ensure_future(self._tour())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _tour(self) -> None:
        from ui.tour import Tour

        tour = Tour(out_dir=self.args.screenshots, desk=self.desk, window=self.window, bridge=self.bridge,
                    stop=getattr(self.args, "tour_stop", None))
        self.tour = tour
        try:
            await tour.run()
            if tour.stopped:
                return  # the desk stays as the tour left it until --tour-seconds (or it is killed)
        except Exception as exc:  # a tour that stops early still says why, and the desk exits non-zero
            log.error("tour stopped: %s: %s", type(exc).__name__, exc)
            self._finish(4)
            return
        self._finish(0)

    def _start_idle_lock(self) -> None:
        """Lock the window after the profile's idle time outside a call; the password unlocks it."""
        from ui.lock import IdleLock, audit_lock_changes, password_check

        on_call = ("ringing", "talking", "held", "consulting", "conferencing")
        desk = self.desk
        self.idle_lock = IdleLock(
            window=self.window, idle_seconds=desk.profile.idle_lock_seconds,
            on_call=lambda: desk.session is not None and desk.session.state.status.value in on_call,
            verify=password_check(worker=self.worker, session_factory=desk.session_factory,
                                  agent_id=desk.actor.agent_id, desk_id=desk.desk_id),
            who=f"{desk.display_name} ({desk.actor.agent_id})")
        audit_lock_changes(self.idle_lock, worker=self.worker, session_factory=desk.session_factory,
                           agent_id=desk.actor.agent_id, desk_id=desk.desk_id)

    def _account_disabled(self, _event: Any) -> None:
        """The account was disabled centrally: the desk signs out; back to the sign-in window, saying why."""
        self._back_to_sign_in()
        self.signin.show_error(self.signin.tr("An administrator disabled your account; this desk signed out."))

    def _desk_signed_out(self, event: Any) -> None:
        """A team lead signed this agent out (issue 8): back to the sign-in window, naming the lead, so the CSR
        who walked away can sign in again when back. (A disabled account has its own message.)"""
        from app.accountwatch import DISABLED_BY

        if not event.by or event.by == DISABLED_BY or self.window is None:
            return
        self._back_to_sign_in()
        self._who_task = asyncio.ensure_future(self._say_who_signed_out(event.by, time.strftime("%H:%M")))

    async def _say_who_signed_out(self, lead: str, when: str) -> None:
        name = None
        try:
            name = await self.desk.agent_name(lead)
        except Exception as exc:  # the database is away: the lead's id still says who
            log.info("lead name lookup failed: %s", type(exc).__name__)
        who = f"{name} ({lead})" if name else lead
        self.signin.show_error(self.signin.tr("Your team lead %1 signed you out at %2. Sign in again when you are "
                                              "back.").replace("%1", who).replace("%2", when))

    def _back_to_sign_in(self) -> None:
        lock = getattr(self, "idle_lock", None)
        if lock is not None:
            lock.close()
            self.idle_lock = None
        if self.window is not None:
            self.window.hide()
        self.signin.show()

    def _config_changed(self, config: Any) -> None:
        """The centre changed its settings: reasons apply at once, the rest at the next sign-in."""
        self.config = config
        if self.desk is not None:
            self.desk.config = config
            self.desk.profile = config.profiles[self.args.profile]
        if self.window is not None:
            self.window.state_bar.set_reasons(list(config.not_ready_reasons))
            self.window.notice.show_notice(self.window.tr("The centre's settings were updated."), seconds=6)
        log.info("centre configuration reloaded")

    def _config_failed(self, error: Exception) -> None:
        log.warning("centre configuration rejected: %s", error)
        if self.window is not None:
            self.window.notice.show_notice(
                self.window.tr("The centre's new settings are invalid; keeping the current ones: ") + str(error))

    def _drafts_path(self) -> Path:
        """Drafts stay on this desk (a local file, 0600), so they survive the shared database being down."""
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "csdesk"
        return base / "drafts.db"

    async def _shutdown(self) -> None:
        if getattr(self, "account_watch", None) is not None:
            self.account_watch.close()
        watcher = getattr(self, "watcher", None)
        if watcher is not None:
            await watcher.stop()
        if getattr(self, "lead", None) is not None:  # lead mode: stop watching, record the lead's sign-out
            try:
                await self.lead.close()
            except Exception as exc:
                log.warning("lead shutdown: %s", type(exc).__name__)
        if self.desk is not None:
            try:
                await self.desk.close()
            except Exception as exc:
                log.warning("desk shutdown: %s", type(exc).__name__)
        if self.outbox is not None:  # try for a while to write what waits; the rest is replayed at the next start
            try:
                left = await self.outbox.flush(within=OUTBOX_FLUSH_SECONDS)
                if left:
                    log.warning("outbox: %d write(s) still waiting for the database; replayed at the next start", left)
            except Exception as exc:
                log.warning("outbox flush at exit: %s", type(exc).__name__)
            await self.outbox.close()
        if self.worker is not None:
            self.worker.shutdown()
