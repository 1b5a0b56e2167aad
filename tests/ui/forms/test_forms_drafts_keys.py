"""Every form: drafts saved while typing and offered back after a restart (in-form bar, not a dialog),
a tab order through the fields in reading order, Enter/Ctrl+Enter submit, Esc loses nothing, and
the panel the shell embeds (five tabs, call context, signals, 1366×768)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from formkit import LINKEDID, Env, show
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import select

from app.drafts import DraftStore
from app.models import ClaimReport
from ui.forms import KINDS, CallContext, build_forms
from ui.forms.claim import ClaimForm
from ui.forms.outbound import OutboundPage
from ui.forms.page import FormPage
from ui.forms.query import QueryForm
from ui.forms.transfer import TransferPage
from ui.forms.wrapup import WrapUpPage


def _fill_claim(f: Any) -> None:
    f.policy_number.setText("PA2026000001")
    f.description.setPlainText("停车场剐蹭")
    f.vehicles.rows[0].plate.setText("粤BD12345")
    f.people.add_row({"role": "third_party", "name": "王五", "phone": "13700001111", "injury_level": "none"})


def _check_claim(f: Any) -> None:
    assert f.policy_number.text() == "PA2026000001"
    assert f.description.toPlainText() == "停车场剐蹭"
    assert f.vehicles.rows[0].plate.text() == "粤BD12345"
    assert f.vehicles.rows[0].insured.isChecked()
    assert f.people.data() == [{"role": "third_party", "name": "王五", "phone": "13700001111", "injury_level": "none"}]


def _fill_wrapup(f: Any) -> None:
    f.category.set_code("consult.product")
    f.resolved_yes.setChecked(True)
    f.notes.setPlainText("咨询重疾险等待期")


def _check_wrapup(f: Any) -> None:
    assert (f.category.code(), f.resolved_yes.isChecked(), f.notes.toPlainText()) == (
        "consult.product", True, "咨询重疾险等待期")


def _fill_transfer(f: Any) -> None:
    f.category.set_code("policy_service.beneficiary")
    f.problem.setPlainText("变更受益人为配偶")
    f.priority.setCurrentIndex(f.priority.findData("urgent"))


def _check_transfer(f: Any) -> None:
    assert (f.category.code(), f.problem.toPlainText(), f.priority.currentData()) == (
        "policy_service.beneficiary", "变更受益人为配偶", "urgent")


def _fill_outbound(f: Any) -> None:
    f.select_task(f._tasks[0].id)
    f.result.setCurrentIndex(f.result.findData("no_answer"))
    f.note.setPlainText("无人接听，稍后再拨")


def _check_outbound(f: Any) -> None:
    assert f.task is not None
    assert (f.result.currentData(), f.note.toPlainText()) == ("no_answer", "无人接听，稍后再拨")


def _fill_query(f: Any) -> None:
    f.lookup.setText("PA2026000001")
    f.name.setText("张三丰")


def _check_query(f: Any) -> None:
    assert (f.lookup.text(), f.name.text()) == ("PA2026000001", "张三丰")


FORMS: list[tuple[type[FormPage], Callable[[Any], None], Callable[[Any], None]]] = [
    (QueryForm, _fill_query, _check_query),
    (ClaimForm, _fill_claim, _check_claim),
    (WrapUpPage, _fill_wrapup, _check_wrapup),
    (TransferPage, _fill_transfer, _check_transfer),
    (OutboundPage, _fill_outbound, _check_outbound),
]


@pytest.mark.parametrize(("cls", "fill", "check"), FORMS, ids=[c.kind for c, _, _ in FORMS])
def test_draft_is_saved_while_typing_and_offered_back_after_a_restart(
    env: Env, qtbot: Any, cls: type[FormPage], fill: Callable[[Any], None], check: Callable[[Any], None]
) -> None:
    first = cls(ctx=env.ctx)
    show(first, qtbot)
    first.set_call(env.call())
    env.settle()
    fill(first)
    env.pump(0.8)  # past the 500 ms debounce
    assert env.draft_path is not None
    drafts = DraftStore(env.draft_path).list(agent_id="1001")  # a fresh store over the same file: a restart
    assert [d.linkedid for d in drafts] == [LINKEDID]
    first.close()

    ctx = replace(env.ctx, drafts=DraftStore(env.draft_path))
    second = cls(ctx=ctx)
    show(second, qtbot)
    env.settle()
    assert second.restore_bar.isVisible()
    assert not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    second.restore_bar.restore_button.click()
    env.settle()
    check(second)
    assert not second.restore_bar.isVisible()
    assert second.linkedid == LINKEDID  # the draft keeps the call it was typed on


def test_a_crash_draft_waits_while_another_call_is_up_and_never_goes_into_its_form(env: Env, qtbot: Any) -> None:
    """A draft left by a crash is offered at sign-in. If the CSR takes a new call first, the offer steps aside:
    restoring it then would put the earlier customer's words into this caller's form. The new work is autosaved
    under the new call (the old draft stays), and the offer comes back once the form is empty and no call is up."""
    first = TransferPage(ctx=env.ctx)
    show(first, qtbot)
    first.set_call(env.call())
    env.settle()
    _fill_transfer(first)
    env.pump(0.8)
    first.close()

    ctx = replace(env.ctx, drafts=DraftStore(env.draft_path))  # the restarted desk
    second = TransferPage(ctx=ctx)
    show(second, qtbot)
    env.settle()
    assert second.restore_bar.isVisible()
    second.set_call(CallContext(linkedid="1732400999.7", caller_number="13900000000", queue="service"))
    assert not second.restore_bar.isVisible(), "not offered into another caller's form"
    second._restore()  # a stray click or shortcut: refused all the same
    assert second.problem.toPlainText() == ""
    second.problem.setPlainText("新来电：咨询保全进度")
    env.pump(0.8)  # typing while the offer waits is autosaved, under the new call
    kept = {d.linkedid: d.payload.get("problem") for d in ctx.drafts.list(agent_id="1001")}
    assert kept == {LINKEDID: "变更受益人为配偶", "1732400999.7": "新来电：咨询保全进度"}
    second.set_call(None)
    assert not second.restore_bar.isVisible(), "not offered over the work typed since"
    second.saved("已保存")  # the new call's order went in: the form is empty again
    env.settle()
    assert second.restore_bar.isVisible()
    second.restore_bar.restore_button.click()
    env.settle()
    _check_transfer(second)
    assert second.linkedid == LINKEDID
    second.set_call(CallContext(linkedid="1732401000.9", caller_number="13900000001", queue="service"))
    assert second.linkedid == LINKEDID, "a restored draft stays with the call it was typed on"
    assert second.call_label.text() == "Attached to the call this draft was typed on."


def test_discarding_the_offer_deletes_the_draft(env: Env, qtbot: Any) -> None:
    first = WrapUpPage(ctx=env.ctx)
    show(first, qtbot)
    env.settle()
    _fill_wrapup(first)
    first.save_draft()
    env.settle()
    second = WrapUpPage(ctx=env.ctx)
    show(second, qtbot)
    env.settle()
    assert second.restore_bar.isVisible()
    second.restore_bar.discard_button.click()
    env.settle()
    assert env.ctx.drafts.list(agent_id="1001") == []
    assert second.notes.toPlainText() == ""


def test_a_submitted_report_leaves_no_draft(env: Env, qtbot: Any) -> None:
    form = ClaimForm(ctx=env.ctx)
    show(form, qtbot)
    form.set_call(env.call())
    _fill_claim(form)
    form.occurred_at.setText("2000-01-01 10:00")  # before the policy: refused, the draft stays
    form.location.setText("地下车库")
    form.police.setCurrentIndex(form.police.findData("no"))
    form.save_draft()
    env.settle()
    form.submit()
    env.settle()
    assert form.fieldset.error_of("occurred_at") == "the policy was not in force at this time"
    assert len(env.ctx.drafts.list(agent_id="1001")) == 1
    form.occurred_at.setText(form.occurred_at.text().replace("2000-01-01", _yesterday()))
    form.submit()
    env.settle()
    with env.session() as s:
        assert s.scalars(select(ClaimReport)).one().linkedid == LINKEDID
    assert env.ctx.drafts.list(agent_id="1001") == []


def _yesterday() -> str:
    from datetime import date, timedelta

    return (date.today() - timedelta(days=1)).isoformat()


def _chain_order(fields: list[QWidget]) -> list[QWidget]:
    """Walk the focus chain from the first field; return the fields in the order Tab reaches them."""
    seen: list[QWidget] = [fields[0]]
    w = fields[0].nextInFocusChain()
    while w is not fields[0] and len(seen) < len(fields):
        if w in fields and w not in seen:
            seen.append(w)
        w = w.nextInFocusChain()
    return seen


@pytest.mark.parametrize("cls", [c for c, _, _ in FORMS], ids=[c.kind for c, _, _ in FORMS])
def test_tab_walks_the_fields_in_reading_order(env: Env, qtbot: Any, cls: type[FormPage]) -> None:
    form = cls(ctx=env.ctx)
    show(form, qtbot)
    env.settle()
    if isinstance(form, ClaimForm):
        form.people.add_row()
    fields = form.tab_fields()
    assert len(fields) >= 5
    assert _chain_order(fields) == fields
    assert fields[-1].nextInFocusChain() is form.submit_button or _after(fields[-1], form.submit_button)


def _after(a: QWidget, b: QWidget) -> bool:
    w = a.nextInFocusChain()
    for _ in range(10):
        if w is b:
            return True
        w = w.nextInFocusChain()
    return False


def test_claim_tab_order_follows_the_product_line(env: Env, qtbot: Any) -> None:
    form = ClaimForm(ctx=env.ctx)
    show(form, qtbot)
    form.line.setCurrentIndex(form.line.findData("life_health"))
    fields = form.tab_fields()
    assert form.event_type in fields
    assert form.location not in fields
    assert _chain_order(fields) == fields


def test_enter_submits_and_escape_keeps_the_text(env: Env, qtbot: Any) -> None:
    form = TransferPage(ctx=env.ctx)
    show(form, qtbot)
    env.settle()
    form.problem.setPlainText("客户来电催办")
    qtbot.keyClick(form.problem, Qt.Key.Key_Escape)
    assert form.problem.toPlainText() == "客户来电催办"
    wrap = WrapUpPage(ctx=env.ctx)
    show(wrap, qtbot)
    env.settle()
    wrap.set_call(env.call())
    wrap.category.set_code("other.misdial")
    wrap.resolved_yes.setChecked(True)
    submitted: list[int] = []
    wrap.saved_wrap_up.connect(submitted.append)
    wrap.activateWindow()
    qtbot.waitActive(wrap)
    wrap.notes.setFocus()
    qtbot.keyClick(wrap.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    env.settle()
    assert len(submitted) == 1


def test_panel_has_five_tabs_passes_the_call_and_fits_the_desk(env: Env, qtbot: Any) -> None:
    panel = build_forms(ctx=env.ctx)
    qtbot.addWidget(panel)
    panel.resize(820, 560)  # the work area of a 1366×768 desk
    panel.show()
    env.settle()
    assert [panel.tabText(i) for i in range(panel.count())] == [
        "Query", "Claim report", "Wrap-up", "Transfer order", "Outbound"]
    assert panel.minimumSizeHint().width() <= 820
    assert panel.minimumSizeHint().height() <= 560
    panel.set_call(env.call())
    assert all(f.linkedid == LINKEDID for f in panel.forms.values())
    for kind in KINDS:
        panel.focus_form(kind)
        assert panel.currentWidget() is panel.forms[kind]
    panel.focus_form("claim")
    panel.resize(820, 420)
    env.pump(0.1)
    assert panel.claim.scroll_area.verticalScrollBar().maximum() > 0  # a long form scrolls, it does not overflow
    assert panel.claim.submit_button.isVisible()  # and its submit button stays in view
    dialled: list[tuple[str, int]] = []
    panel.dial_requested.connect(lambda n, t: dialled.append((n, t)))
    panel.outbound.select_task(env.seed.cooling_task)
    panel.outbound.number.setText("13812345678")
    panel.outbound.dial()
    env.settle()  # the task is claimed for this CSR first
    assert dialled == [("13812345678", env.seed.cooling_task)]
    with pytest.raises(ValueError, match="unknown form"):
        panel.focus_form("nope")


def test_a_database_failure_is_shown_inline_and_the_text_stays(env: Env, qtbot: Any, tmp_path: Any) -> None:
    from app.db import make_engine, make_session_factory
    from ui.ops import Operations

    notices: list[str] = []
    broken = make_engine(f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}")  # its folder does not exist
    ctx = replace(env.ctx, session_factory=make_session_factory(broken), ops=Operations(notify_error=notices.append))
    page = TransferPage(ctx=ctx)
    show(page, qtbot)
    page.category.set_code("complaint.claim")
    page.problem.setPlainText("客户投诉理赔慢")
    page.submit()
    asyncio.get_event_loop().run_until_complete(ctx.ops.drain())
    assert "Send transfer order failed" in page.status.text()
    assert any(n.startswith("Send transfer order") for n in notices)
    assert page.problem.toPlainText() == "客户投诉理赔慢"  # nothing the CSR typed is lost
    assert page.submit_button.isEnabled()
    assert not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    broken.dispose()
