"""LegTracker from recorded AMI transcripts: which channels are this desk's, and what they did."""

from __future__ import annotations

from cti.ami.message import parse_transcript
from cti.session_legs import LegTracker

INBOUND = """\
Event: Newchannel
Channel: PJSIP/1001-0000002a
ChannelState: 0
Uniqueid: u-agent
Linkedid: u-caller

Event: Newchannel
Channel: PJSIP/10011-0000002b
ChannelState: 0
Uniqueid: u-other
Linkedid: u-other

Event: AgentCalled
Queue: claims-auto
Channel: PJSIP/pstn-00000029
CallerIDNum: 13912340007
Linkedid: u-caller
DestChannel: PJSIP/1001-0000002a
DestUniqueid: u-agent
DestLinkedid: u-caller
ChanVariable: CSD_POLICY=880012345
ChanVariable: CSD_MENU=1
ChanVariable: SECRET_THING=x

Event: Newstate
Channel: PJSIP/1001-0000002a
ChannelState: 6
Uniqueid: u-agent

Event: BridgeEnter
BridgeUniqueid: b1
Channel: PJSIP/1001-0000002a
Uniqueid: u-agent

Event: Hold
Channel: PJSIP/1001-0000002a
Uniqueid: u-agent

Event: Unhold
Channel: PJSIP/1001-0000002a
Uniqueid: u-agent

Event: Hangup
Channel: PJSIP/1001-0000002a
Uniqueid: u-agent
Cause-txt: Normal Clearing
"""

OUTBOUND = """\
Event: Newchannel
Channel: PJSIP/1001-00000030
ChannelState: 4
Exten: 13800138002
Uniqueid: u-out
Linkedid: u-out

Event: DialBegin
Channel: PJSIP/1001-00000030
Uniqueid: u-out
DestChannel: PJSIP/pstn-00000031
DestUniqueid: u-net
"""


def test_inbound_queue_call_is_tracked_from_offer_to_hangup() -> None:
    legs = LegTracker("PJSIP/1001")
    msgs = parse_transcript(INBOUND)
    for m in msgs[:3]:
        legs.feed(m)
    (leg,) = legs.live
    assert "PJSIP/10011-" not in leg.channel, "a prefix of another extension is not ours"
    assert (leg.outbound, leg.queue, leg.caller_id, leg.linkedid) == (False, "claims-auto", "13912340007", "u-caller")
    assert leg.ivr_vars == {"CSD_POLICY": "880012345", "CSD_MENU": "1"}, "only the IVR's CSD_* variables"
    assert leg.peer_channel == "PJSIP/pstn-00000029"
    legs.feed(msgs[3])
    assert leg.answered
    legs.feed(msgs[4])
    assert leg.bridge == "b1"
    legs.feed(msgs[5])
    assert leg.held
    legs.feed(msgs[6])
    assert not leg.held
    legs.feed(msgs[7])
    assert legs.live == []
    assert legs.drain_ended() == [(leg, "Normal Clearing")]


def test_outbound_call_knows_what_was_dialled_and_who_answers() -> None:
    legs = LegTracker("PJSIP/1001")
    for m in parse_transcript(OUTBOUND):
        legs.feed(m)
    (leg,) = legs.live
    assert (leg.outbound, leg.dialed, leg.peer_channel) == (True, "13800138002", "PJSIP/pstn-00000031")
