"""The desk service end to end against the real lab: sign-in failures in words, a simulator call with its
screen pop, answer, hang-up, wrap-up, and the contact row tied to the call's linkedid (S-8.2.1a–c, S-8.2.2.3)."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from app.config import CentreConfig, PbxServer
from app.demo_data.generate import demo_caller_numbers
from app.desk import Desk, SignInError
from app.events import ScreenPopDidLoad
from app.models import Contact, Customer, Policy
from app.services.contacts import WrapUpForm, save_wrap_up
from cti.engine.client import EngineClient
from tests.e2e.conftest import PASSWORD, ROOT

AGENT = "1005"  # demo skills: claims-auto and service


async def until(cond: Callable[[], Any], what: str, within: float = 30.0) -> Any:
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while loop.time() < end:
        value = cond()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def simulator(caller: str, *extra: str, policy: str = "none") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "labsim.sim", "--calls", "1", "--scenario", "claims-auto", "--caller-ids", caller,
         "--policy", policy, "--talk-max", "0", "--max-call", "60", *extra],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def network_side() -> subprocess.Popen[str]:
    """The PSTN as the lab has it: answers the desk's outbound calls (after 0.5 s of ringing), places none."""
    return subprocess.Popen(
        [sys.executable, "-m", "labsim.sim", "--calls", "0", "--answer-outbound", "--answer-delay", "0.5",
         "--duration", "60"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


async def test_wrong_password_is_refused_in_words(desk: Desk) -> None:
    with pytest.raises(SignInError, match="wrong password"):
        await desk.sign_in(AGENT, "not-the-password")
    with pytest.raises(SignInError, match="no agent account"):
        await desk.sign_in("1999", PASSWORD)
    assert desk.session is None


async def test_unreachable_pbx_is_said_plainly(desk_parts: dict[str, Any], centre: CentreConfig) -> None:
    dead = dataclasses.replace(centre, pbx=(PbxServer(host="127.0.0.1", ami_port=15999, ami_tls_port=15998,
                                                      sip_port=15997, sip_tls_port=15996),),
                               action_timeout_seconds=1.0)
    d = Desk(config=dead, profile=centre.profiles["onsite"], desk_id="e2e-desk", bus=desk_parts["bus"],
             worker=desk_parts["worker"], session_factory=desk_parts["session_factory"],
             credentials=desk_parts["credentials"], softphone=EngineClient(desk_parts["bus"]))
    try:
        with pytest.raises(SignInError, match=r"(?i)unreachable|refused|did not answer"):
            await d.sign_in(AGENT, PASSWORD)
    finally:
        await d.close()


async def test_inbound_call_pops_the_customer_and_records_the_contact(
    desk: Desk, desk_parts: dict[str, Any]
) -> None:
    rec = desk_parts["recorder"]
    await desk.sign_in(AGENT, PASSWORD)
    assert desk.session is not None
    await until(lambda: desk.session.state.status.value == "ready", "ready")
    caller = demo_caller_numbers(5)[4]
    sim = simulator(caller, "--survey", "3")
    try:
        pop_event: ScreenPopDidLoad = (await until(
            lambda: [e for e in rec.of("screen_pop_did_load") if e.offer.caller_id == caller], "the screen pop"))[0]
        offer = pop_event.offer
        assert offer.caller_id == caller
        assert offer.queue == "claims-auto"
        assert offer.linkedid
        with desk_parts["session_factory"]() as s:
            expected = s.scalar(select(Customer).where(Customer.mobile == caller))
        assert expected is not None
        assert pop_event.pop.customer is not None
        assert pop_event.pop.customer.id == expected.id
        assert pop_event.pop.customer.name == expected.name  # on-site profile: shown in clear
        assert desk.session.state.status.value == "ringing"

        await desk.answer()
        await until(lambda: desk.session.state.status.value == "talking", "talking")
        await asyncio.sleep(1.0)
        await desk.hangup()
        await until(lambda: desk.session.state.status.value == "wrap_up", "wrap-up after hang-up")
        await until(lambda: rec.of("survey_did_score"), "the caller's survey score", within=45)
        await desk.settle()
        with desk_parts["session_factory"]() as s:
            save_wrap_up(s, actor=desk.actor, form=WrapUpForm(linkedid=offer.linkedid, category_code="claim.auto",
                                                              resolved_first_contact=True, notes="test"))
        await desk.finish_wrap_up()
        await until(lambda: desk.session.state.status.value == "ready", "ready after wrap-up")
        await desk.settle()
        with desk_parts["session_factory"]() as s:
            contact = s.scalar(select(Contact).where(Contact.linkedid == offer.linkedid, Contact.agent_id == AGENT))
            assert contact is not None
            assert contact.customer_id == expected.id
            assert contact.queue == "claims-auto"
            assert contact.answered_at is not None
            assert contact.ended_at is not None
            assert contact.ended_at >= contact.answered_at
            assert contact.survey_score == 3
            assert contact.wrap_up is not None
            assert contact.wrap_up.category_code == "claim.auto"
    finally:
        sim.wait(timeout=60)
    await desk.sign_out()
    assert desk.session is None


async def test_ivr_policy_number_pops_the_policy_holder_for_an_unknown_number(
    desk: Desk, desk_parts: dict[str, Any]
) -> None:
    """The caller keys a policy number's digits into the IVR; the card shows that policy's holder."""
    rec = desk_parts["recorder"]
    with desk_parts["session_factory"]() as s:
        policy = s.scalars(select(Policy).where(Policy.status == "in_force").order_by(Policy.id)).first()
        assert policy is not None
        holder_id, digits = policy.holder_id, policy.number_digits
    caller = "13900000000"  # not a demo customer's number
    await desk.sign_in(AGENT, PASSWORD)
    await until(lambda: desk.session.state.status.value == "ready", "ready")
    sim = simulator(caller, "--survey", "none", policy=digits)
    try:
        pop_event = (await until(
            lambda: [e for e in rec.of("screen_pop_did_load") if e.offer.caller_id == caller], "the screen pop"))[0]
        assert pop_event.offer.ivr_vars.get("CSD_POLICY") == digits
        assert pop_event.pop.looked_up_by == "policy_number"
        assert pop_event.pop.customer is not None
        assert pop_event.pop.customer.id == holder_id
        await desk.answer()
        await until(lambda: desk.session.state.status.value == "talking", "talking")
        await desk.hangup()
        await until(lambda: desk.session.state.status.value == "wrap_up", "wrap-up")
        await desk.finish_wrap_up()
        await until(lambda: desk.session.state.status.value == "ready", "ready after wrap-up")
    finally:
        sim.wait(timeout=60)
    await desk.sign_out()


async def test_an_outbound_call_is_recorded_as_a_contact_under_its_linkedid(
    desk: Desk, desk_parts: dict[str, Any]
) -> None:
    """A callback the CSR places (from an outbound task or the call strip): once answered it is a contact like an
    inbound call, under the linkedid the forms attach to the result, with the number dialled."""
    rec = desk_parts["recorder"]
    number = "13800138005"
    network = network_side()
    try:
        await asyncio.sleep(2.0)  # it registers as the network side
        await desk.sign_in(AGENT, PASSWORD, initial="not_ready")
        assert desk.session is not None
        await until(lambda: desk.session.state.status.value == "not_ready", "not ready")
        await desk.dial(number)
        await until(lambda: desk.session.state.status.value == "talking", "talking")
        corr = (await until(lambda: [e for e in rec.of("call_did_correlate") if e.outbound], "the correlation"))[0]
        assert corr.dialed == number
        await asyncio.sleep(1.0)
        await desk.hangup()
        await until(lambda: desk.session.state.status.value == "wrap_up", "wrap-up after hang-up")
        await desk.settle()
        with desk_parts["session_factory"]() as s:
            contact = s.scalar(select(Contact).where(Contact.linkedid == corr.linkedid, Contact.agent_id == AGENT))
            assert contact is not None
            assert (contact.direction, contact.caller_number, contact.queue) == ("outbound", number, None)
            assert contact.answered_at is not None
            assert contact.ended_at is not None
            assert contact.ended_at >= contact.answered_at
        await desk.finish_wrap_up()
    finally:
        network.terminate()
        network.wait(timeout=30)
    await desk.sign_out()
