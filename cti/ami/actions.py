"""Typed AMI actions the desk and the lead use; each has a timeout (the link's) and a typed result or error."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from cti.ami.link import AmiLink
from cti.ami.message import AmiMessage
from cti.errors import ActionFailed


@dataclass(frozen=True, slots=True)
class MemberStatus:
    queue: str
    interface: str
    name: str
    paused: bool
    reason: str
    in_call: bool
    device_status: int  # AST_DEVICE_*: 1 not in use, 2 in use, 6 ringing, 5 unavailable, ...
    calls_taken: int = 0
    last_pause: int = 0  # the PBX's clock (epoch seconds, whole) at the member's latest pause; 0: not said


@dataclass(frozen=True, slots=True)
class QueueFigures:
    queue: str
    waiting: int
    completed: int
    abandoned: int
    service_level_perf: float  # percent answered within the queue's servicelevel
    holdtime: float


@dataclass(frozen=True, slots=True)
class QueueEntry:
    queue: str
    uniqueid: str
    wait: float


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    queues: tuple[QueueFigures, ...]
    members: tuple[MemberStatus, ...]
    entries: tuple[QueueEntry, ...]


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    channel: str
    uniqueid: str
    linkedid: str
    state: int  # 4 ring, 5 ringing, 6 up
    caller_num: str
    connected_num: str
    bridge_id: str
    application: str


def _int(v: str, default: int = 0) -> int:
    try:
        return int(float(v))
    except ValueError:
        return default


def _float(v: str) -> float:
    try:
        return float(v)
    except ValueError:
        return 0.0


def member_of(m: AmiMessage) -> MemberStatus:
    """Read a QueueMember / QueueMember* event."""
    iface = m.get("StateInterface") or m.get("Interface") or m.get("Location")
    return MemberStatus(
        queue=m.get("Queue"), interface=iface, name=m.get("MemberName") or m.get("Name"),
        paused=m.get("Paused") == "1", reason=m.get("PausedReason"), in_call=m.get("InCall") == "1",
        device_status=_int(m.get("Status")), calls_taken=_int(m.get("CallsTaken")),
        last_pause=_int(m.get("LastPause")),
    )


def channel_of(m: AmiMessage) -> ChannelInfo:
    return ChannelInfo(
        channel=m.get("Channel"), uniqueid=m.get("Uniqueid"), linkedid=m.get("Linkedid"),
        state=_int(m.get("ChannelState")), caller_num=m.get("CallerIDNum"),
        connected_num=m.get("ConnectedLineNum"), bridge_id=m.get("BridgeId") or m.get("BridgeID"),
        application=m.get("Application"),
    )


class PbxActions:
    """The AMI actions of csdesk, with typed results."""

    def __init__(self, link: AmiLink) -> None:
        self.link = link

    async def _one(self, action: dict[str, str], limit: float | None = None) -> AmiMessage:
        r = await self.link.send(action, limit=limit)
        assert isinstance(r, AmiMessage)
        return r

    async def _list(self, action: dict[str, str], limit: float | None = None) -> list[AmiMessage]:
        r = await self.link.send(action, as_list=True, limit=limit)
        assert isinstance(r, list)
        return r[1:]

    # --- queue membership and pause -----------------------------------------------------------------

    async def queue_add(self, *, queue: str, interface: str, member_name: str, reason: str) -> bool:
        """Add the member already paused; return False when it was already there."""
        try:
            await self._one({"Action": "QueueAdd", "Queue": queue, "Interface": interface, "Paused": "true",
                             "MemberName": member_name, "StateInterface": interface, "Reason": reason})
        except ActionFailed as e:
            if "already" in e.message.lower():
                return False
            raise
        return True

    async def queue_remove(self, *, queue: str, interface: str) -> bool:
        """Remove the member; return False when it was not there."""
        try:
            await self._one({"Action": "QueueRemove", "Queue": queue, "Interface": interface})
        except ActionFailed as e:
            if "not there" in e.message.lower() or "no such queue" in e.message.lower():
                return False
            raise
        return True

    async def pause(self, *, interface: str, reason: str, queue: str | None = None) -> None:
        """Pause the member in ``queue`` or in every queue."""
        a = {"Action": "QueuePause", "Interface": interface, "Paused": "true", "Reason": reason}
        if queue:
            a["Queue"] = queue
        await self._one(a)

    async def unpause(self, *, interface: str, queue: str | None = None) -> None:
        a = {"Action": "QueuePause", "Interface": interface, "Paused": "false"}
        if queue:
            a["Queue"] = queue
        await self._one(a)

    async def queue_status(self, *, queue: str | None = None, member: str | None = None) -> QueueSnapshot:
        a = {"Action": "QueueStatus"}
        if queue:
            a["Queue"] = queue
        if member:
            a["Member"] = member
        qs, ms, es = [], [], []
        for m in await self._list(a):
            if m.event == "QueueParams":
                qs.append(QueueFigures(queue=m.get("Queue"), waiting=_int(m.get("Calls")),
                                       completed=_int(m.get("Completed")), abandoned=_int(m.get("Abandoned")),
                                       service_level_perf=_float(m.get("ServicelevelPerf")),
                                       holdtime=_float(m.get("Holdtime"))))
            elif m.event == "QueueMember":
                ms.append(member_of(m))
            elif m.event == "QueueEntry":
                es.append(QueueEntry(queue=m.get("Queue"), uniqueid=m.get("Uniqueid"), wait=_float(m.get("Wait"))))
        return QueueSnapshot(tuple(qs), tuple(ms), tuple(es))

    # --- channels ---------------------------------------------------------------------------------------

    async def channels(self) -> list[ChannelInfo]:
        """List live channels (CoreShowChannels, or Status where the user lacks the 'reporting' right)."""
        try:
            items = await self._list({"Action": "CoreShowChannels"})
            return [channel_of(m) for m in items if m.event == "CoreShowChannel"]
        except ActionFailed:
            items = await self._list({"Action": "Status", "AllVariables": "false"})
            return [channel_of(m) for m in items if m.event == "Status"]

    async def device_state(self, device: str) -> str:
        """Return DEVICE_STATE(device): NOT_INUSE, INUSE, BUSY, RINGING, UNAVAILABLE, INVALID, ... or UNKNOWN
        (also when the PBX lacks func_devstate)."""
        r = await self._one({"Action": "Getvar", "Variable": f"DEVICE_STATE({device})"})
        return r.get("Value") or "UNKNOWN"

    async def getvar(self, channel: str, variable: str) -> str:
        r = await self._one({"Action": "Getvar", "Channel": channel, "Variable": variable})
        return r.get("Value")

    # --- call control -------------------------------------------------------------------------------------

    async def blind_transfer(self, *, channel: str, exten: str, context: str) -> None:
        """Send the parties bridged with ``channel`` to exten@context."""
        await self._one({"Action": "BlindTransfer", "Channel": channel, "Exten": exten, "Context": context})

    async def redirect(self, *, channel: str, exten: str, context: str, extra_channel: str | None = None) -> None:
        a = {"Action": "Redirect", "Channel": channel, "Exten": exten, "Context": context, "Priority": "1"}
        if extra_channel:
            a.update({"ExtraChannel": extra_channel, "ExtraExten": exten, "ExtraContext": context,
                      "ExtraPriority": "1"})
        await self._one(a)

    async def hangup(self, channel: str) -> None:
        with contextlib.suppress(ActionFailed):  # already gone is fine
            await self._one({"Action": "Hangup", "Channel": channel})

    async def mixmonitor_mute(self, *, channel: str, on: bool) -> None:
        await self._one({"Action": "MixMonitorMute", "Channel": channel, "Direction": "both",
                         "State": "1" if on else "0"})

    async def confbridge_kick(self, *, conference: str, channel: str) -> None:
        await self._one({"Action": "ConfbridgeKick", "Conference": conference, "Channel": channel})

    async def confbridge_list(self, conference: str) -> list[str]:
        try:
            items = await self._list({"Action": "ConfbridgeList", "Conference": conference})
        except ActionFailed:
            return []
        return [m.get("Channel") for m in items if m.event == "ConfbridgeList"]

    async def originate_app(self, *, channel: str, application: str, data: str, caller_id: str,
                            ring_seconds: float = 30.0) -> None:
        """Originate ``channel`` into an application (async: returns once the PBX accepted it)."""
        await self._one({"Action": "Originate", "Channel": channel, "Application": application, "Data": data,
                         "CallerID": caller_id, "Timeout": str(int(ring_seconds * 1000)), "Async": "true"})
