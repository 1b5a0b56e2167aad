"""Outbound (S-8.2.2.5): the due list, dialling from a task, results, and the cooling-off questionnaire."""

from __future__ import annotations

from typing import Any

from formkit import Env, show
from PySide6.QtWidgets import QLabel, QLineEdit
from sqlalchemy import select

from app.models import CoolingOffAnswer, OutboundAttempt, OutboundTask
from app.services.outbound import OutboundResultForm, record_outbound_result
from ui.forms import CallContext
from ui.forms.outbound import OutboundPage

OUT_LINKEDID = "1732400500.7"


def _page(env: Env, qtbot: Any) -> OutboundPage:
    page = OutboundPage(ctx=env.ctx)
    show(page, qtbot)
    env.settle()
    return page


def test_due_tasks_are_listed_and_a_task_dials(env: Env, qtbot: Any) -> None:
    page = _page(env, qtbot)
    ids = sorted(int(page.tasks.item(r, 0).text()) for r in range(page.tasks.rowCount()))
    assert ids == sorted([env.seed.cooling_task, env.seed.renewal_task])
    assert not page.result_box.isEnabled()
    page.select_task(env.seed.renewal_task)
    assert page.result_box.isEnabled()
    assert not page.questions_box.isVisibleTo(page)  # only a cooling-off callback has the questionnaire
    dialled: list[tuple[str, int]] = []
    page.dial_requested.connect(lambda n, t: dialled.append((n, t)))
    page.number.setText("138-1234-5678")
    page.dial_button.click()
    env.settle()  # the task is claimed for this CSR first
    assert dialled == [("13812345678", env.seed.renewal_task)]


def test_a_callback_about_to_miss_its_cooling_off_period_leads_the_list_in_red_and_words(
    env: Env, qtbot: Any
) -> None:
    """The list is this CSR's: a task a lead gave another CSR is not on it. A cooling-off callback whose period
    ends today is first, says "today" and is red and bold; the task line says by when to call."""
    from datetime import date

    from sqlalchemy import update

    with env.session() as s:
        s.execute(update(OutboundTask).where(OutboundTask.id == env.seed.cooling_task).values(deadline=date.today()))
        s.execute(update(OutboundTask).where(OutboundTask.id == env.seed.renewal_task).values(assigned_to="1099"))
        s.commit()
    page = _page(env, qtbot)
    assert [int(page.tasks.item(r, 0).text()) for r in range(page.tasks.rowCount())] == [env.seed.cooling_task]
    call_by = page.tasks.item(0, 3)
    assert call_by.text() == f"{date.today().isoformat()} (today)"
    assert call_by.foreground().color().name() == "#b71c1c"
    assert call_by.font().bold()
    page.select_task(env.seed.cooling_task)
    assert "call by" in page.task_label.text()
    assert "(today)" in page.task_label.text()


def test_call_by_says_how_near_the_deadline_is(env: Env, qtbot: Any) -> None:
    from datetime import date

    page = _page(env, qtbot)
    today = date(2026, 12, 4)
    assert page.deadline_text(None, today) == "—"
    assert page.deadline_text(date(2026, 12, 3), today) == "2026-12-03 (period ended)"
    assert page.deadline_text(date(2026, 12, 5), today) == "2026-12-05 (tomorrow)"
    assert page.deadline_text(date(2026, 12, 7), today) == "2026-12-07 (in 3 days)"
    assert page.deadline_text(date(2026, 12, 8), today) == "2026-12-08"


def test_call_back_later_reschedules_with_the_linkedid(env: Env, qtbot: Any) -> None:
    page = _page(env, qtbot)
    page.select_task(env.seed.renewal_task)
    page.set_call(CallContext(linkedid=OUT_LINKEDID, caller_number="13812345678"))
    page.result.setCurrentIndex(page.result.findData("call_back_later"))
    assert page.call_back_at.isVisibleTo(page)
    page.call_back_at.setText("2000-01-01 10:00")
    assert page.fieldset.error_of("call_back_at") == "the call-back time must be in the future"
    page.call_back_at.setText("2099-01-01 10:00")
    assert page.fieldset.error_of("call_back_at") == ""
    page.submit()
    env.settle()
    with env.session() as s:
        attempt = s.scalars(select(OutboundAttempt)).one()
        task = s.get(OutboundTask, env.seed.renewal_task)
    assert (attempt.result, attempt.linkedid, attempt.agent_id) == ("call_back_later", OUT_LINKEDID, "1001")
    assert task is not None
    assert (task.status, task.attempts, task.due_at.year) == ("open", 1, 2099)


def test_a_result_recorded_after_the_hang_up_carries_the_outbound_call_not_an_inbound_one(
    env: Env, qtbot: Any
) -> None:
    """In wrap-up the forms keep the ended call: an outbound call's result carries it, an inbound call's wrap-up is
    not a callback task's result and leaves the result unattached."""
    from dataclasses import replace

    page = _page(env, qtbot)
    inbound = CallContext(linkedid="1732400600.1", caller_number="13900000000", queue="service")
    page.set_call(inbound)
    page.set_call(replace(inbound, ended=True))
    assert page.linkedid is None
    outbound = CallContext(linkedid=OUT_LINKEDID, caller_number="13812345678", outbound=True)
    page.set_call(outbound)
    page.set_call(replace(outbound, ended=True))
    assert page.linkedid == OUT_LINKEDID
    page.select_task(env.seed.renewal_task)
    page.result.setCurrentIndex(page.result.findData("no_answer"))
    page.submit()
    env.settle()
    with env.session() as s:
        assert s.scalars(select(OutboundAttempt.linkedid)).one() == OUT_LINKEDID


def test_an_unanswered_call_dialled_from_a_task_is_that_tasks_attempt_after_the_desk_lets_it_go(
    env: Env, qtbot: Any
) -> None:
    """Nobody answered: the desk goes back to not ready (no wrap-up keeps the call), yet the "no answer" result saved
    for the task it was dialled from carries that call's linkedid: the attempt has its call record. Another task's
    result does not, and once saved the attempt is spent."""
    page = _page(env, qtbot)
    page.select_task(env.seed.renewal_task)
    ringing = CallContext(linkedid=OUT_LINKEDID, caller_number="13812345678", outbound=True,
                          outbound_task=env.seed.renewal_task)
    page.set_call(ringing)
    page.set_call(None)  # unanswered: the window leaves the call at not ready
    assert page.linkedid == OUT_LINKEDID
    assert "13812345678" in page.call_label.text()
    page.select_task(env.seed.cooling_task)
    assert page.linkedid is None
    assert "13812345678" not in page.call_label.text()
    page.select_task(env.seed.renewal_task)
    assert page.linkedid == OUT_LINKEDID
    page.result.setCurrentIndex(page.result.findData("no_answer"))
    page.submit()
    env.settle()
    with env.session() as s:
        attempt = s.scalars(select(OutboundAttempt)).one()
    assert (attempt.task_id, attempt.result, attempt.linkedid) == (env.seed.renewal_task, "no_answer", OUT_LINKEDID)
    page.select_task(env.seed.renewal_task)
    assert page.linkedid is None  # spent: a second result for the task is not on that call


def test_cooling_off_success_needs_every_answer(env: Env, qtbot: Any) -> None:
    page = _page(env, qtbot)
    page.select_task(env.seed.cooling_task)
    page.set_call(CallContext(linkedid=OUT_LINKEDID))
    assert page.questions_box.isVisibleTo(page)
    page.result.setCurrentIndex(page.result.findData("success"))
    page.questions["signed_self"].buttons["yes"].setChecked(True)
    env.settle()  # the customer's card is read (and audited) on choosing the task
    before = env.counts()
    page.submit()
    env.settle()
    assert page.fieldset.error_of("answers.signed_self") == ""
    assert page.fieldset.error_of("answers.understands_terms") == "this field is required"
    assert page.fieldset.error_of("answers.knows_cooling_off") == "this field is required"
    assert env.counts() == before

    page.questions["understands_terms"].buttons["yes"].setChecked(True)
    page.questions["knows_cooling_off"].buttons["unclear"].setChecked(True)
    page.submit()
    env.settle()
    with env.session() as s:
        attempt = s.scalars(select(OutboundAttempt)).one()
        answers = {a.question: a.answer for a in s.scalars(select(CoolingOffAnswer))}
        task = s.get(OutboundTask, env.seed.cooling_task)
    assert attempt.linkedid == OUT_LINKEDID
    assert answers == {"signed_self": "yes", "understands_terms": "yes", "knows_cooling_off": "unclear"}
    assert task is not None
    assert task.status == "done"
    ids = [int(page.tasks.item(r, 0).text()) for r in range(page.tasks.rowCount())]
    assert ids == [env.seed.renewal_task]  # done: no longer due


def test_a_result_without_a_code_and_a_stale_task_are_refused_inline(env: Env, qtbot: Any) -> None:
    page = _page(env, qtbot)
    page.select_task(env.seed.renewal_task)
    env.settle()  # the customer's card is read (and audited) on choosing the task
    before = env.counts()
    page.submit()
    env.settle()
    assert page.fieldset.error_of("result") == "this field is required"
    assert env.counts() == before
    with env.session() as s:  # another desk records an attempt on the same task meanwhile
        record_outbound_result(s, actor=env.ctx.actor, form=OutboundResultForm(
            task_id=env.seed.renewal_task, expected_version=1, result="busy"))
    page.result.setCurrentIndex(page.result.findData("no_answer"))
    page.submit()
    env.settle()
    assert "someone else changed this record" in page.status.text()
    with env.session() as s:
        assert len(s.scalars(select(OutboundAttempt)).all()) == 1


def test_choosing_a_task_shows_whom_it_calls_and_fills_in_their_mobile(env: Env, qtbot: Any) -> None:
    """An on-site desk sees the customer and their mobile, filled in (the CSR can change it); dialling dials it."""
    page = _page(env, qtbot)
    page.select_task(env.seed.renewal_task)
    env.settle()
    assert page.customer_label.text() == "张三丰 · 13812345678"
    assert page.number.text() == "13812345678"
    dialled: list[tuple[str, int]] = []
    page.dial_requested.connect(lambda n, t: dialled.append((n, t)))
    page.dial_button.click()
    env.settle()  # the task is claimed for this CSR first
    assert dialled == [("13812345678", env.seed.renewal_task)]
    page.number.setText("13900000000")  # typed for this task
    page.select_task(env.seed.cooling_task)  # a number is one task's: it does not follow the CSR to another
    env.settle()
    assert page.number.text() == "13812345678"  # that task's customer's


def remote_page_on_renewal(env: Env, qtbot: Any) -> OutboundPage:
    """The outbound form of a remote desk with the seeded renewal task selected."""
    from dataclasses import replace

    remote = replace(env.ctx, actor=replace(env.ctx.actor, profile="remote"))
    page = OutboundPage(ctx=remote)
    show(page, qtbot)
    env.settle()
    page.select_task(env.seed.renewal_task)
    env.settle()
    return page


def test_a_remote_desk_dials_the_customer_without_the_number_ever_on_screen(env: Env, qtbot: Any) -> None:
    """A remote desk sees the mobile masked and the number field empty; Dial asks the data layer for the number (an
    audited read, by reason on PostgreSQL: tests/security) and hands it to the softphone, not to any widget."""
    from app.models import AuditEntry

    page = remote_page_on_renewal(env, qtbot)
    assert page.customer_label.text() == "张** · 138****5678"
    assert page.number.text() == ""
    assert "138****5678" in page.number.placeholderText()
    dialled: list[tuple[str, int]] = []
    page.dial_requested.connect(lambda n, t: dialled.append((n, t)))
    page.dial_button.click()
    env.settle()
    assert dialled == [("13812345678", env.seed.renewal_task)]
    assert page.number.text() == ""
    shown = " ".join(w.text() for w in page.findChildren(QLabel) + page.findChildren(QLineEdit))
    assert "13812345678" not in shown
    with env.session() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "outbound.dial_number")).one()
    assert (audit.record_id, audit.fields) == (str(env.seed.renewal_task), '["mobile"]')


def test_a_remote_desk_shows_the_call_and_attempt_numbers_masked(env: Env, qtbot: Any) -> None:
    """The forms say which call they attach to by its number: on a remote desk masked, as the card shows it."""
    page = remote_page_on_renewal(env, qtbot)
    page.set_call(CallContext(linkedid=OUT_LINKEDID, caller_number="13812345678", outbound=True,
                              outbound_task=env.seed.renewal_task))
    assert "138****5678" in page.call_label.text()
    page.set_call(None)  # unanswered: the task's attempt
    assert "138****5678" in page.call_label.text()
    assert "13812345678" not in page.call_label.text()


def test_a_task_another_csr_is_dialling_is_off_the_list_and_refused_in_words(env: Env, qtbot: Any) -> None:
    """Two CSRs never call one customer about one task at once: a dial claims the task; another CSR's list hides it
    and their dial (from a list loaded before) is refused inline, naming who is calling; a saved result frees it."""
    from dataclasses import replace

    from app.services.outbound import claim_for_dial

    page = _page(env, qtbot)
    page.select_task(env.seed.renewal_task)
    env.settle()
    with env.session() as s:
        claim_for_dial(s, actor=replace(env.ctx.actor, agent_id="1002"), task_id=env.seed.renewal_task)
    dialled: list[tuple[str, int]] = []
    page.dial_requested.connect(lambda n, t: dialled.append((n, t)))
    page.dial_button.click()
    env.settle()
    assert dialled == []
    assert "1002 is calling this customer" in page.status.text()
    page.refresh()
    env.settle()
    assert [int(page.tasks.item(r, 0).text()) for r in range(page.tasks.rowCount())] == [env.seed.cooling_task]

    other = OutboundPage(ctx=replace(env.ctx, actor=replace(env.ctx.actor, agent_id="1002")))
    show(other, qtbot)
    env.settle()
    other.select_task(env.seed.renewal_task)
    other.result.setCurrentIndex(other.result.findData("no_answer"))
    other.submit()
    env.settle()
    with env.session() as s:  # the result freed it (due again in two hours, for anyone)
        task = s.get(OutboundTask, env.seed.renewal_task)
        assert task is not None
        assert (task.claimed_by, task.claimed_at, task.last_result) == (None, None, "no_answer")


def test_with_the_database_down_a_task_is_still_dialled_and_the_csr_is_told_it_is_unclaimed(
    env: Env, qtbot: Any, tmp_path: Any
) -> None:
    """A customer waiting for a callback matters more than the claim: the dial goes, the form says why it is
    unclaimed, and no failure notice (with SQL in it) is raised."""
    from dataclasses import replace

    from app.db import make_engine, make_session_factory

    page = _page(env, qtbot)
    page.select_task(env.seed.renewal_task)
    env.settle()
    broken = make_engine(f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}")  # its folder does not exist
    page.ctx = replace(env.ctx, session_factory=make_session_factory(broken))
    dialled: list[tuple[str, int]] = []
    page.dial_requested.connect(lambda n, t: dialled.append((n, t)))
    page.dial_button.click()
    env.settle()
    assert dialled == [("13812345678", env.seed.renewal_task)]
    assert "database is unreachable" in page.status.text()
    broken.dispose()


def test_enter_on_a_task_or_in_the_number_field_dials(env: Env, qtbot: Any) -> None:
    """Keyboard-first: arrow to a task and press Enter, or type a number and press Enter: that dials, it does not try
    to save a result that has none yet."""
    from PySide6.QtCore import Qt

    page = _page(env, qtbot)
    dialled: list[tuple[str, int]] = []
    page.dial_requested.connect(lambda n, t: dialled.append((n, t)))
    page.tasks.setFocus()
    page.select_task(env.seed.renewal_task)
    env.settle()  # the customer's mobile is filled in
    qtbot.keyClick(page.tasks, Qt.Key.Key_Return)
    env.settle()
    assert dialled == [("13812345678", env.seed.renewal_task)]
    page.number.setText("13900000000")
    qtbot.keyClick(page.number, Qt.Key.Key_Return)
    env.settle()
    assert dialled[-1] == ("13900000000", env.seed.renewal_task)
    assert page.fieldset.error_of("result") == ""  # no attempt to save a result


def test_the_dialled_number_stays_in_view_while_the_call_rings(env: Env, qtbot: Any) -> None:
    page = _page(env, qtbot)
    page.select_task(env.seed.renewal_task)
    env.settle()
    page.set_call(CallContext(linkedid=OUT_LINKEDID, caller_number="13812345678", outbound=True,
                              outbound_task=env.seed.renewal_task))
    assert page.number.text() == "13812345678"
