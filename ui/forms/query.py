"""Query (S-8.2.2.1): find the customer, verify the caller's identity, then show policy and claim details.

Details are fetched only with the identity token the check returns; the data layer refuses without it."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QWidget,
)

from app.errors import DeskError
from app.identity import IdentityToken, verify_identity
from app.readmodels import ClaimDetails, CustomerCard, PolicyDetails
from app.screenpop import search_customers
from app.services.query import claim_details, policy_details
from app.validation import FieldError, mobile, normalise_phone, plate, resident_id
from ui.forms.codes import name_of
from ui.forms.context import CallContext, FormContext
from ui.forms.fields import format_local, parse_date
from ui.forms.messages import tr_message
from ui.forms.page import FormPage


def lookup_kwargs(text: str) -> dict[str, str]:
    """Say which search key the typed text is: a phone, a resident ID, a plate or else a policy number."""
    t = text.strip()
    digits = normalise_phone(t)
    if digits.isdigit() and 7 <= len(digits) <= 12:
        try:
            return {"phone": mobile(t)}
        except FieldError:
            return {"phone": digits}
    for key, check in (("id_number", resident_id), ("plate", plate)):
        try:
            return {key: check(t)}
        except FieldError:
            pass
    return {"policy_number": t.upper()}


def _lookup_check(text: str) -> object:
    """Check what looks like a resident ID (18 digits, or 17 and X) as one, so a misread digit shows at once."""
    t = text.strip().upper()
    if len(t) == 18 and t[:17].isdigit() and (t[17].isdigit() or t[17] == "X"):
        return resident_id(t)
    return t


def _id_last6(text: str) -> str:
    v = text.strip().upper()
    if len(v) != 6 or not (v[:5].isdigit() and (v[5].isdigit() or v[5] == "X")):
        raise FieldError("enter the last 6 characters of the ID number")
    return v


class QueryForm(FormPage):
    """Find → verify → details. ``token`` is None until the identity check passes."""

    customer_verified = Signal(int)  # the customer whose identity was just verified
    kind = "query"
    draft_kinds = ("query",)
    keeps_unsaved_work = False  # an identity check is about the caller on the line: a new caller starts over
    _prefilled: tuple[str, str] | None = None  # (shown, searched) of the search the desk filled in

    def __init__(self, *, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        self.token: IdentityToken | None = None
        self.customers: list[CustomerCard] = []
        fs = self.fieldset

        find_box = QGroupBox(self.tr("1. Find the customer"))
        self.lookup = QLineEdit(objectName="QueryLookup")
        self.lookup.setPlaceholderText(self.tr("Phone, ID number, policy number or plate"))
        self.find_button = QPushButton(self.tr("Find"), objectName="QueryFind")
        self.customer = QComboBox(objectName="QueryCustomer")
        row = QHBoxLayout()
        row.addWidget(fs.add("lookup", self.lookup, _lookup_check), 1)
        row.addWidget(self.find_button)
        form = QFormLayout(find_box)
        form.addRow(self.tr("Search"), row)
        form.addRow(self.tr("Customer"), fs.add("customer_id", self.customer))

        verify_box = QGroupBox(self.tr("2. Verify the caller's identity"))
        self.method = QComboBox(objectName="QueryMethod")
        self.method.addItem(self.tr("Name + last 6 of the ID number"), "name_id6")
        self.method.addItem(self.tr("Policy number + birth date"), "policy_birth")
        self.name = QLineEdit(objectName="QueryName")
        self.id_last6 = QLineEdit(objectName="QueryIdLast6")
        self.id_last6.setMaxLength(6)
        self.policy_number = QLineEdit(objectName="QueryPolicyNumber")
        self.birth_date = QLineEdit(objectName="QueryBirthDate")
        self.birth_date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.verify_button = QPushButton(self.tr("Verify"), objectName="QueryVerify")
        vform = QFormLayout(verify_box)
        vform.addRow(self.tr("Method"), self.method)
        vform.addRow(self.tr("Name"), fs.add("name", self.name))
        vform.addRow(self.tr("Last 6 of ID"), fs.add("id_last6", self.id_last6, _id_last6))
        vform.addRow(self.tr("Policy number"), fs.add("policy_number", self.policy_number))
        vform.addRow(self.tr("Birth date"), fs.add("birth_date", self.birth_date, parse_date))
        vform.addRow("", self.verify_button)
        self._vform = vform

        self.details_box = QGroupBox(self.tr("3. Policy and claim details"), objectName="QueryDetails")
        self.detail_policy = QLineEdit(objectName="QueryDetailPolicy")
        self.detail_policy.setPlaceholderText(self.tr("Policy number"))
        self.show_policy_button = QPushButton(self.tr("Show policy"), objectName="QueryShowPolicy")
        self.detail_claim = QLineEdit(objectName="QueryDetailClaim")
        self.detail_claim.setPlaceholderText(self.tr("Claim number"))
        self.show_claim_button = QPushButton(self.tr("Show claim"), objectName="QueryShowClaim")
        self.details = QTextBrowser(objectName="QueryDetailText")
        self.details.setMinimumHeight(180)
        dform = QFormLayout(self.details_box)
        prow = QHBoxLayout()
        prow.addWidget(self.detail_policy, 1)
        prow.addWidget(self.show_policy_button)
        crow = QHBoxLayout()
        crow.addWidget(self.detail_claim, 1)
        crow.addWidget(self.show_claim_button)
        dform.addRow(self.tr("Policy"), prow)
        dform.addRow(self.tr("Claim"), crow)
        dform.addRow(self.details)
        self.details_box.setVisible(False)

        for box in (find_box, verify_box, self.details_box):
            self.body_layout.addWidget(box)
        self.submit_button.setText(self.tr("Verify"))
        self.find_button.clicked.connect(self.find_customer)
        self.verify_button.clicked.connect(self.verify)
        self.show_policy_button.clicked.connect(self.show_policy)
        self.show_claim_button.clicked.connect(self.show_claim)
        self.method.currentIndexChanged.connect(self._method_changed)
        self.customer.currentIndexChanged.connect(lambda _i: self._forget_token())
        self._method_changed()
        self.finish_setup()
        self.lookup.returnPressed.disconnect(self.submit)
        self.lookup.returnPressed.connect(self.find_customer)

    def tab_fields(self) -> list[QWidget]:
        return [self.lookup, self.find_button, self.customer, self.method, self.name, self.id_last6,
                self.policy_number, self.birth_date, self.verify_button, self.detail_policy,
                self.show_policy_button, self.detail_claim, self.show_claim_button]

    # --- steps -------------------------------------------------------------------------------
    def submit(self) -> None:
        """Enter: find if no customer is chosen, verify if not verified, else show the policy."""
        if self.customer.count() == 0:
            self.find_customer()
        elif self.token is None:
            self.verify()
        elif self.detail_claim.hasFocus() and self.detail_claim.text().strip():
            self.show_claim()
        else:
            self.show_policy()

    def find_customer(self) -> None:
        text = self._lookup_key()
        if not text:
            self.fieldset.fields["lookup"].set_error("this field is required")
            return
        self.fieldset.fields["lookup"].set_error(None)
        self.run_service(self.tr("Find customer"), search_customers, on_ok=self._found, actor=self.ctx.actor,
                         **lookup_kwargs(text))

    def _found(self, cards: tuple[CustomerCard, ...]) -> None:
        self.customers = list(cards)
        with self.prefilling():  # the desk lists what it found: not the CSR's typing, so no draft of its own
            self.customer.clear()
            for c in cards:
                label = "  ".join(p for p in (c.name, c.id_number, c.mobile) if p)
                self.customer.addItem(label, c.id)
        self._forget_token()
        if not cards:
            self.fieldset.fields["lookup"].set_error("no customer found; try another phone, ID, policy or plate")
        else:
            self.show_status(self.tr("%1 customer(s) found. Verify the caller.").replace("%1", str(len(cards))))
        kw = lookup_kwargs(self._lookup_key())
        if "policy_number" in kw and not self.policy_number.text():
            with self.prefilling():
                self.policy_number.setText(kw["policy_number"])

    def verify(self) -> None:
        customer_id = self.customer.currentData()
        self.fieldset.clear_errors()
        if customer_id is None:
            self.fieldset.fields["customer_id"].set_error("choose a customer first")
            return
        method = str(self.method.currentData())
        kwargs: dict[str, Any] = {"actor": self.ctx.actor, "customer_id": int(customer_id), "method": method,
                                  "linkedid": self.linkedid}
        if method == "name_id6":
            missing = [f for f, w in (("name", self.name), ("id_last6", self.id_last6)) if not w.text().strip()]
            kwargs.update(name=self.name.text().strip(), id_last6=self.id_last6.text().strip())
        else:
            missing = [f for f, w in (("policy_number", self.policy_number), ("birth_date", self.birth_date))
                       if not w.text().strip()]
            kwargs.update(policy_number=self.policy_number.text().strip())
            if self.birth_date.text().strip():
                try:
                    kwargs["birth_date"] = parse_date(self.birth_date.text())
                except FieldError as exc:
                    self.fieldset.fields["birth_date"].set_error(str(exc))
                    return
        if missing:
            self.show_field_errors(dict.fromkeys(missing, "this field is required"))
            return
        self.run_service(self.tr("Verify identity"), verify_identity, on_ok=self._verified,
                         on_refused=self._refused, **kwargs)

    def _verified(self, token: IdentityToken) -> None:
        self.token = token
        self.details_box.setVisible(True)
        self.submit_button.setText(self.tr("Show policy"))
        if not self.detail_policy.text() and self.policy_number.text():
            self.detail_policy.setText(self.policy_number.text().strip().upper())
        self.show_status(self.tr("Identity verified. Details may be shown to this caller."))
        self.customer_verified.emit(token.customer_id)

    def _refused(self, exc: DeskError) -> None:
        self._forget_token()
        self.show_status(tr_message(str(exc)), error=True)

    def show_policy(self) -> None:
        if self.token is None:
            return
        self.run_service(self.tr("Show policy"), policy_details, on_ok=self._show_policy, on_refused=self._refused,
                         actor=self.ctx.actor, token=self.token, policy_number=self.detail_policy.text())

    def show_claim(self) -> None:
        if self.token is None:
            return
        self.run_service(self.tr("Show claim"), claim_details, on_ok=self._show_claim, on_refused=self._refused,
                         actor=self.ctx.actor, token=self.token, claim_number=self.detail_claim.text())

    def _show_policy(self, p: PolicyDetails) -> None:
        rows = [
            (self.tr("Policy number"), p.number), (self.tr("Product"), f"{p.product_name} ({name_of(p.product_line)})"),
            (self.tr("Status"), name_of(p.status)), (self.tr("Issued"), str(p.issued_on)),
            (self.tr("In force"), f"{p.effective_on} – {p.expires_on or '…'}"),
            (self.tr("Cooling-off ends"), str(p.cooling_off_ends_on or "—")),
            (self.tr("Premium"), f"{p.premium}"), (self.tr("Sum insured"), f"{p.sum_insured}"),
        ]
        if p.plate:
            rows.append((self.tr("Vehicle"), f"{p.plate}  {p.vin or ''}  {p.vehicle_model or ''}"))
        for party in p.parties:
            extra = f"  {party.relation} {party.share_percent}%" if party.relation else ""
            rows.append((name_of(party.role), f"{party.name or ''}  {party.id_number or ''}{extra}"))
        self._show_rows(rows)

    def _show_claim(self, c: ClaimDetails) -> None:
        rows = [(self.tr("Claim number"), c.number), (self.tr("Policy number"), c.policy_number),
                (self.tr("Status"), name_of(c.status)), (self.tr("Opened"), format_local(c.opened_at))]
        rows += [(format_local(e.at), f"{name_of(e.status)}  {e.note}") for e in c.timeline]
        self._show_rows(rows)

    def _show_rows(self, rows: list[tuple[str, str]]) -> None:
        cells = "".join(f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        self.details.setHtml(f"<table cellpadding='3'>{cells}</table>")
        self.show_status("")

    def _forget_token(self) -> None:
        self.token = None
        self.details_box.setVisible(False)
        self.details.clear()
        self.submit_button.setText(self.tr("Verify"))

    def _method_changed(self) -> None:
        by_name = self.method.currentData() == "name_id6"
        for widget, show in ((self.name, by_name), (self.id_last6, by_name), (self.policy_number, not by_name),
                             (self.birth_date, not by_name)):
            self._vform.setRowVisible(widget.parentWidget(), show)

    # --- call and drafts ---------------------------------------------------------------------
    def set_call(self, call: CallContext | None) -> None:
        old = self.call.linkedid if self.call else None
        super().set_call(call)
        if (call is None or call.linkedid != old) and hasattr(self, "lookup"):
            self._forget_token()
        if call is not None and hasattr(self, "lookup") and not self.lookup.text().strip():
            key = call.policy_number or call.caller_number
            if key:
                # The caller's number as this desk may show it (masked on a remote desk); the search still uses it
                # whole while the field holds what was filled in.
                shown = key if call.policy_number else self.shown_number(key)
                self._prefilled = (shown, key)
                with self.prefilling():
                    self.lookup.setText(shown)
                self.find_customer()

    def _lookup_key(self) -> str:
        """What to search by: the field, or the whole number behind a masked one the desk filled in."""
        text = self.lookup.text().strip()
        shown, key = self._prefilled or ("", "")
        return key if shown and text == shown.strip() else text

    def clear_for_new_call(self) -> None:
        """A new caller: the last caller's search, matches and check are of no use (their details were shown only
        to that call)."""
        self.reset()
        self._prefilled = None
        if hasattr(self, "lookup"):
            self.lookup.clear()
            self.customer.clear()
            self._forget_token()

    def draft_data(self) -> dict[str, Any]:
        return {"lookup": self.lookup.text(), "_method": self.method.currentData(), "name": self.name.text(),
                "id_last6": self.id_last6.text(), "policy_number": self.policy_number.text(),
                "birth_date": self.birth_date.text()}

    def apply_draft(self, data: Any) -> None:
        self.lookup.setText(str(data.get("lookup", "")))
        self.method.setCurrentIndex(max(0, self.method.findData(data.get("_method", "name_id6"))))
        for key in ("name", "id_last6", "policy_number", "birth_date"):
            getattr(self, key).setText(str(data.get(key, "")))

    def reset(self) -> None:
        for w in (self.name, self.id_last6, self.policy_number, self.birth_date):
            w.clear()
