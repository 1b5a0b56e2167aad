"""The five forms as tabs of one panel; the shell sets the call and listens for dial and wrap-up."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from ui.forms.claim import ClaimForm
from ui.forms.context import CallContext, FormContext
from ui.forms.outbound import OutboundPage
from ui.forms.page import FormPage
from ui.forms.query import QueryForm
from ui.forms.transfer import TransferPage
from ui.forms.wrapup import WrapUpPage

KINDS = ("query", "claim", "wrapup", "transfer", "outbound")


class FormsPanel(QTabWidget):
    """Query, claim report, wrap-up, transfer order and outbound, each on its own tab."""

    dial_requested = Signal(str, int)
    wrap_up_saved = Signal(int)

    def __init__(self, *, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FormsPanel")
        self.query = QueryForm(ctx=ctx)
        self.claim = ClaimForm(ctx=ctx)
        self.wrapup = WrapUpPage(ctx=ctx)
        self.transfer = TransferPage(ctx=ctx)
        self.outbound = OutboundPage(ctx=ctx)
        self.forms: dict[str, FormPage] = {
            "query": self.query, "claim": self.claim, "wrapup": self.wrapup, "transfer": self.transfer,
            "outbound": self.outbound,
        }
        titles = {"query": self.tr("Query"), "claim": self.tr("Claim report"), "wrapup": self.tr("Wrap-up"),
                  "transfer": self.tr("Transfer order"), "outbound": self.tr("Outbound")}
        for kind in KINDS:
            self.addTab(self.forms[kind], titles[kind])
        self.outbound.dial_requested.connect(self.dial_requested)
        self.wrapup.saved_wrap_up.connect(self.wrap_up_saved)
        self.query.customer_verified.connect(self.transfer.set_customer)

    def set_call(self, call: CallContext | None) -> None:
        """Tell every form which call it is serving (None when there is none)."""
        for form in self.forms.values():
            form.set_call(call)

    def focus_form(self, kind: str) -> None:
        """Show form ``kind`` and put the cursor in its first field."""
        if kind not in self.forms:
            raise ValueError(f"unknown form {kind!r}; choose one of {', '.join(KINDS)}")
        form = self.forms[kind]
        self.setCurrentWidget(form)
        chain = form.tab_fields()
        if chain:
            chain[0].setFocus()


def build_forms(*, ctx: FormContext, parent: QWidget | None = None) -> FormsPanel:
    """Build the forms panel over the shell's worker, sessions, actor, draft store and operations."""
    return FormsPanel(ctx=ctx, parent=parent)
