"""Outbound: an agent dials an 11-digit mobile number; the simulator (endpoint pstn) rings and answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from labkit import wait_ringing
from labsim.labinfo import LabInfo
from labsim.phone import Phones

pytestmark = pytest.mark.lab


def test_agent_dials_mobile_number_and_simulator_answers(lab: LabInfo, phones: Phones, speech: Path) -> None:
    sim = phones.line("pstn")
    agent = phones.line("1009")
    out = agent.call("13800138009")
    out.play(speech)
    ring = wait_ringing(phones, sim.incoming, "the simulator to ring",
                        lambda leg: "sip:13800138009@" in leg.invite.split("\r\n", 1)[0])
    from_line = next(h for h in ring.invite.split("\r\n") if h.lower().startswith(("from:", "f:")))
    assert "95500" in from_line, "the network must see the centre's number, not the agent's"
    assert "1009" not in from_line
    ring.play(speech)
    ring.answer()
    phones.wait(lambda: out.connected and ring.connected, 10, "both legs to connect")
    phones.wait(lambda: min(*out.rtp_packets(), *ring.rtp_packets()) > 10, 15, "RTP both ways")
    out.hangup()
    phones.wait(lambda: ring.ended, 10, "the simulator's leg to end")
