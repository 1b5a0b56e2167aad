"""Programmable queue behaviour on top of FakeAmi, and a recording softphone: for session unit tests only."""

from __future__ import annotations

from dataclasses import dataclass, field

from fake_ami import FakeAmi

from cti.softphone import SipAccount


@dataclass
class Member:
    paused: bool
    reason: str
    name: str


@dataclass
class QueuePbx:
    """Model QueueAdd/Remove/Pause/Status the way app_queue answers, with its events."""

    ami: FakeAmi
    members: dict[tuple[str, str], Member] = field(default_factory=dict)
    channels: list[dict[str, str]] = field(default_factory=list)

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
            m.paused, m.reason = a["paused"] == "true", a.get("reason", "")
            self._event("QueueMemberPause", *k, m)
        return [{"Response": "Success", "Message": "Interface paused successfully"}]

    def _status(self, a: dict[str, str]) -> list[dict[str, str]]:
        out = [{"Response": "Success", "EventList": "start", "Message": "Queue status will follow"}]
        for (q, iface), m in self.members.items():
            if a.get("member") and a["member"] != iface:
                continue
            out.append({"Event": "QueueMember", "Queue": q, "StateInterface": iface, "Name": m.name,
                        "Paused": "1" if m.paused else "0", "PausedReason": m.reason, "Status": "1", "InCall": "0"})
        out.append({"Event": "QueueStatusComplete", "EventList": "Complete"})
        return out

    def _channels(self, a: dict[str, str]) -> list[dict[str, str]]:
        return [{"Response": "Success", "EventList": "start"}, *({"Event": "CoreShowChannel", **c} for c in self.channels),
                {"Event": "CoreShowChannelsComplete", "EventList": "Complete"}]


class RecordingPhone:
    """A Softphone that records what it was asked and always succeeds."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.registered: SipAccount | None = None

    async def register(self, account: SipAccount) -> None:
        self.registered = account
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
