"""Programmable queue behaviour on top of FakeAmi, and a recording softphone: for session unit tests only.

The desk changes its own membership by service calls on its softphone (cti.membership); ``QueuePbx.service``
models the lab's [csd-member] feature extensions for the phone's registered interface, with the same events.
The AMI QueueAdd/QueueRemove/QueuePause handlers stay for what an admin or a lead would send."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from fake_ami import FakeAmi

from cti.softphone import SipAccount, SoftphoneError

UNSAFE = str.maketrans("", "", ',|"\\[]()')  # what the dialplan removes from X-CSD-* values


@dataclass
class Member:
    paused: bool
    reason: str
    name: str
    last_pause: int = 0  # epoch seconds of the latest pause, as app_queue keeps it (every pause sets it)


@dataclass
class QueuePbx:
    """Model QueueAdd/Remove/Pause/Status the way app_queue answers, with its events."""

    ami: FakeAmi
    members: dict[tuple[str, str], Member] = field(default_factory=dict)
    channels: list[dict[str, str]] = field(default_factory=list)
    clock: Callable[[], float] = time.time  # the PBX's wall clock (LastPause)

    def _paused(self, m: Member, paused: bool, reason: str) -> None:
        m.paused, m.reason = paused, reason
        if paused:
            m.last_pause = int(self.clock())

    def install(self) -> QueuePbx:
        h = self.ami.handlers
        h["queueadd"] = self._add
        h["queueremove"] = self._remove
        h["queuepause"] = self._pause
        h["queuestatus"] = self._status
        h["coreshowchannels"] = self._channels
        return self

    def _event(self, name: str, q: str, iface: str, m: Member) -> None:
        self.ami.emit({"Event": name, "Queue": q, "Interface": iface, "StateInterface": iface, "MemberName": m.name,
                       "Paused": "1" if m.paused else "0", "PausedReason": m.reason, "Status": "1", "InCall": "0"})

    def _add(self, a: dict[str, str]) -> list[dict[str, str]]:
        key = (a["queue"], a["interface"])
        if key in self.members:
            return [{"Response": "Error", "Message": "Unable to add interface: Already there"}]
        m = Member(paused=a.get("paused") == "true", reason=a.get("reason", ""), name=a.get("membername", ""))
        self._paused(m, m.paused, m.reason)
        self.members[key] = m
        self._event("QueueMemberAdded", *key, m)
        return [{"Response": "Success", "Message": "Added interface to queue"}]

    def _remove(self, a: dict[str, str]) -> list[dict[str, str]]:
        key = (a["queue"], a["interface"])
        m = self.members.pop(key, None)
        if m is None:
            return [{"Response": "Error", "Message": "Unable to remove interface: Not there"}]
        self._event("QueueMemberRemoved", *key, m)
        return [{"Response": "Success", "Message": "Removed interface from queue"}]

    def _pause(self, a: dict[str, str]) -> list[dict[str, str]]:
        hits = [k for k in self.members if k[1] == a["interface"] and (not a.get("queue") or k[0] == a["queue"])]
        if not hits:
            return [{"Response": "Error", "Message": "Interface not found"}]
        for k in hits:
            m = self.members[k]
            self._paused(m, a["paused"] == "true", a.get("reason", ""))
            self._event("QueueMemberPause", *k, m)
        return [{"Response": "Success", "Message": "Interface paused successfully"}]

    def service(self, target: str, headers: dict[str, str], interface: str) -> None:
        """Act like extensions.conf [csd-member] for a call from ``interface``; raise SoftphoneError if refused."""
        reason = headers.get("X-CSD-Reason", "").translate(UNSAFE)
        queues = [q for q in "".join(c for c in headers.get("X-CSD-Queues", "")
                                     if c.islower() or c.isdigit() or c in "-&").split("&") if q]
        if target == "9601":
            name = headers.get("X-CSD-Member", "").translate(UNSAFE)
            if not queues:
                raise SoftphoneError("bad request", sip_status=400)
            for q in queues:
                m = self.members.get((q, interface))
                if m is None:
                    m = self.members[(q, interface)] = Member(paused=True, reason=reason, name=name)
                    self._paused(m, True, reason)
                    self._event("QueueMemberAdded", q, interface, m)
                else:
                    self._paused(m, True, reason)
                    self._event("QueueMemberPause", q, interface, m)
        elif target == "9602":
            if not queues:
                raise SoftphoneError("bad request", sip_status=400)
            for q in queues:
                self._remove({"queue": q, "interface": interface})
        elif target in ("9603", "9604"):
            paused = "true" if target == "9603" else "false"
            if self._pause({"interface": interface, "paused": paused, "reason": reason})[0]["Response"] != "Success":
                raise SoftphoneError("not a member", sip_status=404)
        else:
            raise SoftphoneError("no such extension", sip_status=404)

    def _status(self, a: dict[str, str]) -> list[dict[str, str]]:
        out = [{"Response": "Success", "EventList": "start", "Message": "Queue status will follow"}]
        for (q, iface), m in self.members.items():
            if a.get("member") and a["member"] != iface:
                continue
            out.append({"Event": "QueueMember", "Queue": q, "StateInterface": iface, "Name": m.name,
                        "Paused": "1" if m.paused else "0", "PausedReason": m.reason, "Status": "1", "InCall": "0",
                        "LastPause": str(m.last_pause)})
        out.append({"Event": "QueueStatusComplete", "EventList": "Complete"})
        return out

    def _channels(self, a: dict[str, str]) -> list[dict[str, str]]:
        return [{"Response": "Success", "EventList": "start"}, *({"Event": "CoreShowChannel", **c} for c in self.channels),
                {"Event": "CoreShowChannelsComplete", "EventList": "Complete"}]


class RecordingPhone:
    """A Softphone that records what it was asked; its service calls act on ``pbx`` (refused without one)."""

    def __init__(self, pbx: QueuePbx | None = None) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.registered: SipAccount | None = None
        self.account: SipAccount | None = None  # the last account registered: what the PBX authenticates
        self.pbx = pbx

    async def service_call(self, target: str, headers: Mapping[str, str] | None = None, *,
                           answer_within: float = 10.0, caller: str | None = None) -> None:
        h = dict(headers or {})
        self.calls.append(("service_call", (target, h)))
        if self.pbx is None or self.account is None:
            raise SoftphoneError("no PBX", sip_status=503)
        if caller != f"svc{self.account.extension}":  # the PBX: only svc<ext>, which acts on PJSIP/<ext>
            raise SoftphoneError("not a service endpoint", sip_status=403)
        self.pbx.service(target, h, f"PJSIP/{caller[3:]}")

    def services(self, target: str | None = None) -> list[dict[str, str]]:
        """The headers of each service call (to ``target``), in order."""
        return [args[1] for op, args in self.calls if op == "service_call" and (target is None or args[0] == target)]  # type: ignore[misc]

    async def register(self, account: SipAccount) -> None:
        self.registered = self.account = account
        self.calls.append(("register", (account.extension,)))

    async def unregister(self) -> None:
        self.registered = None
        self.calls.append(("unregister", ()))

    async def answer(self, call_ref: str) -> None:
        self.calls.append(("answer", (call_ref,)))

    async def reject(self, call_ref: str) -> None:
        self.calls.append(("reject", (call_ref,)))

    async def hangup(self, call_ref: str) -> None:
        self.calls.append(("hangup", (call_ref,)))

    async def hold(self, call_ref: str) -> None:
        self.calls.append(("hold", (call_ref,)))

    async def unhold(self, call_ref: str) -> None:
        self.calls.append(("unhold", (call_ref,)))

    async def mute(self, call_ref: str, on: bool) -> None:
        self.calls.append(("mute", (call_ref, on)))

    async def dtmf(self, call_ref: str, digits: str) -> None:
        self.calls.append(("dtmf", (call_ref, digits)))

    async def dial(self, target: str) -> str:
        self.calls.append(("dial", (target,)))
        return f"ref-{len(self.calls)}"

    async def blind_transfer(self, call_ref: str, target: str) -> None:
        self.calls.append(("blind_transfer", (call_ref, target)))

    async def attended_transfer(self, call_ref: str, consult_ref: str) -> None:
        self.calls.append(("attended_transfer", (call_ref, consult_ref)))
