"""The agent state machine's vocabulary: states, the centre's policy, inputs, effects and a transition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

WRAP_UP_REASON = "wrap-up"
DEFAULT_REASONS: tuple[str, ...] = ("小休 break", "用餐 meal", "培训 training", "会议 meeting", "事务处理 back-office")

# A team lead's forced pause carries the lead in its reason, e.g. "会议 [lead 2001]": the PBX passes the reason to the
# agent's desk in QueueMemberPause, so the desk knows who forced it. A forced sign-out first pauses the agent with
# SIGN_OUT_REASON (tagged), then removes every queue membership.
SIGN_OUT_REASON = "签出 signed out"
_LEAD_TAG = re.compile(r" \[lead ([0-9A-Za-z_.-]{1,20})\]$")


def lead_tagged(reason: str, lead: str) -> str:
    """Tag a pause reason with the lead who forced it (the reason is cut to 18 characters: Asterisk keeps 80 bytes)."""
    if not _LEAD_TAG.fullmatch(f" [lead {lead}]"):
        raise ValueError("a lead id is 1-20 letters, digits, '_', '.' or '-'")
    return f"{reason.strip()[:18]} [lead {lead}]"


def lead_of(reason: str | None) -> str | None:
    """The lead who forced a pause with this reason, or None for the agent's own (or an untagged) pause."""
    m = _LEAD_TAG.search(reason or "")
    return m.group(1) if m else None


def untagged(reason: str | None) -> str | None:
    """The reason without its lead tag."""
    return _LEAD_TAG.sub("", reason) if reason else reason


def is_forced_sign_out(reason: str | None) -> bool:
    return lead_of(reason) is not None and untagged(reason) == SIGN_OUT_REASON


class Status(StrEnum):
    SIGNED_OUT = "signed_out"
    SIGNING_IN = "signing_in"
    NOT_READY = "not_ready"
    READY = "ready"
    RINGING = "ringing"
    TALKING = "talking"
    HELD = "held"
    CONSULTING = "consulting"
    CONFERENCING = "conferencing"
    WRAP_UP = "wrap_up"
    SIGNING_OUT = "signing_out"
    DEGRADED = "degraded"


ON_CALL = frozenset({Status.RINGING, Status.TALKING, Status.HELD, Status.CONSULTING, Status.CONFERENCING})
IDLE = frozenset({Status.READY, Status.NOT_READY, Status.WRAP_UP})
SIGNED_IN = ON_CALL | IDLE

# What each call command needs; checked before anything is sent.
CALL_COMMANDS: dict[str, frozenset[Status]] = {
    "answer": frozenset({Status.RINGING}),
    "hangup": ON_CALL,
    "hold": frozenset({Status.TALKING}),
    "unhold": frozenset({Status.HELD}),
    "mute": frozenset({Status.TALKING, Status.HELD, Status.CONSULTING, Status.CONFERENCING}),
    "dtmf": frozenset({Status.TALKING, Status.CONSULTING, Status.CONFERENCING}),
    "blind_transfer": frozenset({Status.TALKING, Status.HELD}),
    "consult": frozenset({Status.TALKING, Status.HELD}),
    "complete_transfer": frozenset({Status.CONSULTING}),
    "cancel_consult": frozenset({Status.CONSULTING}),
    "swap": frozenset({Status.CONSULTING}),
    "conference": frozenset({Status.CONSULTING}),
    "drop_party": frozenset({Status.CONFERENCING}),
    "transfer_to_survey": frozenset({Status.TALKING, Status.HELD}),
    "mute_recording": frozenset({Status.TALKING, Status.HELD, Status.CONSULTING, Status.CONFERENCING}),
    "dial": IDLE,
}


@dataclass(frozen=True, slots=True)
class Policy:
    """The centre's settings that shape transitions."""

    reasons: tuple[str, ...] = DEFAULT_REASONS
    wrap_up_seconds: float = 30.0
    after_wrap_up: Status = Status.READY  # READY or NOT_READY
    after_wrap_up_reason: str = DEFAULT_REASONS[-1]


@dataclass(frozen=True, slots=True)
class AgentState:
    """Where the agent is. ``resume``/``resume_reason`` remember the idle state to return to after a ring
    or an outage; ``pending_reason`` is a 'pause after this call'. ``forced_by`` names the team lead who set this
    state (a forced not-ready, or a forced sign-out, which it keeps until the agent signs in again).
    ``wrap_up_until`` is when wrap-up ends; while signing in it is set only for a desk taking up the wrap-up
    the PBX kept (a desk restarted in wrap-up), with ``wrap_up_began``: when that wrap-up began."""

    status: Status = Status.SIGNED_OUT
    reason: str | None = None
    forced_by: str | None = None
    since: float = 0.0
    pending_reason: str | None = None
    resume: Status | None = None
    resume_reason: str | None = None
    wrap_up_until: float | None = None
    wrap_up_began: float | None = None


# --- inputs -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Input:
    at: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SignIn(Input):
    """Sign in as READY or NOT_READY (with ``reason``), or, for a desk restarted in wrap-up, as WRAP_UP with
    ``wrap_up_since``: when the wrap-up the PBX kept began, on the machine's clock (the same wrap-up clock runs
    on; see AgentSession.left_on_pbx), and ``wrap_up_extended``: the seconds the CSR had extended it by."""

    initial: Status = Status.READY
    reason: str | None = None
    wrap_up_since: float | None = None
    wrap_up_extended: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedIn(Input):
    initial: Status = Status.READY
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SignInFailed(Input):
    why: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SignOut(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedOut(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class GoReady(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class GoNotReady(Input):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PauseAfterCall(Input):
    reason: str | None  # None cancels a pending pause


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendWrapUp(Input):
    seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class FinishWrapUp(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class WrapUpElapsed(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class CallCommand(Input):
    """A phone command (see CALL_COMMANDS); validated only, the call events move the state."""

    command: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallOffered(Input):
    outbound: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CallAnswered(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class CallHeld(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class CallUnheld(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsultStarted(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsultEnded(Input):
    """The consult leg ended; the original caller is still on hold."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConferenceStarted(Input):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class PartyLeft(Input):
    """A conference fell back to a two-party call."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEnded(Input):
    """The agent's last call leg ended (hang-up, transfer completed, or never answered)."""

    answered: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class PbxPaused(Input):
    """The PBX paused the agent (not at this desk's request). ``by`` is a lead's id for a lead-tagged reason."""

    reason: str | None = None
    by: str = "pbx"


@dataclass(frozen=True, slots=True, kw_only=True)
class PbxUnpaused(Input):
    by: str = "pbx"


@dataclass(frozen=True, slots=True, kw_only=True)
class MembersLost(Input):
    """The PBX no longer has the agent in any queue (removed by a lead, or lost)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkLost(Input):
    why: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PbxView:
    """What the PBX reports about this agent (from QueueStatus and CoreShowChannels)."""

    member: bool
    paused: bool = False
    reason: str | None = None
    call: Status | None = None  # RINGING, TALKING or HELD when a channel of ours is up


@dataclass(frozen=True, slots=True, kw_only=True)
class Resynced(Input):
    view: PbxView


# --- effects ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Effect:
    pass


@dataclass(frozen=True, slots=True)
class Register(Effect):
    pass


@dataclass(frozen=True, slots=True)
class Unregister(Effect):
    pass


@dataclass(frozen=True, slots=True)
class AddMembers(Effect):
    """QueueAdd to every configured queue, already paused. With ``keep_paused``, a queue where the agent is
    already paused with ``reason`` is left as it is (its pause, and the time the PBX paused it, stand)."""

    reason: str
    keep_paused: bool = False


@dataclass(frozen=True, slots=True)
class RemoveMembers(Effect):
    pass


@dataclass(frozen=True, slots=True)
class Pause(Effect):
    reason: str


@dataclass(frozen=True, slots=True)
class Unpause(Effect):
    pass


@dataclass(frozen=True, slots=True)
class StartWrapUpTimer(Effect):
    until: float


@dataclass(frozen=True, slots=True)
class CancelWrapUpTimer(Effect):
    pass


@dataclass(frozen=True, slots=True)
class ReportResync(Effect):
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportWrapUpResumed(Effect):
    """A restarted desk took up the wrap-up the PBX kept: ``seconds_left`` of it, or none (``ran_out``)."""

    seconds_left: float
    ran_out: bool


@dataclass(frozen=True, slots=True)
class Transition:
    state: AgentState
    effects: tuple[Effect, ...] = ()
    cause: str = ""
