"""Track this desk's own channels ("legs") from AMI events: who called, which queue, answered, held, bridged."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cti.ami.actions import ChannelInfo
from cti.ami.message import AmiMessage

IVR_VARS = ("CSD_POLICY", "CSD_MENU", "CSD_QUEUE", "CSD_RECORDING", "CSD_UNIQUEID")


@dataclass(slots=True)
class Leg:
    """One channel of this agent's phone on the PBX."""

    channel: str
    uniqueid: str
    linkedid: str
    outbound: bool
    started: float = field(default_factory=time.monotonic)
    caller_id: str = ""
    dialed: str = ""
    queue: str | None = None
    ivr_vars: dict[str, str] = field(default_factory=dict)
    answered_at: float | None = None
    held: bool = False
    bridge: str = ""
    peer_channel: str = ""  # the other party's channel while bridged
    in_conference: str = ""  # ConfBridge room
    call_ref: str | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class LegTracker:
    """Keep the live legs of ``interface`` (e.g. PJSIP/1001) in the order they appeared."""

    def __init__(self, interface: str) -> None:
        self.prefix = interface + "-"
        self.legs: dict[str, Leg] = {}  # by uniqueid, in creation order
        self.bridges: dict[str, set[str]] = {}  # bridge id -> channels in it (as far as this desk sees)
        self.ended: list[tuple[Leg, str]] = []  # legs that ended, with the hang-up cause, since last drain

    def ours(self, channel: str) -> bool:
        return channel.startswith(self.prefix)

    def by_channel(self, channel: str) -> Leg | None:
        return next((leg for leg in self.legs.values() if leg.channel == channel), None)

    @property
    def live(self) -> list[Leg]:
        return list(self.legs.values())

    def drain_ended(self) -> list[tuple[Leg, str]]:
        out, self.ended = self.ended, []
        return out

    def reset_from(self, channels: list[ChannelInfo]) -> None:
        """Rebuild from a CoreShowChannels/Status listing after a reconnect."""
        old = {leg.uniqueid: leg for leg in self.legs.values()}
        self.legs = {}
        for c in channels:
            if not self.ours(c.channel):
                continue
            leg = old.get(c.uniqueid) or Leg(channel=c.channel, uniqueid=c.uniqueid, linkedid=c.linkedid,
                                             outbound=False, caller_id=c.connected_num)
            if c.state == 6 and leg.answered_at is None:
                leg.answered_at = time.monotonic()
            leg.bridge = c.bridge_id
            self.legs[c.uniqueid] = leg

    def feed(self, m: AmiMessage) -> Leg | None:
        """Update from one event; return the leg it concerned, if it is ours."""
        ev = m.event
        if ev in ("AgentCalled", "DialBegin"):
            return self._offer(m)
        chan = m.get("Channel")
        if ev in ("BridgeEnter", "BridgeLeave"):
            self._bridge(m)
        if not self.ours(chan):
            return None
        uid = m.get("Uniqueid")
        leg = self.legs.get(uid)
        if ev == "Newchannel":
            if leg is None:
                leg = Leg(channel=chan, uniqueid=uid, linkedid=m.get("Linkedid") or uid,
                          outbound=m.get("ChannelState") == "4", dialed=m.get("Exten"))
                self.legs[uid] = leg
            return leg
        if leg is None:
            return None
        if ev == "Newstate" and m.get("ChannelState") == "6" and leg.answered_at is None:
            leg.answered_at = time.monotonic()
        elif ev == "Hold":
            leg.held = True
        elif ev == "Unhold":
            leg.held = False
        elif ev == "ConfbridgeJoin":
            leg.in_conference = m.get("Conference")
        elif ev == "ConfbridgeLeave":
            leg.in_conference = ""
        elif ev == "Hangup":
            del self.legs[uid]
            self.ended.append((leg, m.get("Cause-txt") or m.get("Cause")))
        return leg

    def _offer(self, m: AmiMessage) -> Leg | None:
        dest = m.get("DestChannel")
        if m.event == "DialBegin" and self.ours(m.get("Channel")):
            out = self.legs.get(m.get("Uniqueid"))
            if out is not None:  # our phone dialled out: remember who answers
                out.peer_channel = dest
            return out
        if not self.ours(dest):
            return None
        uid = m.get("DestUniqueid")
        leg = self.legs.get(uid)
        if leg is None:
            leg = Leg(channel=dest, uniqueid=uid, linkedid=m.get("DestLinkedid") or m.get("Linkedid") or uid,
                      outbound=False)
            self.legs[uid] = leg
        leg.outbound = False
        leg.caller_id = m.get("CallerIDNum") or leg.caller_id
        leg.peer_channel = m.get("Channel") or leg.peer_channel
        if m.event == "AgentCalled":
            leg.queue = m.get("Queue") or leg.queue
        variables = m.chanvars()
        leg.ivr_vars.update({k: v for k, v in variables.items() if k in IVR_VARS and v})
        if not leg.queue and leg.ivr_vars.get("CSD_QUEUE"):
            leg.queue = leg.ivr_vars["CSD_QUEUE"]
        return leg

    def _bridge(self, m: AmiMessage) -> None:
        bid, chan = m.get("BridgeUniqueid"), m.get("Channel")
        members = self.bridges.setdefault(bid, set())
        if m.event == "BridgeEnter":
            members.add(chan)
        else:
            members.discard(chan)
            if not members:
                self.bridges.pop(bid, None)
        for leg in self.legs.values():
            if leg.channel == chan:
                leg.bridge = bid if m.event == "BridgeEnter" else ""
            if leg.bridge and leg.bridge in self.bridges:
                others = self.bridges[leg.bridge] - {leg.channel}
                if others:
                    leg.peer_channel = sorted(others)[0]
