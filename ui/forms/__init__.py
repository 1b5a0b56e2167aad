"""The five service forms of the CSR desk (S-8.2.2.1-5): query, claim report, wrap-up, transfer, outbound."""

from ui.forms.context import CallContext, FormContext
from ui.forms.panel import KINDS, FormsPanel, build_forms

__all__ = ["KINDS", "CallContext", "FormContext", "FormsPanel", "build_forms"]
