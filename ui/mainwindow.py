"""The CSR's main window: state bar, call strip, screen pop and the work area, composed from panels."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.events import OutboxDidChange, ScreenPopDidLoad
from app.masking import mask_phone
from cti.events import (
    AgentDidChangeState,
    CallDidCorrelate,
    CallDidEnd,
    CallDidOffer,
    CallQualityDidUpdate,
    OutboundDidRing,
    WrapUpDidResume,
)
from cti.state_types import untagged
from ui.bridge import QtEventBridge
from ui.callstrip import CallStrip
from ui.health import DeskHealth
from ui.ops import Operations
from ui.outbox import OutboxIndicator
from ui.screenpop import CardView, ScreenPopPanel, card_view_from_pop
from ui.statebar import STATE_LABELS, StateBar, format_elapsed

DEFAULT_HOTKEYS = {
    "answer": "F2",
    "hangup": "F4",
    "hold": "F5",
    "mute": "F6",
    "ready": "F7",
    "not_ready": "F8",
    "blind_transfer": "F9",
}


class NoticeLine(QLabel):
    """A quiet line for failures and alerts: it never steals focus and clears itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoticeLine")
        self.setWordWrap(True)
        self._clear = QTimer(self)
        self._clear.setSingleShot(True)
        self._clear.timeout.connect(lambda: self.setText(""))

    def show_notice(self, text: str, *, seconds: int = 12) -> None:
        self.setText(text)
        self._clear.start(seconds * 1000)


class MainWindow(QMainWindow):
    """Compose the desk's panels and route their requests to the desk service."""

    closing = Signal()

    def __init__(
        self,
        *,
        desk: Any,
        bridge: QtEventBridge,
        reasons: list[str],
        hotkeys: dict[str, str] | None = None,
        card_for_offer: Any = None,
        pop_fallback_ms: int = 300,
        forms: Any = None,
        figures: Any = None,
        show_quality: bool = True,
        mask_numbers: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("csdesk"))
        self.setMinimumSize(1024, 640)
        self._desk = desk
        # A desk that sees masked data (remote) shows the caller's number masked too, as the card shows the mobile.
        self._shown_number: Any = mask_phone if mask_numbers else (lambda n: n)
        self._bridge = bridge
        self._card_for_offer = card_for_offer
        self._pending_offer: CallDidOffer | None = None
        self._pop_fallback = QTimer(self)
        self._pop_fallback.setSingleShot(True)
        self._pop_fallback.setInterval(pop_fallback_ms)
        self._pop_fallback.timeout.connect(self._show_offer_without_card)
        self.notice = NoticeLine()
        self.ops = Operations(notify_error=self.notice.show_notice)
        self.state_bar = StateBar(reasons=reasons)
        self.call_strip = CallStrip()
        # "saved locally, N waiting" (app.outbox), in the state bar's degraded area next to the PBX warning
        self.outbox_indicator = OutboxIndicator()
        bar = self.state_bar.layout()
        bar.insertWidget(bar.indexOf(self.state_bar.warning_label), self.outbox_indicator)  # type: ignore[attr-defined]
        self.screen_pop = ScreenPopPanel()
        self.forms = forms  # ui.forms.FormsPanel, or None in shell-only tests
        self.work_area = forms if forms is not None else QTabWidget(objectName="WorkArea")
        self._wrap_up_saved = False
        self._call: CallDidOffer | None = None
        self._call_context: Any = None  # ui.forms.CallContext of the call the forms serve
        self._lead_names: dict[str, str] = {}  # lead id -> "name (id)", for a state a lead forced
        if forms is not None:
            forms.wrap_up_saved.connect(self._on_wrap_up_saved)
            forms.dial_requested.connect(self._dial_task)
        self._dialling: tuple[str, int] | None = None  # (number, task id) dialled from a task, until it rings

        self.figures = figures  # ui.figures.LiveFigures, or None in shell-only tests
        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(self.screen_pop, 1)
        if figures is not None:
            left_col.addWidget(figures)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.work_area)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([520, 846])
        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.state_bar)
        col.addWidget(self.call_strip)
        col.addWidget(self.call_strip.keypad)
        col.addWidget(split, 1)
        col.addWidget(self.notice)
        self.setCentralWidget(central)

        self.screen_pop.search.search_requested.connect(self._search)
        self.screen_pop.search.customer_chosen.connect(self._choose_customer)
        self.state_bar.ready_requested.connect(lambda: self._run("Ready", "go_ready"))
        self.state_bar.not_ready_requested.connect(lambda r: self._run("Not ready", "go_not_ready", r))
        self.state_bar.pause_after_call_toggled.connect(self._pause_after_call)
        self.state_bar.extend_wrap_up_requested.connect(lambda: self._run("Extend wrap-up", "extend_wrap_up"))
        self.state_bar.finish_wrap_up_requested.connect(lambda: self._run("Finish wrap-up", "finish_wrap_up"))
        self.call_strip.action_requested.connect(self._call_action)

        bridge.on(AgentDidChangeState, self._on_state, owner=self)
        bridge.on(CallDidOffer, self._on_offer, owner=self)
        bridge.on(ScreenPopDidLoad, self._on_pop, owner=self)
        bridge.on(OutboundDidRing, self._on_outbound_ring, owner=self)
        bridge.on(CallDidCorrelate, self._on_correlate, owner=self)
        bridge.on(CallDidEnd, lambda _e: None, owner=self)
        if show_quality:  # the network-quality light is for remote desks
            bridge.on(CallQualityDidUpdate, self._on_quality, owner=self)
        self.health = DeskHealth(bridge=bridge, bar=self.state_bar, owner=self)  # link, softphone, headset warnings
        bridge.on(OutboxDidChange, self.show_outbox, owner=self)
        self._install_hotkeys({**DEFAULT_HOTKEYS, **(hotkeys or {})})

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)

    def warm(self) -> None:
        """Render the window once as it looks for a ringing call (sample pop, ringing state bar and call strip),
        off screen, and put it back, all in this event-loop turn: nothing of it reaches the screen, and the first
        real call paints as fast as later ones. Call it right after ``show``."""
        state = self.state_bar.state
        self.state_bar.set_state("ringing")
        self.call_strip.set_state("ringing")
        self.screen_pop.show_sample()
        self.grab()
        self.screen_pop.clear()
        self.state_bar.set_state(state)
        self.call_strip.set_state(state)

    def apply_state(self, event: AgentDidChangeState) -> None:
        """Show a state that was reached before this window existed (``event.at``: since when)."""
        self._on_state(event)

    def show_wrap_up_resumed(self, event: WrapUpDidResume) -> None:
        """Say, quietly, what became of the wrap-up the desk was in when it stopped (the state bar shows the rest)."""
        if not event.ran_out:
            text = self.tr("Wrap-up resumed after the restart, %1 left.").replace("%1", format_elapsed(
                event.seconds_left))
        else:
            now = self.state_bar.tr(STATE_LABELS.get(event.then, event.then)) + (f" ({untagged(event.reason)})"
                                                                        if event.reason else "")
            text = self.tr("Your wrap-up time ran out while the desk was closed; you are now %1.").replace("%1", now)
        self.notice.show_notice(text, seconds=20)

    # --- events -------------------------------------------------------------------------------
    def _on_state(self, event: AgentDidChangeState) -> None:
        lead = event.by if event.new in ("not_ready", "signed_out") else None
        self.state_bar.set_state(event.new, reason=untagged(event.reason), by=self._lead_names.get(lead or "", lead),
                                 since=event.at)
        if lead and lead not in self._lead_names and hasattr(self._desk, "agent_name"):
            self._show_lead_name(lead)
        self.call_strip.set_state(event.new)
        if event.new not in ("talking", "held", "consulting", "conferencing"):
            self.state_bar.set_quality(None)
        if event.new in ("ready", "not_ready"):
            self.screen_pop.clear()
            if self._call_context is not None and self.forms is not None:
                self.forms.set_call(None)  # after-call work is done; the wrap-up form keeps its call until saved
            self._call_context = None
        deadline = getattr(self._desk, "wrap_up_deadline", None)
        if event.new == "wrap_up":
            self.state_bar.set_wrap_up_deadline(deadline() if callable(deadline) else None)
            # Leaving wrap-up early needs the wrap-up form saved (S-8.2.2.3); the timer still ends it.
            self.state_bar.finish_button.setEnabled(self._wrap_up_saved or self.forms is None)
            if self.forms is not None:
                # Wrap-up is the call's after-work: a claim or transfer order raised now belongs to the call that
                # ended (its linkedid, its verified caller), until the CSR leaves wrap-up.
                if self._call_context is not None:
                    self._call_context = dataclasses.replace(self._call_context, ended=True)
                    self.forms.set_call(self._call_context)
                else:
                    self.forms.set_call(None)
                self.forms.focus_form("wrapup")

    def _dial_task(self, number: str, task_id: int) -> None:
        self._dialling = (number, task_id)
        self._run(self.tr("Dial"), "dial", number)

    def _on_outbound_ring(self, event: OutboundDidRing) -> None:
        """A call the CSR placed rings the far end: the forms serve it from now, answered or not (a "no answer"
        result on the task it was dialled from carries its linkedid), as they serve an inbound call from its offer."""
        dialling, self._dialling = self._dialling, None
        self._serve_outbound(event.linkedid, event.dialed,
                             dialling[1] if dialling is not None and dialling[0] == event.dialed else None)

    def _on_correlate(self, event: CallDidCorrelate) -> None:
        """An outbound call the CSR placed was answered (its ring usually said so already; the answer says it when
        the ring's event did not reach the window, e.g. a call answered before the desk saw it ring)."""
        if not event.outbound or not event.linkedid or self.forms is None:
            return
        if self._call_context is not None and self._call_context.linkedid == event.linkedid:
            return
        self._serve_outbound(event.linkedid, event.dialed, None)

    def _serve_outbound(self, linkedid: str, dialed: str, task_id: int | None) -> None:
        if self.forms is None:
            return
        from ui.forms import CallContext

        self._wrap_up_saved = False
        self._call_context = CallContext(linkedid=linkedid, caller_number=dialed or None, outbound=True,
                                         outbound_task=task_id)
        self.forms.set_call(self._call_context)

    def _show_lead_name(self, lead: str) -> None:
        """Look up the name of the lead who forced the state; until it arrives the bar shows the lead's id."""
        def show(name: str | None) -> None:
            self._lead_names[lead] = f"{name} ({lead})" if name else lead
            if self.state_bar.forced_by == lead:
                self.state_bar.set_forced_by(self._lead_names[lead])

        self.ops.run(self.tr("Show who changed your state"), self._desk.agent_name(lead), on_ok=show,
                     on_error=lambda _e: None)  # the bar keeps the id

    def show_outbox(self, event: OutboxDidChange) -> None:
        """Show what waits in the desk's outbox; say so once when it has been written (never a dialog)."""
        note = self.outbox_indicator.show_counts(event)
        if note:
            self.notice.show_notice(note)

    def _on_quality(self, event: CallQualityDidUpdate) -> None:
        if self.state_bar.state in ("talking", "held", "consulting", "conferencing"):
            self.state_bar.set_quality(event.mos)

    def _on_wrap_up_saved(self, _wrap_up_id: int) -> None:
        self._wrap_up_saved = True
        self.state_bar.finish_button.setEnabled(True)
        self.notice.show_notice(self.tr("Wrap-up saved."), seconds=4)

    def _on_offer(self, offer: CallDidOffer) -> None:
        """Wait (briefly) for the customer card so banner and card are painted in the same frame."""
        if self._card_for_offer is not None:  # a synchronous card source: paint now
            self._paint_offer(offer, self._card_for_offer(offer))
            return
        self._pending_offer = offer
        self._pop_fallback.start()

    def _on_pop(self, event: ScreenPopDidLoad) -> None:
        if self._pending_offer is None or event.offer.call_ref != self._pending_offer.call_ref:
            return
        self._pop_fallback.stop()
        self._pending_offer = None
        if event.pop is None:
            self.notice.show_notice(self.tr("Customer lookup failed: ") + (event.error or ""))
            view = CardView(known=False)
        else:
            view = card_view_from_pop(event.pop)
        self._paint_offer(event.offer, view, pop=event.pop)

    def _show_offer_without_card(self) -> None:
        """The lookup is slow: show the banner now, the card follows when it arrives."""
        offer = self._pending_offer
        if offer is not None:
            self.screen_pop.show_banner(caller=self._shown_number(offer.caller_id), queue=offer.queue,
                                        policy=offer.ivr_vars.get("CSD_POLICY"))

    def _paint_offer(self, offer: CallDidOffer, view: CardView, pop: Any = None) -> None:
        self.screen_pop.show_offer(
            caller=self._shown_number(offer.caller_id), queue=offer.queue, policy=offer.ivr_vars.get("CSD_POLICY"),
            view=view,
        )
        self._wrap_up_saved = False
        if self.forms is not None:
            from ui.forms import CallContext

            self._call_context = CallContext(linkedid=offer.linkedid, caller_number=offer.caller_id, queue=offer.queue,
                                             policy_number=offer.ivr_vars.get("CSD_POLICY") or None, pop=pop)
            self.forms.set_call(self._call_context)

    # --- commands -----------------------------------------------------------------------------
    def _run(self, label: str, method: str, *args: Any) -> None:
        self.ops.run(self.tr(label), getattr(self._desk, method)(*args))

    def _search(self, kind: str, text: str) -> None:
        self.ops.run(self.tr("Search"), self._desk.search_customers(kind, text),
                     on_ok=self.screen_pop.search.show_results,
                     on_error=lambda _e: self.screen_pop.search.message.setText(self.tr("Search failed.")))

    def _choose_customer(self, customer_id: int) -> None:
        def show(pop: Any) -> None:
            self.screen_pop.card.show_view(card_view_from_pop(pop))
            if (self.forms is not None and self._call_context is not None  # the forms serve the chosen customer
                    and self.state_bar.state in ("ringing", "talking", "held", "consulting", "conferencing")):
                self._call_context = dataclasses.replace(self._call_context, pop=pop)
                self.forms.set_call(self._call_context)

        self.ops.run(self.tr("Show customer"), self._desk.pop_for_customer(customer_id), on_ok=show)

    def _pause_after_call(self, on: bool) -> None:
        reason = self.state_bar.reason_menu.actions()[0].text() if on else None
        self._run("Pause after this call", "pause_after_call", reason)

    def _call_action(self, name: str, target: str) -> None:
        label = self.call_strip.buttons[name].text() if name in self.call_strip.buttons else name
        if name in ("blind_transfer", "consult", "dial") and not target:
            self.notice.show_notice(self.tr("Enter a number, extension or queue first."))
            self.call_strip.target.setFocus()
            return
        method, args = {
            "answer": ("answer", ()),
            "hangup": ("hangup", ()),
            "hold": ("hold", ()),
            "unhold": ("unhold", ()),
            "mute": ("mute", (target == "on",)),
            "dtmf": ("dtmf", (target,)),
            "blind_transfer": ("blind_transfer", (target,)),
            "consult": ("consult", (target,)),
            "complete_transfer": ("complete_transfer", ()),
            "cancel_consult": ("cancel_consult", ()),
            "swap": ("swap", ()),
            "conference": ("conference", ()),
            "survey": ("transfer_to_survey", ()),
            "rec_mute": ("mute_recording", ()),
            "dial": ("dial", (target,)),
        }[name]
        self._run(label, method, *args)

    def _install_hotkeys(self, hotkeys: dict[str, str]) -> None:
        self.shortcuts: dict[str, QShortcut] = {}
        for action, key in hotkeys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            # Hotkeys work wherever the focus is in the desk (a form field, a dialog), not only on this window.
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(lambda a=action: self._hotkey(a))
            self.shortcuts[action] = shortcut

    def _hotkey(self, action: str) -> None:
        if action == "ready":
            if self.state_bar.ready_button.isEnabled():
                self.state_bar.ready_requested.emit()
            return
        if action == "not_ready":
            if self.state_bar.not_ready_button.isEnabled():
                self.state_bar.not_ready_button.showMenu()
            return
        if action == "hold" and self.state_bar.state == "held":
            action = "unhold"
        button = self.call_strip.buttons.get(action)
        if button is not None and button.isEnabled():
            button.click()
