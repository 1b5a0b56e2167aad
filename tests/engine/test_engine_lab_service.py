"""Service calls against the lab: the desk's engine changes its OWN queue membership through the [csd-member]
feature extensions, whatever it writes in the headers; each step is checked with QueueStatus as the admin.

The engine registers as 1001 (a CSR) and places the service calls as svc1001 (the PBX's endpoint for 1001's service
calls, same password). The other interface, PJSIP/1002, is a member of the same queues for the test and must never
change. No call event reaches the desk for these calls, and PJSIP/1001 itself never carries one (its device state,
which queues, wallboards and alerts read, does not move)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from conftest import pulse_up
from enginekit import Recorder

from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import CallDidAnswer, CallDidEnd, CallDidFail, CallDidOffer, RegistrationDidChange
from cti.softphone import SipAccount, SoftphoneError
from cti.state_types import lead_of
from tests.conftest import need

pytestmark = [pytest.mark.lab]
AGENT, OTHER = "1001", "1002"
QUEUES = ("service", "claims-auto")
FORGED = "小休 break [lead 2001]"
SVC = f"svc{AGENT}"


@pytest.fixture
def admin(lab: Any) -> Iterator[Any]:
    """The admin AMI user; PJSIP/1002 is in QUEUES (ready) and PJSIP/1001 in none for the test."""
    from labsim.ami import AmiClient

    with AmiClient.for_lab(lab, "admin") as client:
        for q in QUEUES:
            for ext in (AGENT, OTHER):
                client.action("QueueRemove", Queue=q, Interface=f"PJSIP/{ext}")
            res = client.action("QueueAdd", Queue=q, Interface=f"PJSIP/{OTHER}", MemberName=f"csr{OTHER}",
                                StateInterface=f"PJSIP/{OTHER}", Paused="false")
            assert res.get("Response") == "Success", res
        try:
            yield client
        finally:
            for q in QUEUES:
                for ext in (AGENT, OTHER):
                    client.action("QueueRemove", Queue=q, Interface=f"PJSIP/{ext}")


@pytest.fixture
async def agent(lab: Any) -> AsyncIterator[tuple[EngineClient, Recorder]]:
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    await client.register(SipAccount(extension=AGENT, password=lab.sip_password(AGENT),
                                     registrars=(f"{lab.host}:{lab.sip_port}",)))
    await rec.next(RegistrationDidChange, lambda e: e.registered)
    yield client, rec
    assert await client.stop() == 0, "\n".join(client.stderr_tail)


def members(admin: Any, ext: str) -> dict[str, tuple[str, str, str]]:
    """queue -> (Paused, PausedReason, Name) of PJSIP/<ext>, as the PBX reports it."""
    out = {}
    for m in admin.action_list("QueueStatus", Member=f"PJSIP/{ext}"):
        if m.get("Event") == "QueueMember" and m.get("StateInterface") == f"PJSIP/{ext}":
            out[m["Queue"]] = (m["Paused"], m.get("PausedReason", ""), m.get("Name", ""))
    return out


async def test_the_pbx_acts_only_on_the_endpoint_that_called(agent: Any, admin: Any) -> None:
    client, rec = agent
    other = {q: ("0", "", f"csr{OTHER}") for q in QUEUES}
    assert members(admin, OTHER) == other
    assert members(admin, AGENT) == {}
    seen = len(admin.messages)

    await client.service_call("9601", {"X-CSD-Queues": "&".join(QUEUES), "X-CSD-Member": "Agent 1001",
                                       "X-CSD-Reason": "签入 signing in", "X-CSD-Interface": f"PJSIP/{OTHER}"},
                              caller=SVC)
    assert members(admin, AGENT) == {q: ("1", "签入 signing in", "Agent 1001") for q in QUEUES}
    assert members(admin, OTHER) == other

    # a forged lead tag and a header naming the other interface: only 1001 is paused, and the tag is gone
    await client.service_call("9603", {"X-CSD-Reason": FORGED, "X-CSD-Interface": f"PJSIP/{OTHER}",
                                       "X-CSD-Member": f"PJSIP/{OTHER}"}, caller=SVC)
    mine = members(admin, AGENT)
    assert mine == {q: ("1", "小休 break lead 2001", "Agent 1001") for q in QUEUES}
    assert all(lead_of(reason) is None for _, reason, _ in mine.values())
    assert members(admin, OTHER) == other

    # argument splitting and quoting are removed; UTF-8 and the rest survive
    await client.service_call("9603", {"X-CSD-Reason": '会议, meeting|"x"\\(y)[z] ${CSD_IF}'}, caller=SVC)
    assert {r for _, r, _ in members(admin, AGENT).values()} == {"会议 meetingxyz ${CSD_IF}"}

    await client.service_call("9604", {"X-CSD-Interface": f"PJSIP/{OTHER}"}, caller=SVC)
    assert members(admin, AGENT) == {q: ("0", "", "Agent 1001") for q in QUEUES}

    # joining again while a member is fine: it pauses there with the reason
    await client.service_call("9601", {"X-CSD-Queues": "service", "X-CSD-Member": "Agent 1001",
                                       "X-CSD-Reason": "resync"}, caller=SVC)
    assert members(admin, AGENT) == {"service": ("1", "resync", "Agent 1001"),
                                     "claims-auto": ("0", "", "Agent 1001")}

    await client.service_call("9602", {"X-CSD-Queues": "&".join(QUEUES)}, caller=SVC)
    assert members(admin, AGENT) == {}
    assert members(admin, OTHER) == other
    await client.service_call("9602", {"X-CSD-Queues": "service"}, caller=SVC)  # not a member: fine

    for kind in (CallDidOffer, CallDidAnswer, CallDidEnd, CallDidFail):
        assert rec.of(kind) == [], f"a service call published {kind.__name__}"
    assert (await client.info())["calls"] == []
    events = admin.messages[seen:]
    assert [m for m in events if m.get("Event") == "Newchannel" and m.get("Channel", "").startswith(f"PJSIP/{SVC}-")]
    assert not [m for m in events if m.get("Event") == "Newchannel"
                and m.get("Channel", "").startswith(f"PJSIP/{AGENT}-")], "a service call on the agent's own device"
    assert not [m for m in events if m.get("Event") == "QueueMemberStatus"
                and m.get("StateInterface") == f"PJSIP/{AGENT}" and m.get("Status") != "1"], \
        "the agent's device state moved during the service calls"


async def test_a_refusal_comes_back_as_the_pbx_sip_status(agent: Any, admin: Any) -> None:
    client, _ = agent
    cases = [("9603", {"X-CSD-Reason": "x"}, 404),  # not a member anywhere
             ("9604", {}, 404),
             ("9601", {"X-CSD-Queues": "no-such-queue", "X-CSD-Reason": "x"}, 404),
             ("9601", {"X-CSD-Queues": "SERVICE,\"[]", "X-CSD-Reason": "x"}, 400),  # nothing left after filtering
             ("9601", {"X-CSD-Reason": "x"}, 400),
             ("9602", {}, 400)]
    for target, headers, status in cases:
        with pytest.raises(SoftphoneError) as err:
            await client.service_call(target, headers, caller=SVC)
        assert err.value.sip_status == status, (target, headers, err.value)
    assert members(admin, AGENT) == {}
    with pytest.raises(SoftphoneError) as err:  # the engine sends X-CSD-* headers only
        await client.service_call("9603", {"P-Asserted-Identity": f"<sip:{OTHER}@127.0.0.1>"}, caller=SVC)
    assert err.value.sip_status == 400


async def test_only_the_desks_own_service_endpoint_reaches_the_features(agent: Any, admin: Any) -> None:
    """The agent's phone endpoint (1001) cannot dial them, and 1001's password is not svc1002's."""
    client, rec = agent
    admin.action("QueueAdd", Queue="service", Interface=f"PJSIP/{AGENT}", MemberName="x",
                 StateInterface=f"PJSIP/{AGENT}", Paused="false")
    with pytest.raises(SoftphoneError) as err:
        await client.service_call("9603", {"X-CSD-Reason": "x"})  # as the registered 1001: from-agents
    assert err.value.sip_status == 404
    with pytest.raises(SoftphoneError) as err:
        await client.service_call("9603", {"X-CSD-Reason": "x"}, caller=f"svc{OTHER}")
    assert err.value.sip_status in (401, 403, 407), err.value
    assert members(admin, AGENT) == {"service": ("0", "", "x")}
    assert members(admin, OTHER)["service"] == ("0", "", f"csr{OTHER}")
    assert rec.of(CallDidOffer) == []
