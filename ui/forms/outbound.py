"""Outbound (外呼, S-8.2.2.5): due tasks, dial from a task, record the result and, for a cooling-off
callback (犹豫期回访), the regulator's questions, each answered."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.readmodels import OutboundSummary, ScreenPop
from app.screenpop import pop_for_customer
from app.services.outbound import (
    OutboundResultForm,
    claim_for_dial,
    due_outbound_tasks,
    number_to_dial,
    record_outbound_result,
)
from app.timeutil import utcnow
from app.validation import FieldError, normalise_phone
from ui.forms.codes import name_of
from ui.forms.context import CallContext, FormContext
from ui.forms.fields import format_local, parse_local_datetime
from ui.forms.page import FormPage
from ui.forms.tables import fill_table, make_table
from ui.outbox import queued_text


def _future(text: str) -> object:
    value = parse_local_datetime(text)
    if value <= utcnow():
        raise FieldError("the call-back time must be in the future")
    return value


def _dialable(text: str) -> str:
    v = normalise_phone(text)
    if not v.isdigit():
        raise FieldError("a mobile number has digits only")
    return v


DEADLINE_COLOURS = {"ended": "#b71c1c", "today": "#b71c1c", "soon": "#8a5a00"}  # with words, never colour alone


def deadline_urgency(deadline: date | None, today: date) -> str:
    """How near a cooling-off callback's deadline is: "ended", "today", "soon" (within 3 days), "later" or ""."""
    if deadline is None:
        return ""
    days = (deadline - today).days
    return "ended" if days < 0 else "today" if days == 0 else "soon" if days <= 3 else "later"


class QuestionRow(QWidget):
    """One regulator question with yes / no / unclear."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for answer, text in (("yes", self.tr("Yes")), ("no", self.tr("No")), ("unclear", self.tr("Unclear"))):
            b = QRadioButton(text, objectName=f"Answer_{code}_{answer}")
            self.group.addButton(b)
            self.buttons[answer] = b
            row.addWidget(b)
        row.addStretch(1)

    def answer(self) -> str | None:
        return next((a for a, b in self.buttons.items() if b.isChecked()), None)

    def set_answer(self, answer: str | None) -> None:
        self.group.setExclusive(False)
        for a, b in self.buttons.items():
            b.setChecked(a == answer)
        self.group.setExclusive(True)


class OutboundPage(FormPage):
    """Pick a due task, dial it (``dial_requested(number, task_id)``), then record what happened."""

    kind = "outbound"
    draft_kinds = ("outbound",)
    dial_requested = Signal(str, int)
    # (task id, linkedid, number) of the last call placed from a task: its result carries that call even after the
    # call is over and the desk has left it (an unanswered call has no wrap-up to keep it). Set on the class: the
    # page's set-up asks for ``linkedid`` before __init__ gets this far.
    _attempt: tuple[int, str, str] | None = None
    task: OutboundSummary | None = None
    _masked_mobile: str | None = None  # the task's customer's mobile as this desk sees it, when masked

    def __init__(self, *, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        fs = self.fieldset
        self._tasks: list[OutboundSummary] = []
        self.task = None
        kinds = {"cooling_off": self.tr("Cooling-off callback"), "claim_follow_up": self.tr("Claim follow-up"),
                 "renewal": self.tr("Renewal")}
        self._kind_names = kinds

        tasks_box = QGroupBox(self.tr("Due callbacks"))
        self.refresh_button = QPushButton(self.tr("Refresh"), objectName="OutboundRefresh")
        self.tasks = make_table([self.tr("Task"), self.tr("Kind"), self.tr("Due"), self.tr("Call by"),
                                 self.tr("Attempts"), self.tr("Last result")], "OutboundTasks")
        tcol = QVBoxLayout(tasks_box)
        tcol.addWidget(self.refresh_button)
        self.tasks.setMaximumHeight(170)
        tcol.addWidget(self.tasks)
        self.body_layout.addWidget(tasks_box)

        self.result_box = QGroupBox(self.tr("Call and result"), objectName="OutboundResultBox")
        self.task_label = QLabel(self.tr("Choose a task above."), objectName="OutboundTaskLabel")
        self.number = QLineEdit(objectName="OutboundNumber")
        self.number.setPlaceholderText(self.tr("Number to dial"))
        self.dial_button = QPushButton(self.tr("Dial"), objectName="OutboundDial")
        dial = QWidget()
        drow = QHBoxLayout(dial)
        drow.setContentsMargins(0, 0, 0, 0)
        drow.addWidget(fs.add("number", self.number, _dialable), 1)
        drow.addWidget(self.dial_button)
        self.result = QComboBox(objectName="OutboundResult")
        for text, code in ((self.tr("— choose —"), ""), (self.tr("Success"), "success"),
                           (self.tr("No answer"), "no_answer"), (self.tr("Busy"), "busy"),
                           (self.tr("Wrong number"), "wrong_number"), (self.tr("Refused"), "refused"),
                           (self.tr("Call back later"), "call_back_later")):
            self.result.addItem(text, code)
        self.call_back_at = QLineEdit(objectName="OutboundCallBackAt")
        self.call_back_at.setPlaceholderText(self.tr("YYYY-MM-DD HH:MM (local time)"))
        self.note = QPlainTextEdit(objectName="OutboundNote")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        self.questions_box = QGroupBox(self.tr("Cooling-off questionnaire (regulator): ask each question"),
                                       objectName="OutboundQuestions")
        self.questions = {
            "signed_self": QuestionRow("signed_self"), "understands_terms": QuestionRow("understands_terms"),
            "knows_cooling_off": QuestionRow("knows_cooling_off"),
        }
        texts = {
            "signed_self": self.tr("Did you sign the application yourself?"),
            "understands_terms": self.tr("Do you understand the policy terms, including the exclusions?"),
            "knows_cooling_off": self.tr("Do you know about the cooling-off period and your right to cancel in it?"),
        }
        qform = QFormLayout(self.questions_box)
        for code, row in self.questions.items():
            label = QLabel(texts[code])
            label.setWordWrap(True)
            qform.addRow(label, fs.add(f"answers.{code}", row))
        self.customer_label = QLabel(objectName="OutboundCustomer")
        rform = QFormLayout(self.result_box)
        rform.addRow(self.task_label)
        rform.addRow(self.tr("Customer"), self.customer_label)
        rform.addRow(self.tr("Phone number"), dial)
        rform.addRow(self.tr("Result"), fs.add("result", self.result))
        rform.addRow(self.tr("Call back at"), fs.add("call_back_at", self.call_back_at, _future))
        rform.addRow(self.tr("Note"), fs.add("note", self.note))
        rform.addRow(self.questions_box)
        self._rform = rform
        self.body_layout.addWidget(self.result_box)

        self.submit_button.setText(self.tr("Save result"))
        self.refresh_button.clicked.connect(self.refresh)
        self.tasks.itemSelectionChanged.connect(self._task_selected)
        self.dial_button.clicked.connect(self.dial)
        self.result.currentIndexChanged.connect(self._result_changed)
        self._select(None)
        self.finish_setup()
        # Keyboard: Enter on a task, or in the number field, dials (in the other fields it saves the result).
        self.number.returnPressed.disconnect(self.submit)
        self.number.returnPressed.connect(self.dial)
        self.tasks.activated.connect(lambda _index: self.dial())
        self.refresh()

    def set_call(self, call: CallContext | None) -> None:
        """A call in progress is this form's (a result recorded on it carries its linkedid). After the hang-up only
        an outbound call is: the wrap-up of an inbound call is not the result of a callback task. A call dialled
        from a task stays that task's attempt until its result is saved, answered or not."""
        if call is not None and call.outbound and call.linkedid and call.outbound_task is not None:
            self._attempt = (call.outbound_task, call.linkedid, call.caller_number or "")
        super().set_call(None if call is not None and call.ended and not call.outbound else call)

    def _attempt_for_task(self) -> tuple[int, str, str] | None:
        a = self._attempt
        return a if a is not None and self.task is not None and a[0] == self.task.id else None

    @property
    def linkedid(self) -> str | None:
        """The call in progress (or the restored draft's), else the last call dialled for the chosen task."""
        attempt = self._attempt_for_task()
        return super().linkedid or (attempt[1] if attempt else None)

    def _show_call_label(self) -> None:
        super()._show_call_label()
        attempt = self._attempt_for_task()
        if attempt is not None and not self.restored_linkedid and (self.call is None or not self.call.linkedid):
            self.call_label.setText(self.tr("Attached to the call placed for this task: %1").replace(
                "%1", self.shown_number(attempt[2] or None)))

    def tab_fields(self) -> list[QWidget]:
        answers = [b for row in self.questions.values() for b in row.buttons.values()]
        return [self.tasks, self.number, self.dial_button, self.result, self.call_back_at, self.note, *answers]

    # --- tasks -------------------------------------------------------------------------------
    def refresh(self, keep: int | None = None) -> None:
        self.run_service(self.tr("Load due callbacks"), due_outbound_tasks, busy=False,
                         agent_id=self.ctx.actor.agent_id, on_ok=lambda rows: self._show_tasks(rows, keep))

    def deadline_text(self, deadline: date | None, today: date | None = None) -> str:
        """A cooling-off callback's last day, with how near it is in words ("—" for other tasks)."""
        if deadline is None:
            return "—"
        today = today or date.today()
        urgency, days = deadline_urgency(deadline, today), (deadline - today).days
        when = {"ended": self.tr("period ended"), "today": self.tr("today"),
                "soon": self.tr("tomorrow") if days == 1 else self.tr("in %1 days").replace("%1", str(days))}
        return f"{deadline.isoformat()} ({when[urgency]})" if urgency in when else deadline.isoformat()

    def _show_tasks(self, rows: tuple[OutboundSummary, ...], keep: int | None) -> None:
        self._tasks = list(rows)
        self.tasks.blockSignals(True)
        fill_table(self.tasks, [[str(t.id), self._kind_names.get(t.kind, t.kind), format_local(t.due_at),
                                 self.deadline_text(t.deadline), str(t.attempts), name_of(t.last_result)]
                                for t in rows])
        today = date.today()
        for r, t in enumerate(rows):  # a callback about to miss the regulator's period stands out, in words too
            colour = DEADLINE_COLOURS.get(deadline_urgency(t.deadline, today))
            if colour is None:
                continue
            for c in range(self.tasks.columnCount()):
                item = self.tasks.item(r, c)
                item.setForeground(QBrush(QColor(colour)))
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.tasks.item(r, 3).setToolTip(self.tr(
                "The cooling-off period ends on this day: only a callback made by then counts for the regulator."))
        self.tasks.clearSelection()
        self.tasks.blockSignals(False)
        kept = next((t for t in rows if t.id == keep), None)
        if kept is not None:
            self.select_task(kept.id)
        else:
            self._select(None)

    def select_task(self, task_id: int) -> None:
        for i, t in enumerate(self._tasks):
            if t.id == task_id:
                self.tasks.selectRow(i)
                return

    def _task_selected(self) -> None:
        rows = self.tasks.selectionModel().selectedRows()
        self._select(self._tasks[rows[0].row()] if rows else None)

    def _select(self, task: OutboundSummary | None) -> None:
        changed = (task.id if task else None) != (self.task.id if self.task else None)
        self.task = task
        self.result_box.setEnabled(task is not None)
        if task is None:
            self.task_label.setText(self.tr("Choose a task above."))
        else:
            text = self.tr("Task %1: %2, due %3").replace("%1", str(task.id)).replace(
                "%2", self._kind_names.get(task.kind, task.kind)).replace("%3", format_local(task.due_at))
            if task.deadline is not None:
                text += " · " + self.tr("call by %1").replace("%1", self.deadline_text(task.deadline))
            self.task_label.setText(text)
        if changed:
            self.fieldset.clear_errors()
            self._show_call_label()  # this task's attempt, or what the call is
            self._show_customer(task)
        self._result_changed()

    def _show_customer(self, task: OutboundSummary | None) -> None:
        """Whom the task calls: their card, masked as this desk sees it (the read is audited, as a pop's is). A desk
        that sees the mobile gets it filled in; a remote desk dials it without seeing it (the number field empty)."""
        self._masked_mobile = None
        self.customer_label.setText("")
        self.number.setPlaceholderText(self.tr("Number to dial"))
        if task is None or task.customer_id is None:
            with self.prefilling():
                self.number.clear()
            return
        with self.prefilling():  # a number is one task's: whatever was in the field belongs to another
            self.number.clear()
        task_id = task.id

        def show(pop: ScreenPop) -> None:
            card = pop.customer
            if self.task is None or self.task.id != task_id or card is None:
                return
            self.customer_label.setText(" · ".join(p for p in (card.name, card.mobile) if p))
            if card.mobile and "*" in card.mobile:
                self._masked_mobile = card.mobile
                self.number.setPlaceholderText(self.tr("Leave empty to dial %1 (the number stays hidden)").replace(
                    "%1", card.mobile))
            elif card.mobile and not self.number.text().strip():
                with self.prefilling():
                    self.number.setText(card.mobile)

        self.run_service(self.tr("Show the customer"), pop_for_customer, busy=False, on_ok=show,
                         customer_id=task.customer_id, actor=self.ctx.actor)

    def _result_changed(self) -> None:
        cooling = self.task is not None and self.task.kind == "cooling_off"
        self.questions_box.setVisible(cooling)
        self._rform.setRowVisible(self.call_back_at.parentWidget(), self.result.currentData() == "call_back_later")

    # --- dial and result ---------------------------------------------------------------------
    def dial(self) -> None:
        if self.task is None:
            return
        field = self.fieldset.fields["number"]
        try:
            number = _dialable(self.number.text()) if self.number.text().strip() else ""
        except FieldError as exc:
            field.set_error(str(exc))
            return
        if not number and self._masked_mobile:  # the customer's mobile, which this desk may not see: the server's
            task_id = self.task.id               # audited reveal gives it to the softphone, not to the screen
            field.set_error(None)
            self.run_service(self.tr("Dial the customer"), number_to_dial, busy=False, actor=self.ctx.actor,
                             task_id=task_id, on_ok=lambda n: self._dial(str(n), task_id))
            return
        if not number:
            field.set_error("this field is required")
            return
        field.set_error(None)
        task_id = self.task.id  # claimed first: another CSR may be calling this customer about it already
        self.run_service(self.tr("Dial the customer"), claim_for_dial, busy=False, actor=self.ctx.actor,
                         task_id=task_id, on_ok=lambda _none: self._dial(number, task_id),
                         on_failed=lambda _exc: self._dial(number, task_id, unclaimed=True))

    def _dial(self, number: str, task_id: int, *, unclaimed: bool = False) -> None:
        """Dial; ``unclaimed``: the database could not be reached to mark the task as this CSR's (the call still
        goes: a customer waiting for a callback matters more than the claim, and the result waits in the outbox)."""
        if unclaimed:
            self.show_status(self.tr("Dialling task %1 without marking it as yours: the database is unreachable.")
                             .replace("%1", str(task_id)), error=True)
        else:
            self.show_status(self.tr("Dialling task %1…").replace("%1", str(task_id)))
        self.dial_requested.emit(number, task_id)

    def submit(self) -> None:
        if self._busy or self.task is None:
            return
        self.fieldset.clear_errors()
        call_back_at = None
        if self.result.currentData() == "call_back_later" and self.call_back_at.text().strip():
            try:
                call_back_at = parse_local_datetime(self.call_back_at.text())
            except FieldError as exc:
                self.show_field_errors({"call_back_at": str(exc)})
                return
        answers: dict[str, str] = {}
        if self.task.kind == "cooling_off":
            answers = {q: a for q, row in self.questions.items() if (a := row.answer())}
        form = OutboundResultForm(task_id=self.task.id, expected_version=self.task.version,
                                  result=str(self.result.currentData() or ""), linkedid=self.linkedid,
                                  call_back_at=call_back_at, note=self.note.toPlainText(), answers=answers)
        self.run_write(self.tr("Save call result"), "outbound.result", record_outbound_result, on_ok=self._recorded,
                       on_queued=lambda _q: self._queued(form.task_id), actor=self.ctx.actor, form=form)

    def _queued(self, task_id: int) -> None:
        self.saved(queued_text("outbound"))
        self._attempt_saved(task_id)

    def _attempt_saved(self, task_id: int) -> None:
        if self._attempt is not None and self._attempt[0] == task_id and (
                self.call is None or self.call.linkedid != self._attempt[1]):
            self._attempt = None  # its result is saved; a call still up stays the form's call
            self._show_call_label()

    def _recorded(self, summary: OutboundSummary) -> None:
        self.saved(self.tr("Result saved: task %1 is now %2.").replace("%1", str(summary.id)).replace(
            "%2", name_of(summary.status)))
        self._attempt_saved(summary.id)
        self.refresh(keep=summary.id)

    # --- drafts ------------------------------------------------------------------------------
    def draft_data(self) -> dict[str, Any]:
        return {"_task_id": self.task.id if self.task else None, "number": self.number.text(),
                "result": self.result.currentData() or "", "call_back_at": self.call_back_at.text(),
                "note": self.note.toPlainText(), "answers": {q: r.answer() or "" for q, r in self.questions.items()}}

    def apply_draft(self, data: Any) -> None:
        if data.get("_task_id") is not None:
            self.select_task(int(data["_task_id"]))
        self.number.setText(str(data.get("number") or ""))
        self.result.setCurrentIndex(max(0, self.result.findData(data.get("result") or "")))
        self.call_back_at.setText(str(data.get("call_back_at") or ""))
        self.note.setPlainText(str(data.get("note") or ""))
        for q, a in (data.get("answers") or {}).items():
            if q in self.questions:
                self.questions[q].set_answer(a or None)

    def clear_for_new_call(self) -> None:
        """A new call (often the one just dialled from here): the number belongs to the chosen task, not to a call."""
        number = self.number.text()
        self.reset()
        self.number.setText(number)

    def reset(self) -> None:
        self.number.clear()
        self.result.setCurrentIndex(0)
        self.call_back_at.clear()
        self.note.clear()
        for row in self.questions.values():
            row.set_answer(None)
