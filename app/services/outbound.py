"""Outbound tasks (外呼, S-8.2.2.5): cooling-off callbacks, claim follow-ups and renewals.

A cooling-off callback that reaches the customer must record an answer to each regulator question."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Select, or_, select, update
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.errors import NotFound, ValidationError
from app.models import Claim, CoolingOffAnswer, Customer, OutboundAttempt, OutboundTask, Policy
from app.models.work import ANSWERS, COOLING_OFF_QUESTIONS, OUTBOUND_KINDS, OUTBOUND_RESULTS
from app.pgsecurity import reads_masked
from app.pgsecurity import reveal as server_reveal
from app.readmodels import OutboundSummary
from app.services.locking import commit_versioned, load_for_edit
from app.timeutil import utcnow
from app.validation import Checker, one_of

RETRY_AFTER = timedelta(hours=2)
CLAIM_FOR = timedelta(minutes=10)  # a dial's hold on its task: longer than a call's ringing and a short talk
FINAL_FAILURES = ("wrong_number", "refused")


def create_outbound_task(
    session: Session, *, actor: Actor, kind: str, customer_id: int, due_at: datetime, policy_id: int | None = None,
    claim_id: int | None = None, max_attempts: int = 3,
) -> OutboundSummary:
    """Queue an outbound call for a customer."""
    c = Checker()
    c.check("kind", one_of, kind, OUTBOUND_KINDS)
    if session.get(Customer, customer_id) is None:
        c.add("customer_id", "unknown customer")
    if kind == "cooling_off" and policy_id is None:
        c.add("policy_id", "a cooling-off callback is about a policy")
    if policy_id is not None and session.get(Policy, policy_id) is None:
        c.add("policy_id", "unknown policy")
    if claim_id is not None and session.get(Claim, claim_id) is None:
        c.add("claim_id", "unknown claim")
    if max_attempts < 1:
        c.add("max_attempts", "at least 1")
    c.done()
    policy = session.get(Policy, policy_id) if policy_id is not None else None
    task = OutboundTask(kind=kind, customer_id=customer_id, policy_id=policy_id, claim_id=claim_id, due_at=due_at,
                        deadline=policy.cooling_off_ends_on if policy is not None and kind == "cooling_off" else None,
                        max_attempts=max_attempts, attempts=0, status="open")
    session.add(task)
    session.flush()
    audit.append(session, actor=actor, action="outbound.create", record_type="outbound_task", record_id=task.id,
                 detail={"kind": kind})
    session.commit()
    return OutboundSummary.of(task)


def due_outbound_tasks(
    session: Session, *, agent_id: str | None = None, now: datetime | None = None, kind: str | None = None,
    limit: int = 50,
) -> tuple[OutboundSummary, ...]:
    """Return open tasks that are due: for ``agent_id``, those a lead assigned to them and those assigned to no one
    (a task assigned to another CSR is theirs to call), else all. Tasks with a deadline (cooling-off callbacks: the
    regulator counts one only within the period) come first, the nearest first, then the rest, oldest due first.

    Every walk reads an index in the list's order and stops at the limit, so neither a long backlog nor one
    assigned to other CSRs costs a sort or a scan on the desk's DB worker (which also serves the screen pop)."""
    walks = due_statements(agent_id=agent_id, now=now or utcnow(), kind=kind)
    found: list[OutboundTask] = []
    for half in walks:  # the deadline half, then the rest; each half merges its walks (one per owner)
        rows = [t for stmt in half for t in session.scalars(stmt.limit(limit - len(found)))]
        found += sorted(rows, key=_due_order)[:limit - len(found)]
        if len(found) >= limit:
            break
    return tuple(OutboundSummary.of(t) for t in found)


def _due_order(t: OutboundTask) -> tuple[Any, ...]:
    return (t.deadline or date.min, t.due_at, t.id)  # within a half: every deadline is set, or none is


def due_statements(*, agent_id: str | None, now: datetime, kind: str | None) -> tuple[list[Select[Any]], ...]:
    """The due list's index walks, unlimited: (those with a deadline, those without), each a list with one walk
    per owner a CSR may call for (assigned to them; assigned to no one) or one walk for a lead's view of all.
    Apart so a test can read their plans (tests/app/test_app_outbound.py)."""
    base = select(OutboundTask).where(OutboundTask.status == "open", OutboundTask.due_at <= now)
    if kind:
        base = base.where(OutboundTask.kind == kind)
    if agent_id is None:
        # (status, deadline, due_at, id). The no-deadline walk orders by deadline too: it is NULL throughout, but
        # PostgreSQL does not take "IS NULL" as fixing a column and would sort what the index gives in order.
        order: tuple[Any, ...] = (OutboundTask.deadline, OutboundTask.due_at, OutboundTask.id)
        owners: list[ColumnElement[bool] | None] = [None]
    else:
        # (status, assigned_to, deadline, due_at, id), once for the CSR's own tasks and once for unassigned ones;
        # a filter on the walk of everyone's tasks read the whole open backlog when it was all others' (58 ms at
        # 100,000 open tasks on PostgreSQL).
        order = (OutboundTask.assigned_to, OutboundTask.deadline, OutboundTask.due_at, OutboundTask.id)
        owners = [OutboundTask.assigned_to == agent_id, OutboundTask.assigned_to.is_(None)]
        base = base.where(_free_for(agent_id, now))
    halves = (OutboundTask.deadline.is_not(None), OutboundTask.deadline.is_(None))
    return tuple([(base if owner is None else base.where(owner)).where(half).order_by(*order) for owner in owners]
                 for half in halves)


def _free_for(agent_id: str, now: datetime) -> ColumnElement[bool]:
    """The task is not being dialled by another CSR (no claim, theirs, or one that has run out)."""
    return or_(OutboundTask.claimed_by.is_(None), OutboundTask.claimed_by == agent_id,
               OutboundTask.claimed_at < now - CLAIM_FOR)


def claim_for_dial(session: Session, *, actor: Actor, task_id: int, now: datetime | None = None) -> None:
    """Claim an open task for this CSR's dial: other CSRs' due lists hide it, and their dial of it is refused, until
    a result is saved or CLAIM_FOR has passed. So two CSRs never call one customer about one task at once."""
    now = now or utcnow()
    claimed = cast(CursorResult[Any], session.execute(
        update(OutboundTask)
        .where(OutboundTask.id == task_id, OutboundTask.status == "open", _free_for(actor.agent_id, now))
        .values(claimed_by=actor.agent_id, claimed_at=now)
        .execution_options(synchronize_session=False)))
    if claimed.rowcount == 1:
        session.commit()
        return
    session.rollback()
    task = session.get(OutboundTask, task_id)
    if task is None:
        raise NotFound("outbound task", task_id)
    if task.status != "open":
        raise ValidationError({"task_id": f"this task is already {task.status}"})
    raise ValidationError({"task_id": f"CSR {task.claimed_by} is calling this customer now; choose another task"})


def number_to_dial(session: Session, *, actor: Actor, task_id: int, now: datetime | None = None) -> str:
    """The customer's mobile for an open outbound task, in clear, for the softphone to dial (never for display).

    A desk that reads masked data (remote, on PostgreSQL) gets it from the server's audited, rate-limited reveal
    with reason ``callback_number``; elsewhere it is read and audited here. Either way the audit says who dialled
    whom for which task."""
    claim_for_dial(session, actor=actor, task_id=task_id, now=now)
    task = session.get(OutboundTask, task_id)
    assert task is not None  # claimed just now
    if reads_masked(session):
        number = server_reveal(session, actor=actor, table="customer", column="mobile", record_id=task.customer_id,
                               reason="callback_number")
    else:
        customer = session.get(Customer, task.customer_id)
        number = customer.mobile if customer is not None else None
        audit.append(session, actor=actor, action="outbound.dial_number", record_type="outbound_task",
                     record_id=task.id, fields=["mobile"], detail={"customer_id": task.customer_id},
                     now=now or utcnow())
        session.commit()
    if not number:
        raise ValidationError({"number": "the customer has no mobile number on file: type the number to dial"})
    return number


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundResultForm:
    task_id: int
    expected_version: int
    result: str
    linkedid: str | None = None
    call_back_at: datetime | None = None
    note: str = ""
    answers: Mapping[str, str] = field(default_factory=dict)  # question code -> yes | no | unclear


def check_result_fields(c: Checker, form: OutboundResultForm, now: datetime) -> str | None:
    """The checks of a result form that need no database (also run by the desk's outbox before queueing);
    return the result code if it is a known one."""
    result = c.check("result", one_of, form.result, OUTBOUND_RESULTS)
    if result == "call_back_later":
        if form.call_back_at is None:
            c.add("call_back_at", "give the time the customer asked to be called back")
        elif form.call_back_at <= now:
            c.add("call_back_at", "the call-back time must be in the future")
    unknown = set(form.answers) - set(COOLING_OFF_QUESTIONS)
    if unknown:
        c.add("answers", f"unknown question(s): {', '.join(sorted(unknown))}")
    return result


def record_outbound_result(
    session: Session, *, actor: Actor, form: OutboundResultForm, now: datetime | None = None
) -> OutboundSummary:
    """Record one attempt and its result; close, fail or reschedule the task; refuse a stale version."""
    now = now or utcnow()
    task = load_for_edit(session, OutboundTask, "outbound task", form.task_id, form.expected_version)
    c = Checker()
    if task.status != "open":
        c.add("task_id", f"this task is already {task.status}")
    result = check_result_fields(c, form, now)
    if task.kind == "cooling_off" and result == "success":
        for q in COOLING_OFF_QUESTIONS:
            c.check(f"answers.{q}", one_of, form.answers.get(q), ANSWERS)
    elif form.answers and task.kind != "cooling_off":
        c.add("answers", "only a cooling-off callback has regulator questions")
    if len(form.note) > 2000:
        c.add("note", "at most 2000 characters")
    if c.errors:
        session.rollback()
    c.done()
    assert result is not None
    attempt = OutboundAttempt(at=now, agent_id=actor.agent_id, linkedid=form.linkedid, result=result,
                              call_back_at=form.call_back_at, note=form.note.strip())
    attempt.answers.extend(CoolingOffAnswer(question=q, answer=a) for q, a in sorted(form.answers.items()))
    task.attempts_log.append(attempt)
    task.claimed_by = task.claimed_at = None  # the dial is over: the task is free (if still open) for anyone
    task.attempts += 1
    task.last_result = result
    if result == "success":
        task.status = "done"
    elif result in FINAL_FAILURES or task.attempts >= task.max_attempts:
        task.status = "failed"
    else:
        task.due_at = form.call_back_at or now + RETRY_AFTER

    def _audit() -> None:
        audit.append(session, actor=actor, action="outbound.result", record_type="outbound_task",
                     record_id=task.id, fields=sorted(form.answers), detail={"result": result, "status": task.status},
                     now=now)

    commit_versioned(session, OutboundTask, "outbound task", form.task_id, form.expected_version, _audit)
    return OutboundSummary.of(task)


def cooling_off_answers(session: Session, *, task_id: int) -> dict[str, str]:
    """Return the answers recorded on the task's successful attempt, if any."""
    rows = session.execute(
        select(CoolingOffAnswer.question, CoolingOffAnswer.answer)
        .join(OutboundAttempt, CoolingOffAnswer.attempt_id == OutboundAttempt.id)
        .where(OutboundAttempt.task_id == task_id, OutboundAttempt.result == "success")
    ).all()
    return {q: a for q, a in rows}
