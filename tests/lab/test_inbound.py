"""Inbound path and survey against the real lab: simulator -> 95500 IVR -> claims-auto -> agent (pjsua2)."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from labkit import dial_hotline, for_call, queue_member, wait_ringing
from labsim.ami import AmiClient
from labsim.labinfo import LabInfo
from labsim.phone import Phones

pytestmark = pytest.mark.lab


def test_inbound_call_reaches_agent_with_policy_and_two_way_rtp(
    lab: LabInfo, ami: AmiClient, phones: Phones, speech: Path
) -> None:
    agent = phones.line("1007")
    with queue_member(ami, "claims-auto", "1007"):
        caller, join = dial_hotline(phones, ami, "13912340007", "1", "880012345", speech)
        assert join["Queue"] == "claims-auto"
        assert join.chanvars()["CSD_POLICY"] == "880012345"
        assert join.chanvars()["CSD_MENU"] == "1"

        ring = wait_ringing(phones, agent.incoming, "the queue to ring agent 1007", for_call(join["Linkedid"]))
        assert ring.headers["x-csd-queue"] == "claims-auto"
        assert ring.headers["x-csd-policy"] == "880012345"
        assert ring.headers["x-csd-linkedid"] == join["Linkedid"]
        assert ring.headers["x-csd-uniqueid"] == join["Uniqueid"]
        called = ami.wait(lambda m: m.get("Event") == "AgentCalled" and m.get("Linkedid") == join["Linkedid"]
                          and m.get("Interface") == "PJSIP/1007", 10, "AgentCalled for PJSIP/1007")
        assert called["Queue"] == "claims-auto"
        assert called.chanvars()["CSD_POLICY"] == "880012345"

        ring.play(speech)
        ring.answer()
        phones.wait(lambda: ring.connected, 10, "the agent's leg to connect")
        phones.wait(lambda: min(*caller.rtp_packets(), *ring.rtp_packets()) > 20, 20, "RTP both ways")
        sent_c, recv_c = caller.rtp_packets()
        sent_a, recv_a = ring.rtp_packets()
        assert sent_c > 0
        assert recv_c > 0
        assert sent_a > 0
        assert recv_a > 0
        phones.pump(2.0)  # talk a little, so the recording has something to hold
        caller.hangup()
        phones.wait(lambda: ring.ended, 10, "the agent's leg to end after the caller hung up")
        ami.wait(lambda m: m.get("Event") == "Hangup" and m.get("Uniqueid") == join["Uniqueid"], 10,
                 "the caller's channel to hang up")
        # The caller hung up first: nothing more, in particular no survey.
        assert ami.find(lambda m: m.get("Uniqueid") == join["Uniqueid"] and m.get("Context") == "csd-survey") is None

    # MixMonitor wrote the call under the instance's spool, named after the linkedid; queue_log has the call.
    recording = lab.monitor_dir / called.chanvars()["CSD_RECORDING"]
    assert recording.name == f"{join['Linkedid']}.wav"
    phones.wait(lambda: _seconds(recording) >= 1.5, 15, "a recording of the bridged call")
    assert {"ENTERQUEUE", "CONNECT"} <= _queue_log_events(lab, join["Uniqueid"])
    phones.wait(lambda: "COMPLETECALLER" in _queue_log_events(lab, join["Uniqueid"]), 15, "COMPLETECALLER")


def _seconds(wav: Path) -> float:
    try:
        with wave.open(str(wav)) as w:
            return w.getnframes() / w.getframerate()
    except (OSError, EOFError, wave.Error):
        return 0.0


def _queue_log_events(lab: LabInfo, uniqueid: str) -> set[str]:
    lines = [ln.split("|") for ln in lab.queue_log.read_text().splitlines()]
    return {f[4] for f in lines if len(f) > 4 and f[1] == uniqueid}


def test_survey_score_arrives_with_linkedid_when_agent_hangs_up_first(
    lab: LabInfo, ami: AmiClient, phones: Phones, speech: Path
) -> None:
    agent = phones.line("1008")
    with queue_member(ami, "claims-auto", "1008"):
        caller, join = dial_hotline(phones, ami, "13912340008", "1", "", speech)
        ring = wait_ringing(phones, agent.incoming, "the queue to ring agent 1008", for_call(join["Linkedid"]))
        ring.answer()
        phones.wait(lambda: ring.connected, 10, "the agent's leg to connect")
        phones.pump(1.0)
        ring.hangup()
        phones.wait(lambda: ring.ended, 10, "the agent's hangup")
        assert not caller.ended, "the caller must stay on for the survey"
        phones.pump(1.5)
        caller.dtmf("4")
        score = ami.wait(lambda m: m.get("UserEvent") == "CsdSurvey" and m.get("Linkedid") == join["Linkedid"],
                         20, "the CsdSurvey UserEvent")
        assert score["Score"] == "4"
        phones.wait(lambda: caller.ended, 15, "the survey to hang up")


def test_agent_transfers_caller_to_survey(lab: LabInfo, ami: AmiClient, phones: Phones, speech: Path) -> None:
    agent = phones.line("1006")
    with queue_member(ami, "complaints", "1006"):
        caller, join = dial_hotline(phones, ami, "13912340006", "4", "", speech)
        assert join["Queue"] == "complaints"
        ring = wait_ringing(phones, agent.incoming, "the queue to ring agent 1006", for_call(join["Linkedid"]))
        ring.answer()
        phones.wait(lambda: ring.connected, 10, "the agent's leg to connect")
        phones.pump(1.0)
        ring.transfer("9555")  # blind transfer (SIP REFER) of the caller to the survey
        phones.wait(lambda: ring.ended, 15, "the agent's leg to end after the transfer")
        ami.wait(lambda m: m.get("Event") == "Newexten" and m.get("Uniqueid") == join["Uniqueid"]
                 and m.get("Context") == "csd-survey", 15, "the caller to reach the survey")
        phones.pump(1.5)
        caller.dtmf("1")
        score = ami.wait(lambda m: m.get("UserEvent") == "CsdSurvey" and m.get("Linkedid") == join["Linkedid"],
                         20, "the CsdSurvey UserEvent")
        assert score["Score"] == "1"
