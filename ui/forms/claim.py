"""Claim report (报案, S-8.2.2.2): guided by product line; reporting returns the number read to the customer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.models.policy import AUTO_LINES, LIFE_HEALTH_LINES
from app.readmodels import ScreenPop
from app.screenpop import screen_pop
from app.services.claim_report import (
    AutoClaimForm,
    ClaimReceipt,
    LifeHealthClaimForm,
    PersonInput,
    VehicleInput,
    report_auto_claim,
    report_life_health_claim,
)
from app.timeutil import utcnow
from app.validation import FieldError, not_future
from ui.forms.claim_rows import PersonRow, RowList, VehicleRow
from ui.forms.codes import name_of
from ui.forms.context import CallContext, FormContext
from ui.forms.fields import parse_date, parse_local_datetime
from ui.forms.page import FormPage
from ui.outbox import queued_text

_POLICE = {"yes": True, "no": False}  # the combo holds "yes" / "no"; the service takes a bool


def _occurred(text: str) -> datetime:
    return not_future(parse_local_datetime(text), now=utcnow())


def _past_date(text: str) -> date:
    d = parse_date(text)
    if d > utcnow().date():
        raise FieldError("this date is in the future")
    return d


class ClaimForm(FormPage):
    """Common facts first (policy, when, what happened), then the auto or the life/health part."""

    kind = "claim"
    draft_kinds = ("claim_auto", "claim_life_health")

    @property
    def draft_kind(self) -> str:
        return "claim_auto" if self.line.currentData() == "auto" else "claim_life_health"

    def __init__(self, *, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        fs = self.fieldset
        self.receipt = QLabel(objectName="ClaimReceipt")
        self.receipt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receipt.setWordWrap(True)
        self.receipt.setVisible(False)
        self.body_layout.addWidget(self.receipt)

        common = QGroupBox(self.tr("Claim"))
        self.line = QComboBox(objectName="ClaimLine")
        self.line.addItem(self.tr("Auto"), "auto")
        self.line.addItem(self.tr("Life, health or accident"), "life_health")
        self.policy_number = QLineEdit(objectName="ClaimPolicy")
        self.occurred_at = QLineEdit(objectName="ClaimOccurredAt")
        self.occurred_at.setPlaceholderText(self.tr("YYYY-MM-DD HH:MM (local time)"))
        self.description = QPlainTextEdit(objectName="ClaimDescription")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(70)
        self.policies = QComboBox(objectName="ClaimPolicies")
        self.policies.addItem(self.tr("— the caller's policies appear here —"), "")
        form = QFormLayout(common)
        form.addRow(self.tr("Caller's policies"), self.policies)
        form.addRow(self.tr("Product line"), self.line)
        form.addRow(self.tr("Policy number"), fs.add("policy_number", self.policy_number))
        form.addRow(self.tr("When"), fs.add("occurred_at", self.occurred_at, _occurred))
        form.addRow(self.tr("What happened"), fs.add("description", self.description))
        self.body_layout.addWidget(common)

        self.auto_box = QGroupBox(self.tr("Auto: place, police, vehicles and people"), objectName="ClaimAuto")
        self.location = QLineEdit(objectName="ClaimLocation")
        self.police = QComboBox(objectName="ClaimPolice")
        for text, code in ((self.tr("— choose —"), ""), (self.tr("Yes, the police came"), "yes"),
                           (self.tr("No police"), "no")):
            self.police.addItem(text, code)
        self.vehicles = RowList(fs, lambda s, i: VehicleRow(s, i), self.tr("Add vehicle"))
        self.people = RowList(fs, lambda s, i: PersonRow(s, i), self.tr("Add person"))
        aform = QFormLayout(self.auto_box)
        aform.addRow(self.tr("Where"), fs.add("location", self.location))
        aform.addRow(self.tr("Police attended"), fs.add("police_attended", self.police))
        aform.addRow(self.tr("Vehicles"), fs.add("vehicles", self.vehicles))
        aform.addRow(self.tr("Drivers, third parties, injured"), fs.add("people", self.people))
        self.body_layout.addWidget(self.auto_box)

        self.life_box = QGroupBox(self.tr("Life and health: event and hospital"), objectName="ClaimLife")
        self.event_type = QComboBox(objectName="ClaimEventType")
        for text, code in ((self.tr("— choose —"), ""), (self.tr("Hospitalisation"), "hospitalisation"),
                           (self.tr("Critical illness"), "critical_illness"), (self.tr("Death"), "death"),
                           (self.tr("Accident"), "accident")):
            self.event_type.addItem(text, code)
        self.hospital = QLineEdit(objectName="ClaimHospital")
        self.admitted_on = QLineEdit(objectName="ClaimAdmitted")
        self.discharged_on = QLineEdit(objectName="ClaimDischarged")
        for w in (self.admitted_on, self.discharged_on):
            w.setPlaceholderText(self.tr("YYYY-MM-DD"))
        lform = QFormLayout(self.life_box)
        lform.addRow(QLabel(self.tr("The insured is the policy's insured person.")))
        lform.addRow(self.tr("Event type"), fs.add("event_type", self.event_type))
        lform.addRow(self.tr("Hospital"), fs.add("hospital", self.hospital))
        lform.addRow(self.tr("Admitted on"), fs.add("admitted_on", self.admitted_on, _past_date))
        lform.addRow(self.tr("Discharged on"), fs.add("discharged_on", self.discharged_on, _past_date))
        self.body_layout.addWidget(self.life_box)

        self.submit_button.setText(self.tr("Report claim"))
        self._policy_lines: dict[str, str] = {}
        self.policies.currentIndexChanged.connect(self._policy_chosen)
        self.policies.setProperty("watched", True)  # a picker, not form data
        self.line.currentIndexChanged.connect(self._line_changed)
        for rows in (self.vehicles, self.people):
            rows.rows_changed.connect(self._rows_changed)
        self.vehicles.add_row({"is_insured_vehicle": True})
        self._line_changed()
        self.finish_setup()

    def tab_fields(self) -> list[QWidget]:
        common: list[QWidget] = [self.policies, self.line, self.policy_number, self.occurred_at, self.description]
        if self.line.currentData() == "auto":
            return [*common, self.location, self.police, *self.vehicles.focus_chain(), *self.people.focus_chain()]
        return [*common, self.event_type, self.hospital, self.admitted_on, self.discharged_on]

    def _line_changed(self) -> None:
        auto = self.line.currentData() == "auto"
        self.auto_box.setVisible(auto)
        self.life_box.setVisible(not auto)
        self.fieldset.clear_errors()
        self.show_status("")
        self.set_tab_order()

    def _rows_changed(self) -> None:
        self.watch(self.body)
        self.set_tab_order()
        self.changed()

    def set_call(self, call: CallContext | None) -> None:
        old = self.call
        super().set_call(call)
        if not hasattr(self, "policies") or call is None:
            return
        if old is not None and call.linkedid == old.linkedid and (call.pop is None or call.pop is old.pop):
            return  # the same call, and no customer chosen since (a quick search hands a new pop)
        if self.pinned_elsewhere():
            return  # the report kept for an earlier call keeps that caller's policies
        self._load_policies(call)

    def clear_for_new_call(self) -> None:
        self.reset()
        if hasattr(self, "policies"):  # what was chosen for the last caller: their policies, their product line
            self.policies.clear()
            self.line.setCurrentIndex(0)

    def now_serves_the_call_up(self) -> None:
        if self.call is not None:
            self._load_policies(self.call)  # the report kept for an earlier call is gone: this caller's policies

    def _load_policies(self, call: CallContext) -> None:
        if call.policy_number and not self.policy_number.text().strip():
            with self.prefilling():  # the IVR's policy number: filled in, not typed
                self.policy_number.setText(call.policy_number)
        if call.pop is not None:  # the screen pop of this call already has them: no second lookup
            self._show_policies(call.pop)
        elif call.caller_number or call.policy_number:  # pull up the caller's policies (S-8.2.2.2)
            self.run_service(self.tr("Look up the caller's policies"), screen_pop, busy=False,
                             on_ok=self._show_policies, actor=self.ctx.actor, caller_number=call.caller_number,
                             policy_number=call.policy_number)

    def _show_policies(self, pop: ScreenPop) -> None:
        self._policy_lines = {p.number: p.product_line for p in pop.policies}
        self.policies.blockSignals(True)
        self.policies.clear()
        self.policies.addItem(self.tr("— choose one of %1 policies —").replace("%1", str(len(pop.policies)))
                              if pop.policies else self.tr("— no policy found for this caller —"), "")
        for p in pop.policies:
            extra = f"  {p.plate}" if p.plate else ""
            self.policies.addItem(f"{p.number}  {p.product_name}  {name_of(p.status)}{extra}", p.number)
        self.policies.blockSignals(False)
        if self._dirty or self.policy_number.text().strip():
            return  # the CSR has started (or the IVR named the policy): leave their choice alone
        claimable = [p for p in pop.policies if p.product_line in (*AUTO_LINES, *LIFE_HEALTH_LINES)]
        with self.prefilling():  # the obvious choice, filled in (the CSR can change it)
            if len(claimable) == 1:  # one policy a claim can be on: that one, and its product line
                self.policies.setCurrentIndex(self.policies.findData(claimable[0].number))
            elif claimable and len({p.product_line in AUTO_LINES for p in claimable}) == 1:
                self.line.setCurrentIndex(self.line.findData(
                    "auto" if claimable[0].product_line in AUTO_LINES else "life_health"))

    def _policy_chosen(self) -> None:
        number = str(self.policies.currentData() or "")
        if not number:
            return
        self.policy_number.setText(number)
        line = "auto" if self._policy_lines.get(number) in AUTO_LINES else "life_health"
        if self._policy_lines.get(number) in (*AUTO_LINES, *LIFE_HEALTH_LINES):
            self.line.setCurrentIndex(self.line.findData(line))

    # --- submit ------------------------------------------------------------------------------
    def submit(self) -> None:
        if self._busy:
            return
        self.fieldset.clear_errors()
        self.receipt.setVisible(False)
        parsed: dict[str, Any] = {}
        bad: dict[str, str] = {}
        for name, widget, parse in (("occurred_at", self.occurred_at, parse_local_datetime),
                                    ("admitted_on", self.admitted_on, parse_date),
                                    ("discharged_on", self.discharged_on, parse_date)):
            text = widget.text().strip()
            try:
                parsed[name] = parse(text) if text else None
            except FieldError as exc:
                bad[name] = str(exc)
        if bad:
            self.show_field_errors(bad)
            return
        common = {"policy_number": self.policy_number.text(), "occurred_at": parsed["occurred_at"],
                  "description": self.description.toPlainText()}
        if self.line.currentData() == "auto":
            form: Any = AutoClaimForm(
                **common, location=self.location.text(), police_attended=_POLICE.get(self.police.currentData()),
                vehicles=tuple(VehicleInput(plate=v["plate"], vin=v["vin"] or None,
                                            is_insured_vehicle=v["is_insured_vehicle"]) for v in self.vehicles.data()),
                people=tuple(PersonInput(role=p["role"], name=p["name"], phone=p["phone"] or None,
                                         injury_level=p["injury_level"]) for p in self.people.data()),
            )
            service: Any = report_auto_claim
        else:
            form = LifeHealthClaimForm(**common, event_type=self.event_type.currentData() or "",
                                       hospital=self.hospital.text() or None, admitted_on=parsed["admitted_on"],
                                       discharged_on=parsed["discharged_on"])
            service = report_life_health_claim
        kind = "claim.auto" if service is report_auto_claim else "claim.life_health"
        self.run_write(self.tr("Report claim"), kind, service, on_ok=self._reported, on_queued=self._queued,
                       actor=self.ctx.actor, form=form, linkedid=self.linkedid)

    def _queued(self, queued: Any) -> None:
        """The database is down: the report waits on this desk, with the numbers it will be written under."""
        report_number, claim_number = queued.kwargs["numbers"]
        self.saved(queued_text("claim"))
        self.receipt.setText(self.tr("Report number %1: read it to the customer. (Claim %2)")
                             .replace("%1", report_number).replace("%2", claim_number))
        self.receipt.setVisible(True)

    def _reported(self, receipt: ClaimReceipt) -> None:
        self.saved(self.tr("Claim reported."))
        self.receipt.setText(self.tr("Report number %1: read it to the customer. (Claim %2)")
                             .replace("%1", receipt.report_number).replace("%2", receipt.claim_number))
        self.receipt.setVisible(True)

    # --- drafts ------------------------------------------------------------------------------
    def draft_data(self) -> dict[str, Any]:
        vehicles = self.vehicles.data()
        # The untouched first row (insured, nothing typed) is the form's default, not the CSR's input.
        if len(vehicles) == 1 and not vehicles[0]["plate"] and not vehicles[0]["vin"]:
            vehicles = []
        return {
            "_line": self.line.currentData(), "policy_number": self.policy_number.text(),
            "occurred_at": self.occurred_at.text(), "description": self.description.toPlainText(),
            "location": self.location.text(), "police_attended": self.police.currentData() or "",
            "vehicles": vehicles, "people": self.people.data(), "event_type": self.event_type.currentData(),
            "hospital": self.hospital.text(), "admitted_on": self.admitted_on.text(),
            "discharged_on": self.discharged_on.text(),
        }

    def apply_draft(self, data: Any) -> None:
        self.line.setCurrentIndex(max(0, self.line.findData(data.get("_line", "auto"))))
        for key in ("policy_number", "occurred_at", "location", "hospital", "admitted_on", "discharged_on"):
            getattr(self, key).setText(str(data.get(key) or ""))
        self.description.setPlainText(str(data.get("description") or ""))
        self.police.setCurrentIndex(max(0, self.police.findData(data.get("police_attended") or "")))
        self.event_type.setCurrentIndex(max(0, self.event_type.findData(data.get("event_type") or "")))
        self.vehicles.set_data(list(data.get("vehicles") or [{"is_insured_vehicle": True}]))
        self.people.set_data(list(data.get("people") or []))

    def reset(self) -> None:
        for w in (self.policy_number, self.occurred_at, self.location, self.hospital, self.admitted_on,
                  self.discharged_on):
            w.clear()
        self.description.clear()
        self.police.setCurrentIndex(0)
        self.event_type.setCurrentIndex(0)
        self.vehicles.set_data([{"is_insured_vehicle": True}])
        self.people.clear()
