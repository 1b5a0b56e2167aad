"""Least privilege: desk AMI users cannot originate, run commands or touch any queue membership (their own
included: the desk uses service calls bound to its SIP endpoint, tests/engine/test_engine_lab_service.py); lead
AMI users may; CSRs cannot reach the spy codes."""

from __future__ import annotations

import pytest
from labsim.ami import AmiClient
from labsim.labinfo import LabInfo
from labsim.phone import Phones

pytestmark = pytest.mark.lab


def test_desk_ami_user_is_refused_originate_and_command(lab: LabInfo) -> None:
    with AmiClient.for_lab(lab, "desk1010") as desk:
        res = desk.action("Originate", Channel="PJSIP/1001", Application="Echo")
        assert res["Response"] == "Error"
        assert "permission" in res.get("Message", "").lower()
        res = desk.action("Command", Command="core show channels")
        assert res["Response"] == "Error"
        assert "permission" in res.get("Message", "").lower()


MEMBERSHIP_ACTIONS = ("QueueAdd", "QueuePause", "QueueRemove")


def service_members(ami: AmiClient, iface: str) -> list[tuple[str, str]]:
    return [(m["Paused"], m.get("PausedReason", "")) for m in ami.action_list("QueueStatus", Queue="service",
                                                                             Member=iface)
            if m.get("Event") == "QueueMember" and m.get("StateInterface") == iface]


@pytest.mark.parametrize("iface", ["PJSIP/1002", "PJSIP/1001"], ids=["another agent", "its own interface"])
def test_desk_ami_user_is_refused_every_queue_membership_action(lab: LabInfo, ami: AmiClient, iface: str) -> None:
    ami.action("QueueRemove", Queue="service", Interface=iface)
    res = ami.action("QueueAdd", Queue="service", Interface=iface, MemberName="victim", StateInterface=iface,
                     Paused="false")
    assert res["Response"] == "Success", res
    try:
        with AmiClient.for_lab(lab, "desk1001") as desk:
            for action in MEMBERSHIP_ACTIONS:
                res = desk.action(action, Queue="service", Interface=iface,
                                  **{"QueueAdd": {"MemberName": "forged", "StateInterface": iface, "Paused": "true"},
                                     "QueuePause": {"Paused": "true", "Reason": "forged [lead 2001]"},
                                     "QueueRemove": {}}[action])
                assert res["Response"] == "Error", (action, res)
                assert "permission denied" in res.get("Message", "").lower(), (action, res)
            # QueueStatus needs no write right: the desk still reads its own membership
            status = desk.action_list("QueueStatus", Queue="service", Member=iface)
            assert [m["StateInterface"] for m in status if m.get("Event") == "QueueMember"] == [iface]
        assert service_members(ami, iface) == [("0", "")], "the refused actions changed nothing"
    finally:
        ami.action("QueueRemove", Queue="service", Interface=iface)


def test_lead_ami_user_may_pause_add_and_remove_an_agent(lab: LabInfo, ami: AmiClient) -> None:
    iface = "PJSIP/1010"
    ami.action("QueueRemove", Queue="service", Interface=iface)  # left over from a crashed run
    try:
        with AmiClient.for_lab(lab, "lead2001") as lead:
            res = lead.action("QueueAdd", Queue="service", Interface=iface, MemberName="csr1010",
                              StateInterface=iface, Paused="false")
            assert res["Response"] == "Success", res
            res = lead.action("QueuePause", Queue="service", Interface=iface, Paused="true",
                              Reason="会议 meeting [lead 2001]")
            assert res["Response"] == "Success", res
            assert service_members(ami, iface) == [("1", "会议 meeting [lead 2001]")]
            assert lead.action("QueueRemove", Queue="service", Interface=iface)["Response"] == "Success"
            assert service_members(ami, iface) == []
    finally:
        ami.action("QueueRemove", Queue="service", Interface=iface)


def test_admin_user_may_originate(lab: LabInfo, ami: AmiClient) -> None:
    """The refusal above is about rights: the same action from the admin user is accepted."""
    res = ami.action("Originate", Channel="Local/9196@from-agents", Application="Wait", Data="1",
                     Async="true")
    assert res["Response"] == "Success", res


def test_csr_cannot_reach_chanspy_but_lead_can(lab: LabInfo, phones: Phones) -> None:
    csr = phones.line("1006")
    spy = csr.call("551001")
    phones.wait(lambda: spy.ended or spy.connected, 15, "the CSR's spy attempt to end")
    assert spy.ended
    assert not spy.connected
    assert spy.last_code >= 400

    lead = phones.line("2002")
    spy = lead.call("551001")
    phones.wait(lambda: spy.ended or spy.connected, 15, "the lead's spy call to be answered")
    assert spy.connected, f"lead spy failed with SIP {spy.last_code}"
    spy.hangup()


def test_desk_event_filter_passes_its_own_channels_only(lab: LabInfo, ami: AmiClient, phones: Phones) -> None:
    with AmiClient.for_lab(lab, "desk1010") as desk:
        own = phones.line("1010").call("9196")
        other = phones.line("1009").call("9196")
        phones.wait(lambda: own.connected and other.connected, 15, "both echo calls")
        own.hangup()
        other.hangup()
        phones.wait(lambda: own.ended and other.ended, 10, "both hangups")
        for d in (desk, ami):
            d.wait(lambda m: m.get("Event") == "Hangup" and m.get("Channel", "").startswith("PJSIP/1010-"), 10,
                   "the Hangup of 1010's channel")
        ami.wait(lambda m: m.get("Event") == "Hangup" and m.get("Channel", "").startswith("PJSIP/1009-"), 10,
                 "the admin to see 1009's Hangup")
        phones.pump(0.5)
        assert not [m for m in desk.messages if "PJSIP/1009" in "".join(v for _, v in m.pairs)]
        kinds = {m.get("Event") for m in desk.messages if "Event" in m}
        assert not kinds & {"Newexten", "VarSet", "RTCPSent", "RTCPReceived"}


def test_simulator_ami_user_only_reads(lab: LabInfo) -> None:
    with AmiClient.for_lab(lab, "simulator") as sim:
        for action, fields in (("Originate", {"Channel": "PJSIP/1001", "Application": "Echo"}),
                               ("QueueAdd", {"Queue": "service", "Interface": "PJSIP/1001"}),
                               ("Hangup", {"Channel": "PJSIP/1001-00000000"})):
            res = sim.action(action, **fields)
            assert res["Response"] == "Error", (action, res)
            assert "permission" in res.get("Message", "").lower()
