"""Declare every event that cti emits, in one place, as frozen dataclasses.

Names say what happened (``call_did_offer``, ``agent_will_pause``); ``Event.name`` derives the
snake_case name from the class name. Events carry what the UI and the data layer need and
never a secret. They may carry a caller number (the desk needs it) but must never be logged
with their payload: log ``event.name`` only.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


def _now() -> float:
    return time.monotonic()


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of all cti events. ``at`` is a monotonic timestamp in seconds."""

    at: float = field(default_factory=_now)
    registry: ClassVar[dict[str, type[Event]]] = {}

    def __init_subclass__(cls) -> None:
        # No zero-argument super() here: slots=True rebuilds the class, which breaks its __class__ cell.
        Event.registry[_SNAKE.sub("_", cls.__name__).lower()] = cls

    @property
    def name(self) -> str:
        return _SNAKE.sub("_", type(self).__name__).lower()


def frozen_vars(values: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """Return a read-only copy of channel variables for an event."""
    return MappingProxyType(dict(values or {}))


# --- the AMI link -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkDidConnect(Event):
    address: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkDidDrop(Event):
    address: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkDidFailover(Event):
    from_address: str
    to_address: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StateDidResync(Event):
    """The desk reconciled with the PBX; ``changes`` says, readably, what the PBX corrected."""

    changes: tuple[str, ...]


# --- the agent ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentDidChangeState(Event):
    old: str
    new: str
    cause: str
    reason: str | None = None
    by: str | None = None  # the team lead's id when a lead forced this state (not ready, or signed out)


@dataclass(frozen=True, slots=True, kw_only=True)
class WrapUpDidResume(Event):
    """A desk restarted in wrap-up took up the wrap-up the PBX kept: ``seconds_left`` of the same clock; or it
    had run out while the desk was down (``ran_out``), and the agent went ``then`` (ready or not_ready, as the
    centre's after-wrap-up policy says) with ``reason``."""

    seconds_left: float
    ran_out: bool
    then: str
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentWillPause(Event):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentDidPause(Event):
    reason: str
    by: str | None = None  # None: this desk; "pbx": paused on the PBX side; else the id of the lead who forced it


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentDidUnpause(Event):
    pass


# --- calls ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CallDidOffer(Event):
    """A call rings at this desk. ``ivr_vars`` holds the CSD_* variables the IVR collected."""

    call_ref: str
    caller_id: str
    queue: str | None = None
    linkedid: str | None = None
    uniqueid: str | None = None
    direction: str = "inbound"
    ivr_vars: Mapping[str, str] = field(default_factory=frozen_vars)


@dataclass(frozen=True, slots=True, kw_only=True)
class CallDidAnswer(Event):
    call_ref: str
    linkedid: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallDidHold(Event):
    call_ref: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallDidUnhold(Event):
    call_ref: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallDidEnd(Event):
    call_ref: str
    linkedid: str | None = None
    cause: str = ""
    talk_seconds: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CallDidFail(Event):
    call_ref: str
    sip_status: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallQualityDidUpdate(Event):
    call_ref: str
    mos: float
    jitter_ms: float
    loss_pct: float
    rtt_ms: float
    codec: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyDidScore(Event):
    linkedid: str
    score: int


# --- the SIP engine ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrationDidChange(Event):
    registered: bool
    sip_status: int
    reason: str
    registrar: str = ""  # host:port of the PBX this state is about


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineDidCrash(Event):
    exit_code: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineDidRestart(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrationDidFailover(Event):
    from_registrar: str
    to_registrar: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallTransferDidProgress(Event):
    """A REFER's NOTIFY arrived: ``sip_status`` of the transfer target, ``final`` when it is the last."""

    call_ref: str
    sip_status: int
    final: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioDeviceDidChange(Event):
    """An audio stream (``role``: headset_out, headset_in, ringer_out) opened or became unavailable."""

    role: str
    state: str  # "open" or "unavailable"


@dataclass(frozen=True, slots=True, kw_only=True)
class EchoTestDidFinish(Event):
    ok: bool
    delay_ms: float = -1.0
    correlation: float = 0.0
    mos: float | None = None
    reason: str = ""


# --- queues and team (live figures, lead mode) ------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueDidUpdate(Event):
    queue: str
    waiting: int
    longest_wait: float
    answered: int
    abandoned: int
    service_level: float | None  # share answered within the SL threshold, 0..1


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamMemberDidUpdate(Event):
    agent_id: str
    state: str
    reason: str | None
    since: float


# --- the agent session: what the PBX reports beyond the softphone (added by the cti session) -------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CallDidCorrelate(Event):
    """The session matched a softphone call with its PBX channel: ids, queue and IVR variables for the data layer."""

    call_ref: str | None
    channel: str
    uniqueid: str
    linkedid: str
    queue: str | None = None
    caller_id: str = ""
    outbound: bool = False
    dialed: str = ""  # an outbound call's dialled number (the Newchannel's Exten)
    ivr_vars: Mapping[str, str] = field(default_factory=frozen_vars)
    ring_seconds: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundDidRing(Event):
    """A call the CSR placed is ringing the far end: the PBX has its linkedid, whether or not anyone answers
    (an outbound result of "no answer" or "busy" is an attempt on that call, not on none)."""

    call_ref: str
    linkedid: str
    dialed: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsultDidStart(Event):
    call_ref: str
    target: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsultDidEnd(Event):
    call_ref: str
    target: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferDidComplete(Event):
    kind: str  # "blind", "attended" or "survey"
    target: str
    linkedid: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferDidFail(Event):
    kind: str
    target: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConferenceDidStart(Event):
    room: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConferencePartyDidLeave(Event):
    room: str
    channel: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingDidMute(Event):
    linkedid: str | None
    unmute_after: float  # seconds; the desk unmutes by itself after this bound


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingDidUnmute(Event):
    linkedid: str | None
    automatic: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SpyDidStart(Event):
    agent_extension: str
    mode: str  # "listen", "whisper" or "barge"


@dataclass(frozen=True, slots=True, kw_only=True)
class SpyDidStop(Event):
    agent_extension: str
    reason: str = ""
