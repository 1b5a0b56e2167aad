"""Wrap-up (小结, S-8.2.2.3): two-level service category, resolved on first contact, notes."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from app.services.contacts import WrapUpForm, save_wrap_up, service_categories
from ui.forms.category import CategoryPicker
from ui.forms.context import CallContext, FormContext
from ui.forms.page import FormPage
from ui.outbox import queued_text


class WrapUpPage(FormPage):
    """Classify and summarise the call; emits ``saved_wrap_up(id)`` so the shell may leave wrap-up."""

    kind = "wrapup"
    draft_kinds = ("wrap_up",)
    saved_wrap_up = Signal(int)

    def __init__(self, *, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        self._saved_for: str | None = None
        fs = self.fieldset
        box = QGroupBox(self.tr("Wrap-up of this call"))
        self.category = CategoryPicker()
        self.category.setObjectName("WrapUpCategory")
        self.resolved_yes = QRadioButton(self.tr("Yes"), objectName="WrapUpResolvedYes")
        self.resolved_no = QRadioButton(self.tr("No"), objectName="WrapUpResolvedNo")
        self.resolved_group = QButtonGroup(self)
        self.resolved_group.addButton(self.resolved_yes)
        self.resolved_group.addButton(self.resolved_no)
        resolved = QWidget()
        row = QHBoxLayout(resolved)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.resolved_yes)
        row.addWidget(self.resolved_no)
        row.addStretch(1)
        self.notes = QPlainTextEdit(objectName="WrapUpNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(90)
        form = QFormLayout(box)
        form.addRow(self.tr("Service category"), fs.add("category_code", self.category))
        form.addRow(self.tr("Resolved on this contact"), fs.add("resolved_first_contact", resolved))
        form.addRow(self.tr("Notes"), fs.add("notes", self.notes))
        self.body_layout.addWidget(box)
        self.submit_button.setText(self.tr("Save wrap-up"))
        self.category.code_changed.connect(lambda _c: self.changed())
        self.finish_setup()
        self.load_categories()

    def tab_fields(self) -> list[QWidget]:
        return [self.category.filter, self.category.tree, self.resolved_yes, self.resolved_no, self.notes]

    def set_call(self, call: CallContext | None) -> None:
        """Keep the ended call when the shell clears it: that is the call being wrapped up, until saved."""
        if call is None and self.call is not None and self.call.linkedid:
            call = dataclasses.replace(self.call, ended=True)
        super().set_call(call)
        if call is not None and call.linkedid and call.ended and self.restored_linkedid in (None, call.linkedid):
            self.call_label.setText(self.tr("Wrap-up of the call that ended: %1").replace(
                "%1", self.shown_number(call.caller_number)))

    def load_categories(self) -> None:
        self.run_service(self.tr("Load service categories"), service_categories, busy=False,
                         on_ok=self.category.set_categories)

    def submit(self) -> None:
        if self._busy:
            return
        self.fieldset.clear_errors()
        if not self.linkedid:
            self.show_field_errors({"linkedid": "there is no call to attach this to"})
            return
        resolved = True if self.resolved_yes.isChecked() else False if self.resolved_no.isChecked() else None
        self._saved_for = self.linkedid
        form = WrapUpForm(linkedid=self.linkedid, category_code=self.category.code(),
                          resolved_first_contact=resolved, notes=self.notes.toPlainText())
        self.run_write(self.tr("Save wrap-up"), "wrap_up.save", save_wrap_up, on_ok=self._saved,
                       on_queued=self._queued, actor=self.ctx.actor, form=form)

    def _queued(self, _queued: Any) -> None:
        """The database is down: the wrap-up waits on this desk; the CSR may finish wrap-up all the same."""
        self._saved(0)
        self.show_status(queued_text("wrapup"))

    def _saved(self, wrap_up_id: int) -> None:
        self.saved(self.tr("Wrap-up saved."))
        if self.call is not None and self.call.linkedid == self._saved_for:
            FormPage.set_call(self, None)
        self.saved_wrap_up.emit(wrap_up_id)

    def draft_data(self) -> dict[str, Any]:
        resolved = "yes" if self.resolved_yes.isChecked() else "no" if self.resolved_no.isChecked() else ""
        return {"category_code": self.category.code(), "resolved_first_contact": resolved,
                "notes": self.notes.toPlainText()}

    def apply_draft(self, data: Any) -> None:
        self.category.set_code(str(data.get("category_code") or ""))
        self._set_resolved(str(data.get("resolved_first_contact") or ""))
        self.notes.setPlainText(str(data.get("notes") or ""))

    def _set_resolved(self, value: str) -> None:
        self.resolved_group.setExclusive(False)
        self.resolved_yes.setChecked(value == "yes")
        self.resolved_no.setChecked(value == "no")
        self.resolved_group.setExclusive(True)

    def reset(self) -> None:
        self.category.set_code("")
        self.category.filter.clear()
        self._set_resolved("")
        self.notes.clear()
