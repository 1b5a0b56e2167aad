"""Claim report (S-8.2.2.2): good reports are written with the call's linkedid; bad input shows on its field
while typing and on submit, and writes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from formkit import LINKEDID, Env, show
from sqlalchemy import select

from app.models import ClaimReport
from ui.forms.claim import ClaimForm


def _auto_form(env: Env, qtbot: Any) -> ClaimForm:
    form = ClaimForm(ctx=env.ctx)
    show(form, qtbot)
    form.set_call(env.call())
    env.settle()  # the caller's policies are pulled up (and that lookup audited) before anything is typed
    form.policy_number.setText(env.seed.auto_policy)
    form.occurred_at.setText((datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    form.description.setPlainText("追尾，前车急刹")
    form.location.setText("北京市朝阳区建国路与东三环路口")
    form.police.setCurrentIndex(form.police.findData("yes"))
    row = form.vehicles.rows[0]
    row.plate.setText("京A12345")
    row.vin.setText("LSVAU2180N2183456")
    third = form.vehicles.add_row()
    third.plate.setText("粤BD12345")  # new energy, 8 characters
    person = form.people.add_row()
    person.role.setCurrentIndex(person.role.findData("injured"))
    person.name.setText("李四")
    person.phone.setText("139 0000 1111")
    person.injury.setCurrentIndex(person.injury.findData("minor"))
    return form


def test_auto_report_is_written_with_the_linkedid_and_the_number_is_shown(env: Env, qtbot: Any) -> None:
    form = _auto_form(env, qtbot)
    assert form.fieldset.error_of("vehicles[1].plate") == ""  # the 8-character new-energy plate is accepted
    form.submit_button.click()
    env.settle()
    with env.session() as s:
        report = s.scalars(select(ClaimReport)).one()
        vehicles = [(v.plate, v.vin, v.is_insured_vehicle) for v in report.vehicles]
        people = [(p.role, p.name, p.phone, p.injury_level) for p in report.people]
    assert report.linkedid == LINKEDID
    assert report.kind == "auto"
    assert report.police_attended is True
    assert vehicles == [("京A12345", "LSVAU2180N2183456", True), ("粤BD12345", None, False)]
    assert people == [("injured", "李四", "13900001111", "minor")]
    assert form.receipt.isVisible()
    assert report.report_number in form.receipt.text()
    assert form.policy_number.text() == ""  # emptied for the next report


def test_life_health_report(env: Env, qtbot: Any) -> None:
    form = ClaimForm(ctx=env.ctx)
    show(form, qtbot)
    form.set_call(env.call())
    form.line.setCurrentIndex(form.line.findData("life_health"))
    assert form.life_box.isVisible()
    assert not form.auto_box.isVisible()
    yesterday = datetime.now() - timedelta(days=1)
    form.policy_number.setText(env.seed.life_policy)
    form.occurred_at.setText(yesterday.strftime("%Y-%m-%d 08:00"))
    form.description.setPlainText("急性阑尾炎住院")
    form.event_type.setCurrentIndex(form.event_type.findData("hospitalisation"))
    form.hospital.setText("北京协和医院")
    form.admitted_on.setText(yesterday.strftime("%Y-%m-%d"))
    form.submit()
    env.settle()
    with env.session() as s:
        report = s.scalars(select(ClaimReport)).one()
    assert (report.kind, report.event_type, report.hospital, report.linkedid) == (
        "life_health", "hospitalisation", "北京协和医院", LINKEDID)
    assert report.admitted_on == yesterday.date()
    assert report.report_number in form.receipt.text()


@pytest.mark.parametrize(
    ("where", "value", "field", "message"),
    [
        ("plate", "京A1234", "vehicles[0].plate", "a plate has 7 characters (8 for new energy), this has 6"),
        ("plate", "X A12345", "vehicles[0].plate", "a plate starts with a province character such as 京 or 粤"),
        ("vin", "LSVAU2180N21834I6", "vehicles[0].vin", "a VIN never contains I, O or Q"),
        ("vin", "LSVAU2180N2183O56", "vehicles[0].vin", "a VIN never contains I, O or Q"),
        ("vin", "LSVAU2180N2183Q56", "vehicles[0].vin", "a VIN never contains I, O or Q"),
        ("phone", "12345678901", "people[0].phone", "a mobile number has 11 digits and starts with 13 to 19"),
        ("occurred_at", "future", "occurred_at", "this time is in the future"),
        ("location", "", "location", "this field is required"),
        ("description", "", "description", "this field is required"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_written(
    env: Env, qtbot: Any, where: str, value: str, field: str, message: str
) -> None:
    form = _auto_form(env, qtbot)
    before = env.counts()
    if where == "plate":
        form.vehicles.rows[0].plate.setText(value)
    elif where == "vin":
        form.vehicles.rows[0].vin.setText(value)
    elif where == "phone":
        form.people.rows[0].phone.setText(value)
    elif where == "occurred_at":
        form.occurred_at.setText((datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"))
    elif where == "location":
        form.location.setText(value)
    else:
        form.description.setPlainText(value)
    live = form.fieldset.error_of(field)
    if value:  # typed values are checked while typing, with the data layer's rules
        assert live == message
        assert form.fieldset.fields[field].widget.property("invalid") is True
    form.submit_button.click()
    env.settle()
    assert form.fieldset.error_of(field) == message  # the service's verdict, on the same field
    assert "nothing was saved" in form.status.text()
    assert not form.receipt.isVisible()
    assert env.counts() == before


def test_removing_a_row_moves_the_field_names_along(env: Env, qtbot: Any) -> None:
    form = _auto_form(env, qtbot)
    form.vehicles.rows[1].plate.setText("京A1234")
    form.vehicles.remove_row(form.vehicles.rows[0])
    assert "vehicles[1].plate" not in form.fieldset.fields
    form.submit()
    env.settle()
    # The remaining row (once index 1) now reports as vehicles[0].
    assert form.fieldset.error_of("vehicles[0].plate").startswith("a plate has 7 characters")
    assert form.fieldset.error_of("vehicles") == "mark which vehicle is the insured one"


def test_the_callers_policies_are_pulled_up_and_choosing_one_picks_the_product_line(
    env: Env, qtbot: Any
) -> None:
    form = ClaimForm(ctx=env.ctx)
    show(form, qtbot)
    form.set_call(env.call())
    env.settle()
    numbers = [form.policies.itemData(i) for i in range(1, form.policies.count())]
    assert sorted(numbers) == sorted([env.seed.auto_policy, env.seed.life_policy])
    form.policies.setCurrentIndex(form.policies.findData(env.seed.life_policy))
    assert form.policy_number.text() == env.seed.life_policy
    assert form.line.currentData() == "life_health"
    form.policies.setCurrentIndex(form.policies.findData(env.seed.auto_policy))
    assert form.line.currentData() == "auto"
    assert "京A12345" in form.policies.currentText()


def test_a_call_whose_screen_pop_is_loaded_shows_its_policies_without_a_second_lookup(
    env: Env, qtbot: Any
) -> None:
    """The window hands the forms the screen pop it painted: the claim form lists the caller's policies from it,
    with no second query and no second audited read of the customer for the same call."""
    from sqlalchemy import func

    from app.models import AuditEntry
    from app.screenpop import screen_pop
    from ui.forms.context import CallContext

    with env.ctx.session_factory() as s:
        pop = screen_pop(s, caller_number=env.call().caller_number, policy_number=None, actor=env.ctx.actor)
        s.commit()
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    form = ClaimForm(ctx=env.ctx)
    show(form, qtbot)
    call = env.call()
    form.set_call(CallContext(linkedid=call.linkedid, caller_number=call.caller_number, pop=pop))
    numbers = [form.policies.itemData(i) for i in range(1, form.policies.count())]
    assert sorted(numbers) == sorted([env.seed.auto_policy, env.seed.life_policy])  # at once, in this turn
    env.settle()
    with env.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits  # nothing looked up again


def test_a_report_typed_on_one_call_is_never_filed_on_the_next_callers_call(env: Env, qtbot: Any) -> None:
    """The CSR starts a report, the caller hangs up, the CSR leaves wrap-up without filing it and the next customer
    rings. The half-typed report still belongs to the call it was typed on: the form says so, and filing it then
    attaches it to that call, not to the new caller's (it once moved to the new call, draft and all)."""
    from dataclasses import replace

    from ui.forms.context import CallContext

    form = _auto_form(env, qtbot)
    first = env.call()
    form.set_call(replace(first, ended=True))  # hung up: wrap-up
    form.set_call(None)  # the CSR leaves wrap-up
    assert form.linkedid == LINKEDID
    nxt = CallContext(linkedid="1732409999.1", caller_number="13900009999", queue="claims-auto")
    form.set_call(nxt)
    env.settle()
    assert form.linkedid == LINKEDID
    assert first.caller_number in form.call_label.text()  # kept for that caller, and says so
    assert form.policies.count() == 3  # still that caller's two policies (and the prompt), not the new caller's
    form.submit_button.click()
    env.settle()
    with env.session() as s:
        assert s.scalars(select(ClaimReport.linkedid)).one() == LINKEDID
    assert form.linkedid == "1732409999.1"  # filed: the emptied form serves the call now up
    env.settle()
    assert form.policies.count() == 1  # and lists that caller's policies (none: an unknown number)


def test_work_kept_for_an_earlier_call_can_be_discarded_to_serve_the_call_up_now(env: Env, qtbot: Any) -> None:
    """The kept report's draft stays under the call it was typed on (not moved to the new caller's); "Discard it"
    empties the form, drops that draft and the form then serves the call up now."""
    from ui.forms.context import CallContext

    form = _auto_form(env, qtbot)
    assert not form.discard_button.isVisibleTo(form)
    form.set_call(None)
    nxt = CallContext(linkedid="1732409999.2", caller_number="13900009999", queue="claims-auto")
    form.set_call(nxt)
    form.description.setPlainText("追尾，前车急刹；后车全责")  # more typing on the kept report
    form.save_draft()
    env.settle()
    agent = env.ctx.actor.agent_id
    assert [(d.form_kind, d.linkedid) for d in env.ctx.drafts.list(agent_id=agent)] == [("claim_auto", LINKEDID)]
    assert form.discard_button.isVisibleTo(form)
    form.discard_button.click()
    env.settle()
    assert env.ctx.drafts.list(agent_id=agent) == []
    assert form.description.toPlainText() == ""
    assert form.linkedid == "1732409999.2"
    assert not form.discard_button.isVisibleTo(form)
    assert "13900009999" in form.call_label.text()


def test_what_the_desk_filled_in_for_one_caller_gives_way_to_the_next(env: Env, qtbot: Any) -> None:
    """The IVR policy number the desk filled in is not the CSR's typing: with nothing typed, the next caller's form
    starts clean with their own number, and nothing is kept for the last call."""
    from ui.forms.context import CallContext

    form = ClaimForm(ctx=env.ctx)
    show(form, qtbot)
    form.set_call(CallContext(linkedid="1732409999.4", caller_number="13900000001", policy_number="PA2026000001"))
    env.settle()
    assert form.policy_number.text() == "PA2026000001"
    form.set_call(None)
    form.set_call(CallContext(linkedid="1732409999.5", caller_number="13900000002", policy_number="PL2026000002"))
    env.settle()
    assert form.policy_number.text() == "PL2026000002"
    assert form.linkedid == "1732409999.5"
    assert not form.discard_button.isVisibleTo(form)
    assert env.ctx.drafts.list(agent_id=env.ctx.actor.agent_id) == []


def test_a_caller_with_one_claimable_policy_has_it_chosen_and_a_mixed_one_has_none(env: Env, qtbot: Any) -> None:
    """The obvious choice is filled in (not counted as typing, so no draft): the caller's only policy a claim can be
    on, with its product line; with policies of both kinds the CSR chooses."""
    import dataclasses

    from app.screenpop import screen_pop
    from ui.forms.context import CallContext

    with env.ctx.session_factory() as s:
        pop = screen_pop(s, caller_number=env.call().caller_number, policy_number=None, actor=env.ctx.actor)
        s.commit()
    life = next(p for p in pop.policies if p.number == env.seed.life_policy)
    form = ClaimForm(ctx=env.ctx)
    show(form, qtbot)
    form.set_call(CallContext(linkedid="1732409999.6", caller_number="13900000003", pop=pop))
    assert form.policy_number.text() == ""  # auto and health: the CSR picks
    form.set_call(None)
    form.set_call(CallContext(linkedid="1732409999.7", caller_number="13900000004",
                              pop=dataclasses.replace(pop, policies=(life,))))
    assert form.policy_number.text() == env.seed.life_policy
    assert form.line.currentData() == "life_health"
    env.settle()
    assert env.ctx.drafts.list(agent_id=env.ctx.actor.agent_id) == []
