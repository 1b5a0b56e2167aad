"""The agent state machine: a pure function of (state, input, policy) -> Transition, with no I/O.

Inputs are user commands, SIP/AMI observations, timers and link changes. The result names the new state,
the effects the session must carry out (in order) and the cause of the change. A command that makes no
sense in the current state raises ``NotAllowedInState`` before anything is sent.
"""

from __future__ import annotations

from dataclasses import replace

from cti.errors import InvalidReason, NotAllowedInState
from cti.state_types import (
    CALL_COMMANDS,
    DEFAULT_REASONS,
    IDLE,
    ON_CALL,
    SIGN_OUT_REASON,
    SIGNED_IN,
    WRAP_UP_REASON,
    AddMembers,
    AgentState,
    CallAnswered,
    CallCommand,
    CallEnded,
    CallHeld,
    CallOffered,
    CallUnheld,
    CancelWrapUpTimer,
    ConferenceStarted,
    ConsultEnded,
    ConsultStarted,
    Effect,
    ExtendWrapUp,
    FinishWrapUp,
    GoNotReady,
    GoReady,
    Input,
    LinkLost,
    MembersLost,
    PartyLeft,
    Pause,
    PauseAfterCall,
    PbxPaused,
    PbxUnpaused,
    PbxView,
    Policy,
    Register,
    RemoveMembers,
    ReportResync,
    ReportWrapUpResumed,
    Resynced,
    SignedIn,
    SignedOut,
    SignIn,
    SignInFailed,
    SignOut,
    StartWrapUpTimer,
    Status,
    Transition,
    Unpause,
    Unregister,
    WrapUpElapsed,
    is_forced_sign_out,
    lead_of,
    lead_tagged,
    untagged,
)

DEFAULT_POLICY = Policy()

# --- the machine ----------------------------------------------------------------------------------------

_CALL_REFUSALS = {
    "go_ready": "You cannot go ready during a call",
    "go_not_ready": "You cannot go not ready during a call; use 'pause after this call'",
    "sign_out": "You cannot sign out while a call is up; hang up or transfer it first",
}


def _to(state: AgentState, status: Status, inp: Input, cause: str, *effects: Effect, **changes: object) -> Transition:
    """Move to ``status``. A new status drops the old reason; ``forced_by`` follows the lead tag of the new reason
    unless a change names it (a forced sign-out keeps its lead although a signed-out agent has no reason)."""
    base: dict[str, object] = {"status": status, "since": inp.at if status != state.status else state.since}
    if status != state.status:
        base.update(reason=None, wrap_up_until=None, wrap_up_began=None)
    base.update(changes)
    if "forced_by" not in changes:
        reason = base.get("reason", state.reason)
        base["forced_by"] = lead_of(reason if isinstance(reason, str) else None)
    return Transition(replace(state, **base), tuple(effects), cause)  # type: ignore[arg-type]


def _stay(state: AgentState, cause: str = "") -> Transition:
    return Transition(state, (), cause)


def _refuse(command: str, state: AgentState, message: str | None = None) -> NotAllowedInState:
    if message is None and state.status == Status.DEGRADED:
        message = "The PBX link is down; wait until the desk has reconnected"
    if message is None and state.status in ON_CALL:
        message = _CALL_REFUSALS.get(command)
    if message is None and state.status == Status.SIGNED_OUT:
        message = "Sign in first"
    return NotAllowedInState(command, state.status.value, message)


def _check_reason(reason: str, policy: Policy) -> None:
    if reason not in policy.reasons and reason != WRAP_UP_REASON:
        raise InvalidReason(reason, policy.reasons)


def _idle_after_call(state: AgentState, inp: Input, policy: Policy, cause: str) -> Transition:
    """Leave a call: start the desk-owned wrap-up."""
    until = inp.at + policy.wrap_up_seconds
    return _to(state, Status.WRAP_UP, inp, cause, Pause(WRAP_UP_REASON), StartWrapUpTimer(until),
               reason=WRAP_UP_REASON, wrap_up_until=until, resume=None, resume_reason=None)


def _after_wrap_up(state: AgentState, inp: Input, policy: Policy, cause: str) -> Transition:
    fx: tuple[Effect, ...] = (CancelWrapUpTimer(),)
    if state.pending_reason is not None:
        r = state.pending_reason
        return _to(state, Status.NOT_READY, inp, cause + " (pause after call)", *fx, Pause(r), reason=r, pending_reason=None)
    if policy.after_wrap_up == Status.NOT_READY:
        r = policy.after_wrap_up_reason
        return _to(state, Status.NOT_READY, inp, cause, *fx, Pause(r), reason=r)
    return _to(state, Status.READY, inp, cause, *fx, Unpause())


def _resume_wrap_up(state: AgentState, inp: Input, policy: Policy) -> Transition:
    """Finish signing in to the wrap-up the PBX kept for a restarted desk: the same clock runs on to
    ``wrap_up_until``; when it ran out while the desk was down, do what an elapsed wrap-up does."""
    until = state.wrap_up_until
    assert until is not None
    left = until - inp.at
    if left > 0:
        return _to(state, Status.WRAP_UP, inp, "signed in: wrap-up resumed", StartWrapUpTimer(until),
                   ReportWrapUpResumed(left, ran_out=False), reason=WRAP_UP_REASON, wrap_up_until=until,
                   since=state.wrap_up_began if state.wrap_up_began is not None else until - policy.wrap_up_seconds)
    t = _after_wrap_up(state, inp, policy, "signed in: the wrap-up time ran out while the desk was down")
    return replace(t, effects=(*t.effects, ReportWrapUpResumed(0.0, ran_out=True)))


def _resync(state: AgentState, view: PbxView, inp: Input) -> Transition:
    """Reconcile with what the PBX reports; the PBX wins, except that lost memberships are re-added."""
    was = state.resume if state.status == Status.DEGRADED else state.status
    was_reason = state.resume_reason if state.status == Status.DEGRADED else state.reason
    assert was is not None
    changes: list[str] = []
    fx: list[Effect] = []
    if not view.member:
        # The PBX forgot us (a restart without persistent members): re-add paused, then restore intent.
        changes.append("the PBX had no queue membership for this agent; re-added it paused")
        if was == Status.NOT_READY and was_reason:
            fx.append(AddMembers(was_reason))
        else:
            fx.append(AddMembers(WRAP_UP_REASON if was == Status.WRAP_UP else "resync"))
        if view.call is not None:
            target, reason = view.call, None
        elif was == Status.READY or was in ON_CALL:
            target, reason = Status.READY, None
            fx.append(Unpause())
        else:
            target, reason = was, was_reason
    elif view.call is not None:
        target, reason = view.call, None
    elif view.paused:
        if view.reason == WRAP_UP_REASON or (view.reason is None and was == Status.WRAP_UP):
            target, reason = Status.WRAP_UP, WRAP_UP_REASON
        else:
            target, reason = Status.NOT_READY, view.reason
    else:
        target, reason = Status.READY, None
    if target != was or (reason != was_reason and target == Status.NOT_READY):
        changes.append(f"the desk had {was.value}" + (f" ({was_reason})" if was_reason else "")
                       + f"; the PBX has {target.value}" + (f" ({reason})" if reason else ""))
    extra: dict[str, object] = {"resume": None, "resume_reason": None}
    if target == Status.WRAP_UP:
        until = state.wrap_up_until if state.wrap_up_until is not None else inp.at
        fx.append(StartWrapUpTimer(until))
        extra["wrap_up_until"] = until
    elif target in IDLE:
        fx.append(CancelWrapUpTimer())
    fx.append(ReportResync(tuple(changes)))
    return _to(state, target, inp, "resync with the PBX", *fx, reason=reason, **extra)


def transition(state: AgentState, inp: Input, policy: Policy = DEFAULT_POLICY) -> Transition:
    """Return the next state, the effects to carry out and the cause; raise NotAllowedInState for a
    command that makes no sense now. Observations that do not apply leave the state as it is."""
    s = state.status
    match inp:
        # --- sign in / out -----------------------------------------------------------------------
        case SignIn(initial=initial, reason=reason, wrap_up_since=since, wrap_up_extended=extended):
            if s != Status.SIGNED_OUT:
                raise _refuse("sign_in", state, "You are already signed in" if s in SIGNED_IN else None)
            if initial == Status.WRAP_UP:
                if since is None:
                    raise NotAllowedInState("sign_in", s.value, "Only a desk restarted in wrap-up signs in to it")
                # the PBX keeps the agent paused for wrap-up meanwhile: its pause (and pause time) stand
                began = min(since, inp.at)
                until = began + policy.wrap_up_seconds + max(0.0, extended)
                return _to(state, Status.SIGNING_IN, inp, "CSR signed in; the PBX kept the agent in wrap-up",
                           Register(), AddMembers(WRAP_UP_REASON, keep_paused=True), wrap_up_until=until,
                           wrap_up_began=began)
            if initial == Status.NOT_READY:
                _check_reason(reason or "", policy)
            elif initial != Status.READY:
                raise NotAllowedInState("sign_in", s.value, "Sign in as ready or not ready")
            return _to(state, Status.SIGNING_IN, inp, "CSR signed in", Register(), AddMembers("signing in"))
        case SignedIn(initial=initial, reason=reason):
            if s != Status.SIGNING_IN:
                return _stay(state)
            if state.wrap_up_until is not None:  # signing in to the wrap-up the PBX kept
                return _resume_wrap_up(state, inp, policy)
            if initial == Status.NOT_READY and reason:
                return _to(state, Status.NOT_READY, inp, "signed in", Pause(reason), reason=reason)
            return _to(state, Status.READY, inp, "signed in", Unpause())
        case SignInFailed(why=why):
            if s != Status.SIGNING_IN:
                return _stay(state)
            return _to(state, Status.SIGNED_OUT, inp, f"sign-in failed: {why}", RemoveMembers(), Unregister())
        case SignOut():
            if s in IDLE:
                return _to(state, Status.SIGNING_OUT, inp, "CSR signed out", CancelWrapUpTimer(), RemoveMembers(),
                           Unregister(), pending_reason=None)
            if s == Status.SIGNING_OUT:
                return _stay(state)
            raise _refuse("sign_out", state)
        case SignedOut():
            if s != Status.SIGNING_OUT:
                return _stay(state)
            return _to(state, Status.SIGNED_OUT, inp, "signed out")
        # --- work state -----------------------------------------------------------------------------
        case GoReady():
            if s == Status.READY:
                return _stay(state)
            if s == Status.NOT_READY:
                return _to(state, Status.READY, inp, "CSR went ready", Unpause())
            if s == Status.WRAP_UP:
                return _to(state, Status.READY, inp, "CSR went ready", CancelWrapUpTimer(), Unpause(),
                           pending_reason=None)
            raise _refuse("go_ready", state)
        case GoNotReady(reason=reason):
            _check_reason(reason, policy)
            if s == Status.NOT_READY and state.reason == reason:
                return _stay(state)
            if s in (Status.READY, Status.NOT_READY):
                return _to(state, Status.NOT_READY, inp, "CSR went not ready", Pause(reason), reason=reason)
            if s == Status.WRAP_UP:
                return _to(state, Status.NOT_READY, inp, "CSR went not ready", CancelWrapUpTimer(), Pause(reason),
                           reason=reason, pending_reason=None)
            raise _refuse("go_not_ready", state)
        case PauseAfterCall(reason=reason):
            if reason is not None:
                _check_reason(reason, policy)
            if s in ON_CALL or s == Status.WRAP_UP:
                return Transition(replace(state, pending_reason=reason), (), "CSR asked to pause after this call")
            raise _refuse("pause_after_call", state,
                          "No call is up; choose not ready instead" if s in IDLE else None)
        case ExtendWrapUp(seconds=seconds):
            if s != Status.WRAP_UP or seconds <= 0:
                raise _refuse("extend_wrap_up", state, "There is no wrap-up to extend" if s != Status.WRAP_UP
                              else "Extend wrap-up by a positive number of seconds")
            until = max(state.wrap_up_until or inp.at, inp.at) + seconds
            return Transition(replace(state, wrap_up_until=until), (StartWrapUpTimer(until),), "CSR extended wrap-up")
        case FinishWrapUp():
            if s != Status.WRAP_UP:
                raise _refuse("finish_wrap_up", state, "There is no wrap-up to finish")
            return _after_wrap_up(state, inp, policy, "CSR finished wrap-up")
        case WrapUpElapsed():
            if s != Status.WRAP_UP or (state.wrap_up_until is not None and inp.at < state.wrap_up_until):
                return _stay(state)
            return _after_wrap_up(state, inp, policy, "wrap-up time elapsed")
        case CallCommand(command=command):
            allowed = CALL_COMMANDS.get(command)
            if allowed is None:
                raise NotAllowedInState(command, s.value, f"Unknown command {command}")
            if s not in allowed:
                if s in IDLE and command != "dial":
                    raise _refuse(command, state, "There is no call to " + command.replace("_", " "))
                raise _refuse(command, state)
            return _stay(state)
        # --- call observations ----------------------------------------------------------------------
        case CallOffered(outbound=outbound):
            if s not in IDLE:
                return _stay(state)
            cause = "outbound call placed" if outbound else "call offered"
            return _to(state, Status.RINGING, inp, cause, CancelWrapUpTimer(), resume=s, resume_reason=state.reason)
        case CallAnswered():
            if s != Status.RINGING:
                return _stay(state)
            return _to(state, Status.TALKING, inp, "call answered")
        case CallHeld():
            return _to(state, Status.HELD, inp, "call held") if s == Status.TALKING else _stay(state)
        case CallUnheld():
            return _to(state, Status.TALKING, inp, "call resumed") if s == Status.HELD else _stay(state)
        case ConsultStarted():
            if s in (Status.TALKING, Status.HELD):
                return _to(state, Status.CONSULTING, inp, "consult call started")
            return _stay(state)
        case ConsultEnded():
            return _to(state, Status.HELD, inp, "consult call ended") if s == Status.CONSULTING else _stay(state)
        case ConferenceStarted():
            return _to(state, Status.CONFERENCING, inp, "conference started") if s == Status.CONSULTING else _stay(state)
        case PartyLeft():
            if s in (Status.CONFERENCING, Status.CONSULTING):
                return _to(state, Status.TALKING, inp, "a party left; two-party call")
            return _stay(state)
        case CallEnded(answered=answered):
            if s == Status.RINGING and not answered:
                back = state.resume or Status.READY
                if state.pending_reason is not None:
                    r = state.pending_reason
                    return _to(state, Status.NOT_READY, inp, "call not answered (pause after call)", Pause(r),
                               reason=r, pending_reason=None, resume=None, resume_reason=None)
                if back == Status.WRAP_UP:
                    return _idle_after_call(state, inp, policy, "call not answered")
                return _to(state, back, inp, "call not answered", reason=state.resume_reason if back ==
                           Status.NOT_READY else None, resume=None, resume_reason=None)
            if s in ON_CALL:
                return _idle_after_call(state, inp, policy, "call ended")
            return _stay(state)
        # --- the PBX's word ---------------------------------------------------------------------------
        case PbxPaused(reason=reason, by=by):
            by = f"lead {lead_of(reason)}" if lead_of(reason) else by
            if s in ON_CALL:
                if reason and reason != WRAP_UP_REASON and reason != state.pending_reason:
                    return Transition(replace(state, pending_reason=reason), (), f"paused by {by} during a call")
                return _stay(state)
            if s == Status.READY or (s == Status.NOT_READY and reason and reason != state.reason) or (
                    s == Status.WRAP_UP and reason and reason != WRAP_UP_REASON):
                if reason == WRAP_UP_REASON:
                    return _stay(state)
                return _to(state, Status.NOT_READY, inp, f"paused by {by}", CancelWrapUpTimer(),
                           reason=reason or "paused", pending_reason=None)
            return _stay(state)
        case PbxUnpaused(by=by):
            if s in (Status.NOT_READY, Status.WRAP_UP):
                return _to(state, Status.READY, inp, f"unpaused by {by}", CancelWrapUpTimer(), pending_reason=None)
            return _stay(state)
        case MembersLost():
            if s in IDLE or s in ON_CALL:
                # A lead's sign-out tags a pause first (SIGN_OUT_REASON [lead id]), then removes the memberships;
                # during a call that pause became the pending reason. Anything else is the PBX's doing.
                tagged = next((r for r in (state.reason, state.pending_reason) if is_forced_sign_out(r)), None)
                lead = lead_of(tagged)
                return _to(state, Status.SIGNED_OUT, inp,
                           f"signed out by lead {lead}" if lead else "removed from all queues by the PBX",
                           CancelWrapUpTimer(), Unregister(), pending_reason=None, forced_by=lead)
            return _stay(state)
        # --- the link ----------------------------------------------------------------------------------
        case LinkLost(why=why):
            if s in SIGNED_IN:
                return _to(state, Status.DEGRADED, inp, f"PBX link lost: {why}", resume=s, resume_reason=state.reason,
                           wrap_up_until=state.wrap_up_until)
            return _stay(state)
        case Resynced(view=view):
            if s in SIGNED_IN or s == Status.DEGRADED:
                return _resync(state, view, inp)
            return _stay(state)
    raise TypeError(f"unknown input {type(inp).__name__}")

__all__ = [
    "CALL_COMMANDS",
    "DEFAULT_REASONS",
    "IDLE",
    "ON_CALL",
    "SIGNED_IN",
    "SIGN_OUT_REASON",
    "WRAP_UP_REASON",
    "AddMembers",
    "AgentState",
    "CallAnswered",
    "CallCommand",
    "CallEnded",
    "CallHeld",
    "CallOffered",
    "CallUnheld",
    "CancelWrapUpTimer",
    "ConferenceStarted",
    "ConsultEnded",
    "ConsultStarted",
    "Effect",
    "ExtendWrapUp",
    "FinishWrapUp",
    "GoNotReady",
    "GoReady",
    "Input",
    "LinkLost",
    "MembersLost",
    "PartyLeft",
    "Pause",
    "PauseAfterCall",
    "PbxPaused",
    "PbxUnpaused",
    "PbxView",
    "Policy",
    "Register",
    "RemoveMembers",
    "ReportResync",
    "ReportWrapUpResumed",
    "Resynced",
    "SignIn",
    "SignInFailed",
    "SignOut",
    "SignedIn",
    "SignedOut",
    "StartWrapUpTimer",
    "Status",
    "Transition",
    "Unpause",
    "Unregister",
    "WrapUpElapsed",
    "is_forced_sign_out",
    "lead_of",
    "lead_tagged",
    "transition",
    "untagged",
]
