"""Query (S-8.2.2.1): details only after a verified identity; a failed check says so, inline."""

from __future__ import annotations

from typing import Any

from formkit import LINKEDID, Env, show
from sqlalchemy import select

from app.models import IdentityCheck, IdentityFailure
from ui.forms.page import DRAFT_DEBOUNCE_MS
from ui.forms.query import QueryForm, lookup_kwargs


def _found(env: Env, qtbot: Any) -> QueryForm:
    form = QueryForm(ctx=env.ctx)
    show(form, qtbot)
    form.set_call(env.call())  # the call's number fills the search and finds the caller
    env.settle()
    assert form.customer.count() == 1
    assert form.customer.currentData() == env.seed.customer_id
    return form


def test_lookup_key_follows_the_data_layer_rules() -> None:
    assert lookup_kwargs("138 1234 5678") == {"phone": "13812345678"}
    assert lookup_kwargs("粤B D12345") == {"plate": "粤BD12345"}
    assert lookup_kwargs("pa2026000001") == {"policy_number": "PA2026000001"}


def test_details_stay_hidden_until_the_identity_is_verified(env: Env, qtbot: Any) -> None:
    form = _found(env, qtbot)
    assert not form.details_box.isVisible()
    assert form.token is None

    form.name.setText(env.seed.name)
    form.id_last6.setText("000000")
    form.verify_button.click()
    env.settle()
    assert form.token is None
    assert not form.details_box.isVisible()
    assert "do not match" in form.status.text()
    assert form.status.property("fieldError") is True
    with env.session() as s:
        failures = s.scalars(select(IdentityFailure)).all()
    assert [f.linkedid for f in failures] == [LINKEDID]

    form.id_last6.setText(env.seed.id_number[-6:])
    form.verify_button.click()
    env.settle()
    assert form.token is not None
    assert form.details_box.isVisible()
    with env.session() as s:
        check = s.scalars(select(IdentityCheck)).one()
    assert (check.linkedid, check.agent_id, check.method) == (LINKEDID, "1001", "name_id6")

    form.detail_policy.setText(env.seed.auto_policy)
    form.show_policy_button.click()
    env.settle()
    shown = form.details.toPlainText()
    assert env.seed.auto_policy in shown
    assert "京A12345" in shown
    assert "3200.00" in shown

    form.detail_claim.setText(env.seed.claim_number)
    form.show_claim_button.click()
    env.settle()
    shown = form.details.toPlainText()
    assert env.seed.claim_number in shown
    assert "surveyor assigned" in shown


def test_policy_and_birth_date_method(env: Env, qtbot: Any) -> None:
    form = _found(env, qtbot)
    form.method.setCurrentIndex(form.method.findData("policy_birth"))
    assert form.policy_number.isVisibleTo(form)
    assert not form.name.isVisibleTo(form)
    form.policy_number.setText(env.seed.life_policy)
    form.birth_date.setText("1985-13-07")
    assert form.fieldset.error_of("birth_date") == "use the form YYYY-MM-DD"
    form.birth_date.setText(env.seed.birth.isoformat())
    assert form.fieldset.error_of("birth_date") == ""
    form.submit()  # Enter: verify
    env.settle()
    assert form.details_box.isVisible()
    assert form.detail_policy.text() == env.seed.life_policy
    form.submit()  # Enter again: show the policy
    env.settle()
    assert "百万医疗" in form.details.toPlainText()


def test_a_new_call_forgets_the_verification(env: Env, qtbot: Any) -> None:
    form = _found(env, qtbot)
    form.name.setText(env.seed.name)
    form.id_last6.setText(env.seed.id_number[-6:])
    form.verify()
    env.settle()
    assert form.details_box.isVisible()
    form.set_call(None)
    assert form.token is None
    assert not form.details_box.isVisible()
    assert form.details.toPlainText() == ""


def test_id_number_with_a_wrong_check_digit_is_flagged_while_typing(env: Env, qtbot: Any) -> None:
    form = QueryForm(ctx=env.ctx)
    show(form, qtbot)
    good = env.seed.id_number
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    form.lookup.setText(wrong)
    assert "check digit" in form.fieldset.error_of("lookup")
    assert form.lookup.property("invalid") is True
    form.lookup.setText(good)
    assert form.fieldset.error_of("lookup") == ""
    assert form.lookup.property("invalid") is False
    form.find_customer()
    env.settle()
    assert form.customer.currentData() == env.seed.customer_id


def test_identity_checks_lock_after_three_failures_on_the_call(env: Env, qtbot: Any) -> None:
    form = _found(env, qtbot)
    form.name.setText("李四")  # not the customer's name
    form.id_last6.setText(env.seed.id_number[-6:])
    for left in ("2", "1", "0"):
        form.verify()
        env.settle()
        assert f"{left} attempt(s) left" in form.status.text()
    form.name.setText(env.seed.name)  # even the right answers are refused now, on this call
    form.verify()
    env.settle()
    assert "locked" in form.status.text()
    assert form.token is None
    assert not form.details_box.isVisible()


def test_the_next_caller_gets_a_fresh_search_not_the_last_callers(env: Env, qtbot: Any) -> None:
    """The search the desk filled in for one caller (and the identity typed against it) is gone when the next call
    comes: the next caller's number is searched (it once stayed on the last caller's, who was still listed)."""
    from ui.forms.context import CallContext

    form = _found(env, qtbot)
    form.name.setText(env.seed.name)  # a check begun and not finished
    form.set_call(None)  # the CSR leaves wrap-up
    form.set_call(CallContext(linkedid="1732409999.3", caller_number="13900009999"))
    env.settle()
    assert form.lookup.text() == "13900009999"
    assert form.name.text() == ""
    assert form.customer.count() == 0  # no one with that number
    assert form.linkedid == "1732409999.3"
    assert not form.discard_button.isVisibleTo(form)
    assert env.ctx.drafts.list(agent_id=env.ctx.actor.agent_id) == []  # the last caller's draft went with it


def test_a_remote_desk_searches_by_the_callers_number_without_showing_it(env: Env, qtbot: Any) -> None:
    """The search the desk fills in from the caller's number is masked on a remote desk, and still finds them."""
    from dataclasses import replace

    remote = replace(env.ctx, actor=replace(env.ctx.actor, profile="remote"))
    form = QueryForm(ctx=remote)
    show(form, qtbot)
    form.set_call(env.call())
    env.settle()
    assert form.lookup.text() == "138****5678"
    assert form.customer.count() == 1
    assert form.customer.currentData() == env.seed.customer_id
    form.lookup.setText("13900009999")  # the CSR's own search is theirs
    form.find_customer()
    env.settle()
    assert form.customer.count() == 0


def test_what_the_desk_fills_in_for_a_call_is_not_a_draft(env: Env, qtbot: Any) -> None:
    """The caller's number in the search and the customers it found are the desk's doing, not the CSR's work: a call
    the CSR never typed into leaves no draft to offer back at the next start (the demo offered one every time)."""
    form = _found(env, qtbot)
    env.pump(DRAFT_DEBOUNCE_MS / 1000 + 0.3)  # past the autosave's debounce
    assert env.ctx.drafts.list(agent_id="1001") == []
    form.name.setText("张")  # the CSR's own typing is kept
    env.pump(DRAFT_DEBOUNCE_MS / 1000 + 0.3)
    assert [d.form_kind for d in env.ctx.drafts.list(agent_id="1001")] == ["query"]
