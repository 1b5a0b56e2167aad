"""Transfer order (转办, S-8.2.2.4): raise one (routed by table, due by SLA), follow it, list my open ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.readmodels import TransferSummary
from app.reference import SLA_HOURS
from app.services.contacts import service_categories
from app.services.transfers import (
    TransferForm,
    TransferView,
    departments,
    my_transfers,
    raise_transfer,
    routed_department,
    transfer_progress,
)
from app.timeutil import utcnow
from ui.forms.category import CategoryPicker, chinese_ui
from ui.forms.codes import name_of
from ui.forms.context import CallContext, FormContext
from ui.forms.fields import format_local
from ui.forms.page import FormPage
from ui.forms.tables import fill_table, make_table
from ui.outbox import queued_text


class TransferPage(FormPage):
    """The new-order form on top; below it my open orders and the chosen order's timeline."""

    kind = "transfer"
    draft_kinds = ("transfer",)

    def __init__(self, *, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        fs = self.fieldset
        self._dept_names: dict[str, str] = {}
        self._routed: str | None = None
        self._orders: list[TransferSummary] = []
        self.customer_id: int | None = None

        box = QGroupBox(self.tr("New transfer order"))
        self.category = CategoryPicker()
        self.category.setObjectName("TransferCategory")
        self.problem = QPlainTextEdit(objectName="TransferProblem")
        self.problem.setTabChangesFocus(True)
        self.problem.setFixedHeight(80)
        self.department = QComboBox(objectName="TransferDepartment")
        self.department.addItem(self.tr("— from the routing table —"), "")
        self.routing_hint = QLabel(objectName="TransferRoutingHint")
        self.priority = QComboBox(objectName="TransferPriority")
        for text, code in ((self.tr("Urgent"), "urgent"), (self.tr("High"), "high"), (self.tr("Normal"), "normal"),
                           (self.tr("Low"), "low")):
            self.priority.addItem(text, code)
        self.priority.setCurrentIndex(self.priority.findData("normal"))
        self.due_hint = QLabel(objectName="TransferDueHint")
        self.customer_label = QLabel(objectName="TransferCustomer")
        dept = QWidget()
        drow = QVBoxLayout(dept)
        drow.setContentsMargins(0, 0, 0, 0)
        drow.addWidget(fs.add("department_code", self.department))
        drow.addWidget(self.routing_hint)
        prio = QWidget()
        prow = QHBoxLayout(prio)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(fs.add("priority", self.priority))
        prow.addWidget(self.due_hint, 1)
        form = QFormLayout(box)
        form.addRow(self.tr("Customer"), self.customer_label)
        form.addRow(self.tr("Service category"), fs.add("category_code", self.category))
        form.addRow(self.tr("Customer's problem"), fs.add("problem", self.problem))
        form.addRow(self.tr("Department or branch"), dept)
        form.addRow(self.tr("Priority"), prio)
        self.body_layout.addWidget(box)

        mine = QGroupBox(self.tr("My open transfer orders"))
        self.refresh_button = QPushButton(self.tr("Refresh"), objectName="TransferRefresh")
        self.orders = make_table([self.tr("Number"), self.tr("Category"), self.tr("Department"), self.tr("Priority"),
                              self.tr("Status"), self.tr("Due")], "TransferOrders")
        self.timeline = make_table([self.tr("Time"), self.tr("By"), self.tr("Status"), self.tr("Note")],
                               "TransferTimeline")
        mcol = QVBoxLayout(mine)
        mcol.addWidget(self.refresh_button)
        mcol.addWidget(self.orders)
        mcol.addWidget(QLabel(self.tr("Progress of the selected order")))
        mcol.addWidget(self.timeline)
        self.body_layout.addWidget(mine)

        self.submit_button.setText(self.tr("Send transfer order"))
        self.category.code_changed.connect(self._category_changed)
        self.priority.currentIndexChanged.connect(self._update_due)
        self.refresh_button.clicked.connect(self.refresh)
        self.orders.itemSelectionChanged.connect(self._order_selected)
        self._update_due()
        self.set_customer(None)
        self.finish_setup()
        self.run_service(self.tr("Load service categories"), service_categories, busy=False,
                         on_ok=self.category.set_categories)
        self.run_service(self.tr("Load departments"), departments, busy=False, on_ok=self._set_departments)
        self.refresh()

    def tab_fields(self) -> list[QWidget]:
        return [self.category.filter, self.category.tree, self.problem, self.department, self.priority]

    def set_customer(self, customer_id: int | None) -> None:
        """Raise the next orders for this customer (the one the query form verified on the call up now), or for
        none. An order kept for an earlier call keeps that caller; this one waits until it is sent or discarded."""
        self._verified = customer_id
        if not self.pinned_elsewhere():
            self._use_customer(customer_id)

    def _use_customer(self, customer_id: int | None) -> None:
        self.customer_id = customer_id
        self.customer_label.setText(self.tr("the verified caller") if customer_id is not None
                                    else self.tr("none verified (the order is raised without a customer)"))

    def set_call(self, call: CallContext | None) -> None:
        old = self.call.linkedid if self.call else None
        super().set_call(call)
        if hasattr(self, "customer_label") and call is not None and call.linkedid != old:
            self._verified = None  # a new call: the previous caller's identity does not carry over to it
            if not self.pinned_elsewhere():
                self._use_customer(None)

    def now_serves_the_call_up(self) -> None:
        self._use_customer(self._verified)

    # --- routing and SLA ---------------------------------------------------------------------
    def _set_departments(self, rows: tuple[tuple[str, str, str, str], ...]) -> None:
        current = self.department.currentData()
        zh = chinese_ui()
        for code, name_zh, name_en, _kind in rows:
            self._dept_names[code] = name_zh if zh else name_en
            self.department.addItem(self._dept_names[code], code)
        self.department.setCurrentIndex(max(0, self.department.findData(current)))
        self._show_routed()

    def _category_changed(self, code: str) -> None:
        self.changed()
        self._routed = None
        self._show_routed()
        if code:
            self.run_service(self.tr("Look up routing"), routed_department, busy=False, on_ok=self._got_route,
                             category_code=code)

    def _got_route(self, dept: str | None) -> None:
        self._routed = dept
        self._show_routed()

    def _show_routed(self) -> None:
        if not self.category.code():
            self.routing_hint.setText("")
        elif self._routed:
            self.routing_hint.setText(self.tr("Routing table: %1 (choose another above to override)").replace(
                "%1", self._dept_names.get(self._routed, self._routed)))
        else:
            self.routing_hint.setText(self.tr("No department is routed for this category: choose one."))

    def _update_due(self) -> None:
        hours = dict(SLA_HOURS).get(str(self.priority.currentData()))
        if hours is None:
            self.due_hint.setText("")
            return
        due = format_local(utcnow() + timedelta(hours=hours))
        self.due_hint.setText(self.tr("Due by %1 (%2 h)").replace("%1", due).replace("%2", str(hours)))

    # --- submit ------------------------------------------------------------------------------
    def submit(self) -> None:
        if self._busy:
            return
        self.fieldset.clear_errors()
        form = TransferForm(category_code=self.category.code(), problem=self.problem.toPlainText(),
                            priority=str(self.priority.currentData()), linkedid=self.linkedid,
                            customer_id=self.customer_id,
                            department_code=self.department.currentData() or None)
        self.run_write(self.tr("Send transfer order"), "transfer.raise", raise_transfer, on_ok=self._raised,
                       on_queued=lambda _q: self.saved(queued_text("transfer")), actor=self.ctx.actor, form=form)

    def _raised(self, view: TransferView) -> None:
        s = view.summary
        self.saved(self.tr("Transfer order %1 sent to %2, due %3.").replace("%1", s.number).replace(
            "%2", self._dept_names.get(s.department_code, s.department_code)).replace("%3", format_local(s.due_at)))
        self._show_timeline(view)
        self.refresh(select=s.id)

    # --- my orders and progress --------------------------------------------------------------
    def refresh(self, select: int | None = None) -> None:
        self.run_service(self.tr("Load my transfer orders"), my_transfers, busy=False,
                         on_ok=lambda rows: self._show_orders(rows, select), actor=self.ctx.actor)

    def _show_orders(self, rows: tuple[TransferSummary, ...], select: int | None) -> None:
        self._orders = list(rows)
        self.orders.blockSignals(True)
        fill_table(self.orders, [[o.number, self.category.name_of(o.category_code),
                             self._dept_names.get(o.department_code, o.department_code),
                             name_of(o.priority), name_of(o.status), format_local(o.due_at)] for o in rows])
        self.orders.blockSignals(False)
        for i, o in enumerate(rows):
            if o.id == select:
                self.orders.blockSignals(True)
                self.orders.selectRow(i)
                self.orders.blockSignals(False)

    def _order_selected(self) -> None:
        rows = self.orders.selectionModel().selectedRows()
        if not rows:
            return
        order = self._orders[rows[0].row()]
        self.run_service(self.tr("Load order progress"), transfer_progress, busy=False, on_ok=self._show_timeline,
                         order_id=order.id)

    def _show_timeline(self, view: TransferView) -> None:
        fill_table(self.timeline, [[format_local(s.at), s.actor, name_of(s.status), s.note] for s in view.steps])

    # --- drafts ------------------------------------------------------------------------------
    def draft_data(self) -> dict[str, Any]:
        return {"category_code": self.category.code(), "problem": self.problem.toPlainText(),
                "department_code": self.department.currentData() or "", "_priority": self.priority.currentData()}

    def apply_draft(self, data: Any) -> None:
        self.category.set_code(str(data.get("category_code") or ""))
        self.problem.setPlainText(str(data.get("problem") or ""))
        self.department.setCurrentIndex(max(0, self.department.findData(data.get("department_code") or "")))
        self.priority.setCurrentIndex(max(0, self.priority.findData(data.get("_priority") or "normal")))

    def reset(self) -> None:
        self.category.set_code("")
        self.category.filter.clear()
        self.problem.clear()
        self.department.setCurrentIndex(0)
        self.priority.setCurrentIndex(self.priority.findData("normal"))
