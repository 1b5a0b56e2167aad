"""What the desk can check of a write without the shared database, before it goes into the outbox.

The same checks the services run (``app.services``), minus those that need rows (does the policy exist,
is the category a second-level one, is the task still open): those run when the outbox replays the write,
and an item they refuse stays in the journal as refused, shown to the CSR. A form rejected here writes
nothing, now or later."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.models.work import ANSWERS, COOLING_OFF_QUESTIONS, PRIORITIES
from app.services import claim_report
from app.services.outbound import check_result_fields
from app.timeutil import utcnow
from app.validation import Checker, one_of, required_text


def check(kind: str, kwargs: Mapping[str, Any]) -> None:
    """Raise ``ValidationError`` for what is wrong with a ``kind`` write that the desk can see alone."""
    c = Checker()
    now = kwargs.get("now") or utcnow()
    form: Any = kwargs.get("form")
    if kind == "claim.auto":
        claim_report.auto_claim_fields(c, form, now)
        if not (form.policy_number or "").strip():
            c.add("policy_number", "this field is required")
    elif kind == "claim.life_health":
        claim_report.life_health_claim_fields(c, form, now)
        if not (form.policy_number or "").strip():
            c.add("policy_number", "this field is required")
    elif kind == "wrap_up.save":
        if not form.linkedid:
            c.add("linkedid", "no call of yours with this id")
        if not form.category_code:
            c.add("category_code", "choose a service category")
        elif "." not in form.category_code:
            c.add("category_code", "choose a second-level category")
        if form.resolved_first_contact is None:
            c.add("resolved_first_contact", "say whether it was resolved on this contact")
        if len(form.notes) > 2000:
            c.add("notes", "at most 2000 characters")
    elif kind == "transfer.raise":
        if not form.category_code or "." not in form.category_code:
            c.add("category_code", "choose a second-level service category")
        c.check("problem", required_text, form.problem)
        c.check("priority", one_of, form.priority, PRIORITIES)
    elif kind == "outbound.result":
        result = check_result_fields(c, form, now)
        if result == "success" and form.answers:
            for q in COOLING_OFF_QUESTIONS:
                c.check(f"answers.{q}", one_of, form.answers.get(q), ANSWERS)
        if len(form.note) > 2000:
            c.add("note", "at most 2000 characters")
    elif kind == "contact.open":
        c.check("linkedid", required_text, kwargs.get("linkedid"), max_len=64)
        c.check("direction", one_of, kwargs.get("direction"), ("inbound", "outbound"))
    elif kind == "contact.survey" and kwargs.get("score") not in (1, 2, 3, 4):
        c.add("score", "a survey score is 1 to 4")
    c.done()
