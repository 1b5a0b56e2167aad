"""Outbound tasks (外呼, S-8.2.2.5): result codes, attempts, the cooling-off questions, no lost update."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from appkit import NOW, Db, World
from sqlalchemy import select, text, update

from app.actor import Actor
from app.errors import ConflictError, ValidationError
from app.models import OutboundTask, Policy
from app.models.work import COOLING_OFF_QUESTIONS
from app.readmodels import OutboundSummary
from app.services.outbound import (
    OutboundResultForm,
    cooling_off_answers,
    create_outbound_task,
    due_outbound_tasks,
    due_statements,
    record_outbound_result,
)

ALL_YES = dict.fromkeys(COOLING_OFF_QUESTIONS, "yes")


def _cooling_off(db: Db, world: World, csr: Actor, max_attempts: int = 3) -> OutboundSummary:
    with db.session() as s:
        pid = s.scalar(select(Policy.id).where(Policy.number == world.life_policy))
        return create_outbound_task(s, actor=csr, kind="cooling_off", customer_id=world.zhang_id, policy_id=pid,
                                    due_at=NOW - timedelta(hours=1), max_attempts=max_attempts)


def test_cooling_off_callback_success_records_every_answer(db: Db, world: World, csr: Actor) -> None:
    t = _cooling_off(db, world, csr)
    with db.session() as s:
        assert [x.id for x in due_outbound_tasks(s, now=NOW)] == [t.id]
        done = record_outbound_result(s, actor=csr, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result="success", linkedid="O1",
            answers={"signed_self": "yes", "understands_terms": "unclear", "knows_cooling_off": "yes"}), now=NOW)
        assert (done.status, done.attempts, done.last_result) == ("done", 1, "success")
        assert cooling_off_answers(s, task_id=t.id) == {"signed_self": "yes", "understands_terms": "unclear",
                                                        "knows_cooling_off": "yes"}
        assert due_outbound_tasks(s, now=NOW) == ()


def test_the_due_list_is_the_agents_own_with_the_nearest_cooling_off_deadline_first(
    db: Db, world: World, csr: Actor
) -> None:
    """A task a lead assigned to another CSR is not on this CSR's list (theirs to call); cooling-off callbacks come
    first, the period that ends soonest first; the rest oldest due first."""
    with db.session() as s:
        life = s.scalars(select(Policy).where(Policy.number == world.life_policy)).one()
        health = s.scalars(select(Policy).where(Policy.number == world.health_policy)).one()
        assert life.cooling_off_ends_on is not None
        health.cooling_off_ends_on = life.cooling_off_ends_on - timedelta(days=1)
        s.commit()
        ids = {}
        for name, kind, pid, due in (("renewal", "renewal", None, 3), ("mine", "renewal", None, 1),
                                     ("theirs", "renewal", None, 5), ("late", "cooling_off", life.id, 1),
                                     ("soon", "cooling_off", health.id, 0)):
            ids[name] = create_outbound_task(s, actor=csr, kind=kind, customer_id=world.zhang_id, policy_id=pid,
                                             due_at=NOW - timedelta(days=due, minutes=1)).id
        ends = {"late": life.cooling_off_ends_on, "soon": health.cooling_off_ends_on}
        s.execute(update(OutboundTask).where(OutboundTask.id == ids["mine"]).values(assigned_to=csr.agent_id))
        s.execute(update(OutboundTask).where(OutboundTask.id == ids["theirs"]).values(assigned_to="1099"))
        s.commit()
        due = due_outbound_tasks(s, agent_id=csr.agent_id, now=NOW)
        assert [t.id for t in due] == [ids[n] for n in ("soon", "late", "renewal", "mine")]
        assert [t.deadline for t in due] == [ends["soon"], ends["late"], None, None]
        assert due[-1].assigned_to == csr.agent_id
        everyone = [t.id for t in due_outbound_tasks(s, now=NOW)]  # a lead's view: every due task
        assert everyone == [ids[n] for n in ("soon", "late", "theirs", "renewal", "mine")]
        assert [t.id for t in due_outbound_tasks(s, agent_id=csr.agent_id, now=NOW, limit=3)] == [
            ids[n] for n in ("soon", "late", "renewal")]  # the limit spans both halves
        assert [t.id for t in due_outbound_tasks(s, agent_id=csr.agent_id, now=NOW, limit=1)] == [ids["soon"]]


@pytest.mark.parametrize("missing", COOLING_OFF_QUESTIONS)
def test_success_without_an_answer_is_refused(db: Db, world: World, csr: Actor, missing: str) -> None:
    t = _cooling_off(db, world, csr)
    answers = {q: a for q, a in ALL_YES.items() if q != missing}
    before = db.counts()
    with db.session() as s, pytest.raises(ValidationError) as err:
        record_outbound_result(s, actor=csr, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result="success", answers=answers), now=NOW)
    assert f"answers.{missing}" in err.value.fields
    assert db.counts() == before


@pytest.mark.parametrize(
    ("field", "change"),
    [("result", {"result": "maybe"}), ("result", {"result": ""}),
     ("call_back_at", {"result": "call_back_later"}),
     ("call_back_at", {"result": "call_back_later", "call_back_at": NOW - timedelta(minutes=1)}),
     ("answers", {"answers": {**ALL_YES, "favourite_colour": "yes"}}),
     ("answers.signed_self", {"answers": {**ALL_YES, "signed_self": "perhaps"}}),
     ("note", {"note": "n" * 2001})],
)
def test_bad_result_is_refused_and_writes_nothing(db: Db, world: World, csr: Actor, field: str,
                                                  change: dict[str, object]) -> None:
    t = _cooling_off(db, world, csr)
    form = OutboundResultForm(task_id=t.id, expected_version=t.version, result="success", answers=ALL_YES)
    before = db.counts()
    with db.session() as s, pytest.raises(ValidationError) as err:
        record_outbound_result(s, actor=csr, form=replace(form, **change), now=NOW)  # type: ignore[arg-type]
    assert field in err.value.fields
    assert db.counts() == before


def test_retries_then_fails_after_max_attempts(db: Db, world: World, csr: Actor) -> None:
    t = _cooling_off(db, world, csr, max_attempts=3)
    with db.session() as s:
        t = record_outbound_result(s, actor=csr, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result="no_answer"), now=NOW)
        assert (t.status, t.attempts, t.due_at) == ("open", 1, NOW + timedelta(hours=2))
        t = record_outbound_result(s, actor=csr, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result="call_back_later",
            call_back_at=NOW + timedelta(days=1)), now=NOW)
        assert (t.status, t.due_at) == ("open", NOW + timedelta(days=1))
        t = record_outbound_result(s, actor=csr, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result="busy"), now=NOW)
        assert (t.status, t.attempts, t.last_result) == ("failed", 3, "busy")
        with pytest.raises(ValidationError, match="already failed"):
            record_outbound_result(s, actor=csr, form=OutboundResultForm(
                task_id=t.id, expected_version=t.version, result="busy"), now=NOW)


@pytest.mark.parametrize("result", ["wrong_number", "refused"])
def test_final_results_close_the_task(db: Db, world: World, csr: Actor, result: str) -> None:
    t = _cooling_off(db, world, csr)
    with db.session() as s:
        t = record_outbound_result(s, actor=csr, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result=result), now=NOW)
    assert t.status == "failed"


def test_other_kinds_have_no_regulator_questions(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        t = create_outbound_task(s, actor=csr, kind="renewal", customer_id=world.zhang_id, due_at=NOW)
        with pytest.raises(ValidationError, match="only a cooling-off callback"):
            record_outbound_result(s, actor=csr, form=OutboundResultForm(
                task_id=t.id, expected_version=t.version, result="success", answers=ALL_YES), now=NOW)
        done = record_outbound_result(s, actor=csr, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result="success"), now=NOW)
        assert done.status == "done"


def test_bad_task_creation(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s, pytest.raises(ValidationError) as err:
        create_outbound_task(s, actor=csr, kind="spam", customer_id=424242, due_at=NOW, max_attempts=0)
    assert set(err.value.fields) == {"kind", "customer_id", "max_attempts"}
    with db.session() as s, pytest.raises(ValidationError, match="about a policy"):
        create_outbound_task(s, actor=csr, kind="cooling_off", customer_id=world.zhang_id, due_at=NOW)


def test_two_desks_recording_the_same_task_conflict(db: Db, world: World, csr: Actor) -> None:
    t = _cooling_off(db, world, csr)
    desk_a, desk_b = db.session(), db.session()
    try:
        record_outbound_result(desk_a, actor=csr, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result="no_answer"), now=NOW)
        with pytest.raises(ConflictError) as err:
            record_outbound_result(desk_b, actor=Actor("1003", "desk-c"), form=OutboundResultForm(
                task_id=t.id, expected_version=t.version, result="success", answers=ALL_YES), now=NOW)
    finally:
        desk_a.close()
        desk_b.close()
    assert "outbound task" in str(err.value)
    with db.session() as s:
        (now_task,) = [x for x in due_outbound_tasks(s, now=NOW + timedelta(days=1)) if x.id == t.id]
    assert (now_task.attempts, now_task.last_result) == (1, "no_answer")


def test_a_dial_claims_the_task_until_a_result_or_the_claim_runs_out(db: Db, world: World, csr: Actor) -> None:
    from dataclasses import replace as dc_replace

    from app.services.outbound import CLAIM_FOR, claim_for_dial

    other = dc_replace(csr, agent_id="1002")
    with db.session() as s:
        t = create_outbound_task(s, actor=csr, kind="renewal", customer_id=world.zhang_id, due_at=NOW - timedelta(hours=1))
        claim_for_dial(s, actor=csr, task_id=t.id, now=NOW)
        claim_for_dial(s, actor=csr, task_id=t.id, now=NOW + timedelta(minutes=1))  # the same CSR again: fine
        with pytest.raises(ValidationError) as err:
            claim_for_dial(s, actor=other, task_id=t.id, now=NOW + timedelta(minutes=2))
        assert "1001 is calling this customer" in err.value.fields["task_id"]
        assert [x.id for x in due_outbound_tasks(s, agent_id="1002", now=NOW + timedelta(minutes=2))] == []
        assert [x.id for x in due_outbound_tasks(s, agent_id="1001", now=NOW + timedelta(minutes=2))] == [t.id]
        later = NOW + timedelta(minutes=1) + CLAIM_FOR + timedelta(seconds=1)  # the claim ran out
        assert [x.id for x in due_outbound_tasks(s, agent_id="1002", now=later)] == [t.id]
        claim_for_dial(s, actor=other, task_id=t.id, now=later)
        version = s.get(OutboundTask, t.id).version  # type: ignore[union-attr]
        assert version == t.version  # a claim is not the task's content: a result form loaded before still saves
        record_outbound_result(s, actor=other, form=OutboundResultForm(
            task_id=t.id, expected_version=t.version, result="wrong_number"), now=later)
        with pytest.raises(ValidationError, match="task_id"):
            claim_for_dial(s, actor=csr, task_id=t.id, now=later)  # failed: no more dialling


@pytest.mark.parametrize("agent_id", [None, "1001"])
def test_the_due_list_walks_indexes_in_its_order_without_sorting(db: Db, world: World, agent_id: str | None) -> None:
    """Every walk of the due list reads an index in the list's order and stops at the limit: no sort of the
    backlog, and for a CSR no reading of tasks assigned to others, which at a million tasks would be a full read of
    the open backlog on every refresh of a CSR's list (on the DB worker that also serves the screen pop)."""
    index = "ix_outbound_task_status_deadline_due" if agent_id is None else "ix_outbound_task_status_owner_deadline_due"
    walks = [stmt for half in due_statements(agent_id=agent_id, now=NOW, kind=None) for stmt in half]
    assert len(walks) == (2 if agent_id is None else 4)
    for stmt in walks:
        with db.engine.connect() as conn:
            compiled = stmt.limit(50).compile(conn, compile_kwargs={"literal_binds": True})
            if db.kind == "sqlite":
                plan = " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
                assert index in plan, plan
                assert "TEMP B-TREE" not in plan, plan  # SQLite's sort
            else:
                conn.execute(text("SET enable_seqscan = off"))  # a test database is small: make an index the choice
                plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {compiled}")))
                assert index in plan, plan
                assert "Sort" not in plan, plan
                if agent_id is not None:
                    assert "assigned_to" in plan.split("Index Cond:")[1].split("\n")[0], plan  # not a Filter
