"""The frame every form shares: scrolling body, restore bar, draft autosave, submit keys, inline errors."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.drafts import Draft
from app.errors import DeskError, ValidationError
from app.masking import masker_for
from app.outbox import Queued
from ui.forms.context import CallContext, FormContext, call_service
from ui.forms.fields import FieldSet, format_local, restyle
from ui.forms.messages import tr_message
from ui.forms.restorebar import RestoreBar

DRAFT_DEBOUNCE_MS = 500
log = logging.getLogger(__name__)


class FormPage(QWidget):
    """Base of the five forms. Subclasses lay out ``body``, then call ``finish_setup()``."""

    kind: ClassVar[str] = "form"
    draft_kinds: ClassVar[tuple[str, ...]] = ("form",)
    # True: what the CSR typed and did not save stays with the call it was typed on when another call comes.
    # False: a new caller starts the form over (an identity check is only ever about the caller on the line).
    keeps_unsaved_work: ClassVar[bool] = True

    def __init__(self, *, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"Form_{self.kind}")
        self.ctx = ctx
        self.call: CallContext | None = None
        self.fieldset = FieldSet()
        self.restore_bar = RestoreBar(self)
        self.call_label = QLabel(objectName="FormCallLabel")
        self.discard_button = QPushButton(self.tr("Discard it"), objectName="FormDiscardPinned")
        self.discard_button.setToolTip(self.tr("Empty this form and drop its draft, to use it for the call up now"))
        self.discard_button.clicked.connect(self.discard_pinned)
        self.discard_button.setVisible(False)
        self.body = QWidget(objectName="FormBody")
        self.body_layout = QVBoxLayout(self.body)
        self.scroll_area = QScrollArea(objectName="FormScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.body)
        self.status = QLabel(objectName="FormStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.submit_button = QPushButton(objectName="FormSubmit")
        self.submit_button.clicked.connect(self.submit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.submit_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.restore_bar)
        label_row = QHBoxLayout()
        label_row.addWidget(self.call_label, 1)
        label_row.addWidget(self.discard_button)
        col.addLayout(label_row)
        col.addWidget(self.scroll_area, 1)
        col.addLayout(bottom)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._restoring = False
        self._offer_pending = False
        self._dirty = False
        self._busy = False
        self._offered: Draft | None = None
        self._draft_at: tuple[str, str | None] | None = None  # where the last draft was saved
        self.restored_linkedid: str | None = None
        self._pinned_caller: str | None = None  # the number of the earlier call a half-typed form was kept for
        self.restore_bar.restore_requested.connect(self._restore)
        self.restore_bar.discard_requested.connect(self._discard_offer)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Esc is taken here and does nothing, so no parent ever closes or clears a half-filled form.
        QShortcut(QKeySequence("Escape"), self, lambda: None, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.set_call(None)

    # --- to implement ------------------------------------------------------------------------
    def submit(self) -> None:
        raise NotImplementedError

    def draft_data(self) -> dict[str, Any]:
        """Return what the CSR has typed, JSON-able."""
        raise NotImplementedError

    def apply_draft(self, data: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Empty the form after a successful save."""
        raise NotImplementedError

    def tab_fields(self) -> list[QWidget]:
        """The inputs in the order Tab walks them."""
        return [f.widget for f in self.fieldset.fields.values()]

    # --- setup helpers -----------------------------------------------------------------------
    def finish_setup(self) -> None:
        """Watch every input for draft autosave, set the tab order and look for a crash draft."""
        self.body_layout.addStretch(1)
        self.watch(self.body)
        self.set_tab_order()
        self.load_draft()

    def watch(self, root: QWidget) -> None:
        """Autosave a draft when any input under ``root`` (or ``root`` itself) changes."""
        widgets = [root, *root.findChildren(QWidget)]
        for w in widgets:
            if w.property("watched"):
                continue
            if isinstance(w, QLineEdit):
                w.textChanged.connect(self.changed)
                w.returnPressed.connect(self.submit)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self.changed)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self.changed)
            elif isinstance(w, QAbstractButton) and w.isCheckable():
                w.toggled.connect(self.changed)
            else:
                continue
            w.setProperty("watched", True)

    def set_tab_order(self) -> None:
        chain = [w for w in self.tab_fields() if w is not None]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)
        if chain:
            QWidget.setTabOrder(chain[-1], self.submit_button)

    # --- call context ------------------------------------------------------------------------
    def set_call(self, call: CallContext | None) -> None:
        """Serve ``call`` (None: no call). What the CSR has typed and not saved stays with the call it was typed on:
        leaving wrap-up, or the next caller ringing, does not move a half-typed form onto another call. A form that
        holds nothing the CSR typed (only what the desk filled in for the last caller) starts clean for a new one."""
        typed_on, new = self.linkedid, call.linkedid if call else None
        typed = self._dirty and _has_content(self.draft_data())
        if self.keeps_unsaved_work and typed and typed_on and typed_on != new and not self.restored_linkedid:
            self.restored_linkedid = typed_on
            self._pinned_caller = self.call.caller_number if self.call and self.call.linkedid == typed_on else None
        elif new and new != (self.call.linkedid if self.call else None) and (
                not self.keeps_unsaved_work or not (typed or self.restored_linkedid)):
            self._drop_work(self.clear_for_new_call)
        self.call = call
        self._show_call_label()
        self._sync_offer()

    def pinned_elsewhere(self) -> bool:
        """The form holds work for a call other than the one up now (a crash draft, or typed on an earlier call)."""
        return bool(self.restored_linkedid) and (self.call is None or self.call.linkedid != self.restored_linkedid)

    def shown_number(self, number: str | None) -> str:
        """A phone number as this desk may show it (masked on a remote desk, as the card is), or "(withheld)"."""
        return masker_for(self.ctx.actor).phone(number) or self.tr("(withheld)")

    def _show_call_label(self) -> None:
        call = self.call
        self.discard_button.setVisible(self.pinned_elsewhere())
        if self.pinned_elsewhere() and self._pinned_caller:
            self.call_label.setText(self.tr("Kept for the earlier call it was typed on: %1").replace(
                "%1", self.shown_number(self._pinned_caller)))
        elif self.pinned_elsewhere():
            self.call_label.setText(self.tr("Attached to the call this draft was typed on."))
        elif call is None or not call.linkedid:
            self.call_label.setText(self.tr("No call: what you save here is not attached to a call."))
        elif call.ended:
            self.call_label.setText(self.tr("Attached to the call that ended: %1").replace(
                "%1", self.shown_number(call.caller_number)))
        else:
            parts = [self.shown_number(call.caller_number)]
            if call.queue:
                parts.append(call.queue)
            self.call_label.setText(self.tr("Attached to the current call: %1").replace("%1", " · ".join(parts)))

    def discard_pinned(self) -> None:
        """Drop the work kept for an earlier call (its draft too), so the form serves the call up now."""
        self.saved(self.tr("Discarded what was typed on the earlier call."))

    @property
    def linkedid(self) -> str | None:
        """A restored draft's linkedid (the call it was typed on: its words never go to another customer's call),
        else the current call's."""
        return self.restored_linkedid or (self.call.linkedid if self.call else None)

    # --- running services --------------------------------------------------------------------
    def run_service(self, label: str, service: Callable[..., Any], *, on_ok: Callable[[Any], None],
                    on_refused: Callable[[DeskError], None] | None = None, busy: bool = True,
                    on_failed: Callable[[Exception], None] | None = None, **kwargs: Any) -> None:
        """Run ``service(session, **kwargs)`` on the DB worker; show refusals inline, never in a dialog.
        ``on_failed`` takes a failure of the database (unreachable, say) instead of the status line."""
        if busy:
            self.set_busy(True)
        worker, factory = self.ctx.worker, self.ctx.session_factory

        async def go() -> Any:
            try:
                return await worker.run(call_service, factory, service, **kwargs)
            except DeskError as exc:  # a refusal the CSR can read, not a failure of the desk
                return exc
            except Exception as exc:
                if on_failed is None:
                    raise  # the desk's notice line and the form's status say it
                log.info("%s failed (%s): handled by the form", label, type(exc).__name__)
                return _Failed(exc)

        def done(result: Any) -> None:
            if busy:
                self.set_busy(False)
            if isinstance(result, _Failed):
                assert on_failed is not None
                on_failed(result.exc)
            elif isinstance(result, ValidationError):
                self.show_field_errors(result.fields)
            elif isinstance(result, DeskError):
                if on_refused is not None:
                    on_refused(result)
                else:
                    self.show_status(tr_message(str(result)), error=True)
            else:
                on_ok(result)

        def failed(exc: Exception) -> None:
            if busy:
                self.set_busy(False)
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:200]  # not a page of SQL
            self.show_status(self.tr("%1 failed: %2").replace("%1", label).replace("%2", reason), error=True)

        self.ctx.ops.run(label, go(), on_ok=done, on_error=failed)

    def run_write(self, label: str, kind: str, service: Callable[..., Any], *, on_ok: Callable[[Any], None],
                  on_queued: Callable[[Any], None], **kwargs: Any) -> None:
        """Submit a write through the desk's outbox (app.outbox): written now, or, with the database down,
        checked as far as the desk can and queued (``on_queued`` gets the ``Queued`` outcome). Refusals show
        inline as with ``run_service``; without an outbox this is ``run_service``."""
        outbox = self.ctx.outbox
        if outbox is None:
            self.run_service(label, service, on_ok=on_ok, **kwargs)
            return
        self.set_busy(True)

        async def go() -> Any:
            try:
                return await outbox.submit(kind, **kwargs)
            except DeskError as exc:
                return exc

        def done(result: Any) -> None:
            self.set_busy(False)
            if isinstance(result, ValidationError):
                self.show_field_errors(result.fields)
            elif isinstance(result, DeskError):
                self.show_status(tr_message(str(result)), error=True)
            elif isinstance(result, Queued):
                on_queued(result)
            else:
                on_ok(result.result)

        def failed(exc: Exception) -> None:
            self.set_busy(False)
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
            self.show_status(self.tr("%1 failed: %2").replace("%1", label).replace("%2", reason), error=True)

        self.ctx.ops.run(label, go(), on_ok=done, on_error=failed)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        self.fieldset.clear_errors()
        rest = self.fieldset.show_errors(errors)
        text = self.tr("Please correct the marked fields; nothing was saved.")
        if rest:
            text += " " + " ".join(tr_message(m) for m in rest.values())
        self.show_status(text, error=True)
        first = next((f for f in self.fieldset.fields.values() if not f.error.isHidden()), None)
        if first is not None:  # bring it into view without taking the focus from where the CSR types
            label = first.error  # after the layout has placed the message that just appeared
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(label, 50, 80))

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("fieldError", error)
        restyle(self.status)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit_button.setEnabled(not busy)

    # --- drafts ------------------------------------------------------------------------------
    @property
    def draft_kind(self) -> str:
        """The ``app.drafts`` form kind this form saves under now."""
        return self.draft_kinds[0]

    def changed(self) -> None:
        if self._restoring:
            return
        self._dirty = True
        self._sync_offer()
        if not self._offer_is_here():  # typing over the offered draft's own key waits for the CSR's choice
            self._draft_timer.start()

    def _offer_is_here(self) -> bool:
        """An offered crash draft is pending under the key this form would save to now."""
        d = self._offered
        return self._offer_pending and d is not None and (d.form_kind, d.linkedid) == (self.draft_kind, self.linkedid)

    def _offer_fits(self) -> bool:
        """Whether to show the offered draft now. Not while another call is up (restoring it would put an earlier
        customer's words into this call's form), nor over work typed since (restoring would replace it): the offer
        waits, and comes back once the call is over and the form is empty again."""
        d = self._offered
        if d is None:
            return False
        if self._offer_is_here():
            return True
        current = self.call.linkedid if self.call else None
        if current and current != d.linkedid:
            return False
        return not (self._dirty and _has_content(self.draft_data()))

    def _sync_offer(self) -> None:
        if self._offer_pending:
            self.restore_bar.setVisible(self._offer_fits())

    def save_draft(self) -> None:
        """Write the draft now (the debounce timer calls this); an empty form discards it."""
        self._draft_timer.stop()
        data = self.draft_data()
        store, agent = self.ctx.drafts, self.ctx.actor.agent_id
        key = (self.draft_kind, self.linkedid)
        old, keep = self._draft_at, _has_content(data)
        self._draft_at = key if keep else None

        def work() -> None:
            if old is not None and old != key:
                store.discard(agent_id=agent, form_kind=old[0], linkedid=old[1])
            if keep:
                store.save(agent_id=agent, form_kind=key[0], linkedid=key[1], payload=data)
            else:
                store.discard(agent_id=agent, form_kind=key[0], linkedid=key[1])

        self.ctx.ops.run(self.tr("Save draft"), self.ctx.worker.run(work))

    def load_draft(self) -> None:
        """Look for this agent's newest draft of this form (left by a crash) and offer it."""
        store, agent, kinds = self.ctx.drafts, self.ctx.actor.agent_id, self.draft_kinds

        def work() -> Draft | None:
            return next((d for d in store.list(agent_id=agent) if d.form_kind in kinds), None)

        self.ctx.ops.run(self.tr("Load draft"), self.ctx.worker.run(work), on_ok=self._offer)

    def _offer(self, draft: Draft | None) -> None:
        if draft is None or not _has_content(draft.payload):
            return
        self._offered = draft
        self._offer_pending = True
        try:
            saved_at = format_local(datetime.fromisoformat(draft.updated_at))
        except ValueError:
            saved_at = draft.updated_at
        self.restore_bar.offer(saved_at)
        self._sync_offer()

    def _restore(self) -> None:
        draft = self._offered
        if draft is None or not self._offer_fits():
            return
        self._restoring = True
        try:
            self.apply_draft(draft.payload)
        finally:
            self._restoring = False
        self._offer_pending = False
        self._draft_at = (draft.form_kind, draft.linkedid)
        self.restored_linkedid = draft.linkedid
        self.set_call(self.call)
        self.restore_bar.setVisible(False)
        self.show_status(self.tr("Draft restored."))
        if self._dirty:
            self.save_draft()

    def _discard_offer(self) -> None:
        draft = self._offered
        self._offer_pending = False
        self.restore_bar.setVisible(False)
        if draft is not None:
            store, agent = self.ctx.drafts, self.ctx.actor.agent_id
            self.ctx.ops.run(self.tr("Discard draft"), self.ctx.worker.run(
                lambda: store.discard(agent_id=agent, form_kind=draft.form_kind, linkedid=draft.linkedid)))
        if self._dirty:
            self.save_draft()

    @contextmanager
    def prefilling(self) -> Iterator[None]:
        """Fill fields for the CSR (the caller's number, the IVR policy number): not typing, so no draft."""
        was, self._restoring = self._restoring, True
        try:
            yield
        finally:
            self._restoring = was

    def clear_for_new_call(self) -> None:
        """Empty what the desk filled in for the last caller (a form may clear more than ``reset`` does)."""
        self.reset()

    def _drop_work(self, clear: Callable[[], None], *, draft_keys: bool = False) -> None:
        """Empty the form and drop the draft it wrote (with ``draft_keys``, also any under its call's key)."""
        with self.prefilling():
            clear()
            self.fieldset.clear_errors()
        self._dirty = False
        self._draft_timer.stop()
        store, agent = self.ctx.drafts, self.ctx.actor.agent_id
        keys = {k for k in (self._draft_at, (self.draft_kind, self.linkedid) if draft_keys else None) if k is not None}
        self._draft_at = None
        self.restored_linkedid = self._pinned_caller = None

        def work() -> None:
            for kind, linkedid in keys:
                store.discard(agent_id=agent, form_kind=kind, linkedid=linkedid)

        if keys:
            self.ctx.ops.run(self.tr("Discard draft"), self.ctx.worker.run(work))

    def now_serves_the_call_up(self) -> None:
        """The work kept for an earlier call was saved or discarded: the form serves the call up now (hook)."""

    def saved(self, text: str) -> None:
        """After a successful save: empty the form, drop its draft and say what happened."""
        was_elsewhere = self.pinned_elsewhere()
        self._drop_work(self.reset, draft_keys=True)
        self.show_status(text)
        self._show_call_label()  # no longer the earlier call's: the emptied form serves the call up now
        if was_elsewhere:
            self.now_serves_the_call_up()
        self._sync_offer()  # a crash draft put off while this form was in use is offered again


@dataclass(frozen=True)
class _Failed:
    """A service that failed (not refused), for a caller that handles failure itself."""

    exc: Exception


def _has_content(data: Any) -> bool:
    """True if the CSR typed or chose anything; keys starting with ``_`` hold defaults and do not count."""
    if isinstance(data, Mapping):
        return any(_has_content(v) for k, v in data.items() if not str(k).startswith("_"))
    if isinstance(data, list | tuple):
        return any(_has_content(v) for v in data)
    if isinstance(data, str):
        return bool(data.strip())
    return data is not None and data is not False
