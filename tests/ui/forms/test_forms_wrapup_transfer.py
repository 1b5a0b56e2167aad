"""Wrap-up (S-8.2.2.3) and transfer orders (S-8.2.2.4) through their forms, on the real services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from formkit import LINKEDID, Env, show
from sqlalchemy import select

from app.models import TransferOrder, WrapUp
from ui.forms import CallContext, build_forms
from ui.forms.transfer import TransferPage
from ui.forms.wrapup import WrapUpPage


def _visible_leaves(page: Any) -> list[str]:
    tree = page.category.tree
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        out += [str(top.child(j).data(0, 256)) for j in range(top.childCount()) if not top.child(j).isHidden()]
    return out


def test_wrap_up_is_saved_for_the_call_and_signalled(env: Env, qtbot: Any) -> None:
    page = WrapUpPage(ctx=env.ctx)
    show(page, qtbot)
    page.set_call(env.call())
    env.settle()
    page.category.filter.setText("surrender")  # the filter narrows the tree to one leaf and picks it
    assert _visible_leaves(page) == ["policy_service.surrender"]
    assert page.category.code() == "policy_service.surrender"
    page.resolved_no.setChecked(True)
    page.notes.setPlainText("客户要求退保，已告知流程")
    page.set_call(None)  # the call ended: the wrap-up still belongs to it
    emitted: list[int] = []
    page.saved_wrap_up.connect(emitted.append)
    page.submit()
    env.settle()
    with env.session() as s:
        w = s.scalars(select(WrapUp)).one()
        linkedid = w.contact.linkedid
    assert emitted == [w.id]
    assert (linkedid, w.category_code, w.resolved_first_contact) == (LINKEDID, "policy_service.surrender", False)
    assert page.category.code() == ""
    assert page.linkedid is None  # wrapped up: nothing left to attach


def test_a_transfer_order_raised_in_wrap_up_belongs_to_the_call_that_ended(env: Env, qtbot: Any) -> None:
    from dataclasses import replace

    page = TransferPage(ctx=env.ctx)
    show(page, qtbot)
    page.set_call(env.call())
    page.set_call(replace(env.call(), ended=True))  # the window, when the call ends and wrap-up begins
    env.settle()
    assert page.call_label.text() == f"Attached to the call that ended: {env.call().caller_number}"
    page.category.set_code("complaint.claim")
    page.problem.setPlainText("挂机后补记：客户要求主管回电")
    page.submit_button.click()
    env.settle()
    with env.session() as s:
        assert s.scalars(select(TransferOrder.linkedid)).one() == LINKEDID
    page.set_call(None)  # the CSR left wrap-up
    assert page.linkedid is None
    wrap = WrapUpPage(ctx=env.ctx)
    show(wrap, qtbot)
    wrap.set_call(env.call())
    wrap.set_call(None)
    assert (wrap.linkedid, wrap.call is not None and wrap.call.ended) == (LINKEDID, True)
    assert wrap.call_label.text() == f"Wrap-up of the call that ended: {env.call().caller_number}"


def test_wrap_up_needs_a_second_level_category_and_an_answer(env: Env, qtbot: Any) -> None:
    page = WrapUpPage(ctx=env.ctx)
    show(page, qtbot)
    page.set_call(env.call())
    env.settle()
    before = env.counts()
    page.notes.setPlainText("未分类")
    page.submit()
    env.settle()
    assert page.fieldset.error_of("category_code") == "choose a service category"
    assert page.fieldset.error_of("resolved_first_contact") == "say whether it was resolved on this contact"
    assert env.counts() == before


def test_transfer_is_routed_due_by_sla_and_followed(env: Env, qtbot: Any) -> None:
    page = TransferPage(ctx=env.ctx)
    show(page, qtbot)
    page.set_call(env.call())
    env.settle()
    page.category.set_code("complaint.claim")
    env.settle()
    assert "Complaints" in page.routing_hint.text()  # the routing table's department, shown before sending
    page.problem.setPlainText("理赔款迟迟未到账，客户要求主管回电")
    page.priority.setCurrentIndex(page.priority.findData("high"))
    assert "(24 h)" in page.due_hint.text()
    page.submit_button.click()
    env.settle()
    with env.session() as s:
        order = s.scalars(select(TransferOrder)).one()
        steps = [(st.status, st.actor) for st in order.steps]
    assert (order.linkedid, order.department_code, order.priority) == (LINKEDID, "complaints", "high")
    assert order.due_at - order.created_at == timedelta(hours=24)
    assert steps == [("new", "1001"), ("sent", "1001")]
    assert order.number in page.status.text()
    assert page.orders.rowCount() == 1
    assert page.orders.item(0, 0).text() == order.number
    assert [page.timeline.item(r, 2).text() for r in range(page.timeline.rowCount())] == ["new", "sent"]


def test_transfer_department_can_be_changed(env: Env, qtbot: Any) -> None:
    page = TransferPage(ctx=env.ctx)
    show(page, qtbot)
    env.settle()
    page.category.set_code("complaint.claim")
    page.department.setCurrentIndex(page.department.findData("branch_gd"))
    page.problem.setPlainText("转广东分公司处理")
    page.submit()
    env.settle()
    with env.session() as s:
        order = s.scalars(select(TransferOrder)).one()
    assert order.department_code == "branch_gd"
    assert order.linkedid is None  # no call: nothing attached


def test_transfer_without_problem_or_category_writes_nothing(env: Env, qtbot: Any) -> None:
    page = TransferPage(ctx=env.ctx)
    show(page, qtbot)
    env.settle()
    before = env.counts()
    page.category.set_code("complaint")  # a first-level category cannot be chosen
    page.submit()
    env.settle()
    assert page.fieldset.error_of("category_code") == "choose a second-level service category"
    assert page.fieldset.error_of("problem") == "this field is required"
    assert env.counts() == before


def verified_panel(env: Env, qtbot: Any) -> Any:
    """The forms on a call whose caller passed the identity check as the seeded customer."""
    panel = build_forms(ctx=env.ctx)
    show(panel, qtbot)
    panel.set_call(env.call())
    env.settle()
    panel.query.name.setText(env.seed.name)
    panel.query.id_last6.setText(env.seed.id_number[-6:])
    panel.query.verify()
    env.settle()
    return panel


def test_an_order_raised_after_verification_names_the_customer(env: Env, qtbot: Any) -> None:
    panel = verified_panel(env, qtbot)
    assert panel.transfer.customer_id == env.seed.customer_id
    panel.transfer.category.set_code("policy_service.change_contact")
    panel.transfer.problem.setPlainText("客户要求变更联系地址")
    panel.transfer.submit()
    env.settle()
    with env.session() as s:
        order = s.scalars(select(TransferOrder)).one()
    assert (order.customer_id, order.linkedid, order.department_code) == (
        env.seed.customer_id, LINKEDID, "policy_admin")
    panel.set_call(CallContext(linkedid="1732400999.1"))  # the next caller is not verified yet
    assert panel.transfer.customer_id is None


def test_an_order_kept_for_the_earlier_call_keeps_that_callers_verified_customer(env: Env, qtbot: Any) -> None:
    """An order typed for a verified caller and not sent stays that call's when the next rings: its linkedid and its
    customer (the next caller's, unverified, is not put on it); once sent, the form serves the call up now."""
    panel = verified_panel(env, qtbot)
    panel.transfer.category.set_code("policy_service.change_contact")
    panel.transfer.problem.setPlainText("客户要求变更联系地址")
    panel.set_call(None)
    panel.set_call(CallContext(linkedid="1732400999.2", caller_number="13900009999"))
    assert panel.transfer.customer_id == env.seed.customer_id
    panel.transfer.set_customer(4242)  # the next caller verified meanwhile: theirs waits for the next order
    assert panel.transfer.customer_id == env.seed.customer_id
    panel.transfer.submit()
    env.settle()
    with env.session() as s:
        order = s.scalars(select(TransferOrder)).one()
    assert (order.customer_id, order.linkedid) == (env.seed.customer_id, LINKEDID)
    assert panel.transfer.linkedid == "1732400999.2"
    assert panel.transfer.customer_id == 4242  # the form now serves the call up now, and its verified caller
