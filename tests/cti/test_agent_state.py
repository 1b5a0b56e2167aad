"""The agent state machine, table-driven over every state x input, plus the sequences that matter."""

from __future__ import annotations

import pytest

from cti.ami.actions import member_of
from cti.ami.message import AmiMessage
from cti.errors import InvalidReason, NotAllowedInState
from cti.state import (
    SIGN_OUT_REASON,
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
    Unpause,
    Unregister,
    WrapUpElapsed,
    lead_of,
    lead_tagged,
    transition,
    untagged,
)

MEAL, TRAINING = "用餐 meal", "培训 training"
T = 100.0
POLICY = Policy(wrap_up_seconds=30.0, after_wrap_up=Status.READY)

AB = {"so": Status.SIGNED_OUT, "si": Status.SIGNING_IN, "nr": Status.NOT_READY, "rd": Status.READY,
      "rg": Status.RINGING, "tk": Status.TALKING, "hd": Status.HELD, "cs": Status.CONSULTING,
      "cf": Status.CONFERENCING, "wu": Status.WRAP_UP, "sgo": Status.SIGNING_OUT, "dg": Status.DEGRADED}
COLUMNS = ["so", "si", "nr", "rd", "rg", "tk", "hd", "cs", "cf", "wu", "sgo", "dg"]


def base(status: Status) -> AgentState:
    """Return a typical state for ``status``: not-ready for a meal, wrap-up due at 30, ringing from ready."""
    return AgentState(
        status=status,
        reason={Status.NOT_READY: MEAL, Status.WRAP_UP: WRAP_UP_REASON}.get(status),
        since=0.0,
        resume=Status.READY if status in (Status.RINGING, Status.DEGRADED) else None,
        wrap_up_until=30.0 if status == Status.WRAP_UP else None,
    )


INPUTS: dict[str, Input] = {
    "sign_in": SignIn(at=T, initial=Status.READY),
    "sign_in_wrap_up": SignIn(at=T, initial=Status.WRAP_UP, wrap_up_since=T - 10),
    "sign_in_wu_no_start": SignIn(at=T, initial=Status.WRAP_UP),
    "signed_in": SignedIn(at=T, initial=Status.READY),
    "sign_in_failed": SignInFailed(at=T, why="no answer"),
    "sign_out": SignOut(at=T),
    "signed_out": SignedOut(at=T),
    "go_ready": GoReady(at=T),
    "go_not_ready": GoNotReady(at=T, reason=TRAINING),
    "pause_after_call": PauseAfterCall(at=T, reason=TRAINING),
    "extend_wrap_up": ExtendWrapUp(at=T, seconds=10),
    "finish_wrap_up": FinishWrapUp(at=T),
    "wrap_up_elapsed": WrapUpElapsed(at=T),
    "cmd_answer": CallCommand(at=T, command="answer"),
    "cmd_hold": CallCommand(at=T, command="hold"),
    "cmd_unhold": CallCommand(at=T, command="unhold"),
    "cmd_blind_transfer": CallCommand(at=T, command="blind_transfer"),
    "cmd_complete": CallCommand(at=T, command="complete_transfer"),
    "cmd_drop_party": CallCommand(at=T, command="drop_party"),
    "cmd_dial": CallCommand(at=T, command="dial"),
    "call_offered": CallOffered(at=T),
    "call_answered": CallAnswered(at=T),
    "call_held": CallHeld(at=T),
    "call_unheld": CallUnheld(at=T),
    "consult_started": ConsultStarted(at=T),
    "consult_ended": ConsultEnded(at=T),
    "conference_started": ConferenceStarted(at=T),
    "party_left": PartyLeft(at=T),
    "call_ended": CallEnded(at=T, answered=True),
    "call_missed": CallEnded(at=T, answered=False),
    "pbx_paused": PbxPaused(at=T, reason=TRAINING),
    "pbx_unpaused": PbxUnpaused(at=T),
    "members_lost": MembersLost(at=T),
    "link_lost": LinkLost(at=T, why="heartbeat"),
    "resynced_ready": Resynced(at=T, view=PbxView(member=True, paused=False)),
    "resynced_paused": Resynced(at=T, view=PbxView(member=True, paused=True, reason=TRAINING)),
    "resynced_talking": Resynced(at=T, view=PbxView(member=True, paused=False, call=Status.TALKING)),
}

# Cells: a state abbreviation = the transition's target, "=" = ignored (state and effects unchanged),
# "x" = refused with NotAllowedInState.
#                        so   si   nr   rd   rg   tk   hd   cs   cf   wu   sgo  dg
TABLE = """
sign_in              si   x    x    x    x    x    x    x    x    x    x    x
sign_in_wrap_up      si   x    x    x    x    x    x    x    x    x    x    x
sign_in_wu_no_start  x    x    x    x    x    x    x    x    x    x    x    x
signed_in            =    rd   =    =    =    =    =    =    =    =    =    =
sign_in_failed       =    so   =    =    =    =    =    =    =    =    =    =
sign_out             x    x    sgo  sgo  x    x    x    x    x    sgo  =    x
signed_out           =    =    =    =    =    =    =    =    =    =    so   =
go_ready             x    x    rd   =    x    x    x    x    x    rd   x    x
go_not_ready         x    x    nr   nr   x    x    x    x    x    nr   x    x
pause_after_call     x    x    x    x    rg   tk   hd   cs   cf   wu   x    x
extend_wrap_up       x    x    x    x    x    x    x    x    x    wu   x    x
finish_wrap_up       x    x    x    x    x    x    x    x    x    rd   x    x
wrap_up_elapsed      =    =    =    =    =    =    =    =    =    rd   =    =
cmd_answer           x    x    x    x    =    x    x    x    x    x    x    x
cmd_hold             x    x    x    x    x    =    x    x    x    x    x    x
cmd_unhold           x    x    x    x    x    x    =    x    x    x    x    x
cmd_blind_transfer   x    x    x    x    x    =    =    x    x    x    x    x
cmd_complete         x    x    x    x    x    x    x    =    x    x    x    x
cmd_drop_party       x    x    x    x    x    x    x    x    =    x    x    x
cmd_dial             x    x    =    =    x    x    x    x    x    =    x    x
call_offered         =    =    rg   rg   =    =    =    =    =    rg   =    =
call_answered        =    =    =    =    tk   =    =    =    =    =    =    =
call_held            =    =    =    =    =    hd   =    =    =    =    =    =
call_unheld          =    =    =    =    =    =    tk   =    =    =    =    =
consult_started      =    =    =    =    =    cs   cs   =    =    =    =    =
consult_ended        =    =    =    =    =    =    =    hd   =    =    =    =
conference_started   =    =    =    =    =    =    =    cf   =    =    =    =
party_left           =    =    =    =    =    =    =    tk   tk   =    =    =
call_ended           =    =    =    =    wu   wu   wu   wu   wu   =    =    =
call_missed          =    =    =    =    rd   wu   wu   wu   wu   =    =    =
pbx_paused           =    =    nr   nr   rg   tk   hd   cs   cf   nr   =    =
pbx_unpaused         =    =    rd   =    =    =    =    =    =    rd   =    =
members_lost         =    =    so   so   so   so   so   so   so   so   =    =
link_lost            =    =    dg   dg   dg   dg   dg   dg   dg   dg   =    =
resynced_ready       =    =    rd   rd   rd   rd   rd   rd   rd   rd   =    rd
resynced_paused      =    =    nr   nr   nr   nr   nr   nr   nr   nr   =    nr
resynced_talking     =    =    tk   tk   tk   tk   tk   tk   tk   tk   =    tk
"""


def _cases() -> list[tuple[str, str, str]]:
    rows = [line.split() for line in TABLE.strip().splitlines()]
    assert {r[0] for r in rows} == set(INPUTS), "every input has a row"
    return [(r[0], col, cell) for r in rows for col, cell in zip(COLUMNS, r[1:], strict=True)]


@pytest.mark.parametrize(("inp", "col", "cell"), _cases())
def test_every_state_times_every_input(inp: str, col: str, cell: str) -> None:
    state = base(AB[col])
    if cell == "x":
        with pytest.raises(NotAllowedInState) as err:
            transition(state, INPUTS[inp], POLICY)
        assert str(err.value), "a refusal carries a readable message"
        return
    t = transition(state, INPUTS[inp], POLICY)
    if cell == "=":
        assert t.state == state
        assert t.effects == ()
    else:
        assert t.state.status == AB[cell]
        assert t.cause, "every transition records its cause"
        if t.state.status != state.status:
            assert t.state.since == T


def test_sign_in_registers_then_adds_members_paused() -> None:
    t = transition(AgentState(), SignIn(at=1, initial=Status.NOT_READY, reason=MEAL), POLICY)
    assert t.state.status == Status.SIGNING_IN
    assert t.effects == (Register(), AddMembers("signing in"))
    t2 = transition(t.state, SignedIn(at=2, initial=Status.NOT_READY, reason=MEAL), POLICY)
    assert (t2.state.status, t2.state.reason) == (Status.NOT_READY, MEAL)
    assert t2.effects == (Pause(MEAL),)


def test_sign_in_ready_unpauses_only_after_members_are_added() -> None:
    t = transition(AgentState(status=Status.SIGNING_IN), SignedIn(at=2, initial=Status.READY), POLICY)
    assert t.effects == (Unpause(),)


def test_failed_sign_in_cleans_up() -> None:
    t = transition(AgentState(status=Status.SIGNING_IN), SignInFailed(at=2, why="x"), POLICY)
    assert t.state.status == Status.SIGNED_OUT
    assert t.effects == (RemoveMembers(), Unregister())


def test_sign_out_removes_members_and_unregisters() -> None:
    t = transition(base(Status.READY), SignOut(at=5), POLICY)
    assert RemoveMembers() in t.effects
    assert Unregister() in t.effects


@pytest.mark.parametrize("status", [Status.RINGING, Status.TALKING, Status.HELD, Status.CONSULTING])
def test_sign_out_during_a_call_is_refused_readably(status: Status) -> None:
    with pytest.raises(NotAllowedInState, match="sign out while a call is up"):
        transition(base(status), SignOut(at=5), POLICY)


def test_go_ready_mid_call_is_refused_readably() -> None:
    with pytest.raises(NotAllowedInState, match="You cannot go ready during a call"):
        transition(base(Status.TALKING), GoReady(at=5), POLICY)


def test_transfer_with_no_call_is_refused_readably() -> None:
    with pytest.raises(NotAllowedInState, match="no call to blind transfer"):
        transition(base(Status.READY), CallCommand(at=5, command="blind_transfer"), POLICY)


def test_not_ready_reason_must_be_configured() -> None:
    with pytest.raises(InvalidReason, match="choose one of"):
        transition(base(Status.READY), GoNotReady(at=5, reason="nap"), POLICY)
    policy = Policy(reasons=("nap",))
    assert transition(base(Status.READY), GoNotReady(at=5, reason="nap"), policy).state.reason == "nap"


def test_not_ready_pauses_with_the_reason() -> None:
    t = transition(base(Status.READY), GoNotReady(at=5, reason=TRAINING), POLICY)
    assert t.effects == (Pause(TRAINING),)
    assert t.state.reason == TRAINING


def test_call_end_starts_the_desks_wrap_up() -> None:
    t = transition(base(Status.TALKING), CallEnded(at=50), POLICY)
    assert t.state.status == Status.WRAP_UP
    assert t.effects == (Pause(WRAP_UP_REASON), StartWrapUpTimer(80.0))
    assert t.state.wrap_up_until == 80.0


def test_wrap_up_extends_and_ignores_an_early_timer() -> None:
    s = transition(base(Status.TALKING), CallEnded(at=50), POLICY).state
    s2 = transition(s, ExtendWrapUp(at=60, seconds=20), POLICY)
    assert s2.effects == (StartWrapUpTimer(100.0),)
    assert transition(s2.state, WrapUpElapsed(at=85), POLICY).state == s2.state
    done = transition(s2.state, WrapUpElapsed(at=100), POLICY)
    assert done.state.status == Status.READY
    assert Unpause() in done.effects


def test_wrap_up_goes_not_ready_when_configured() -> None:
    policy = Policy(after_wrap_up=Status.NOT_READY, after_wrap_up_reason=MEAL)
    s = transition(base(Status.TALKING), CallEnded(at=50), policy).state
    t = transition(s, WrapUpElapsed(at=80), policy)
    assert (t.state.status, t.state.reason) == (Status.NOT_READY, MEAL)
    assert Pause(MEAL) in t.effects


def test_pause_after_this_call_takes_effect_when_the_call_ends() -> None:
    s = transition(base(Status.TALKING), PauseAfterCall(at=10, reason=MEAL), POLICY).state
    assert s.status == Status.TALKING
    s = transition(s, CallEnded(at=20), POLICY).state
    assert s.status == Status.WRAP_UP
    t = transition(s, FinishWrapUp(at=25), POLICY)
    assert (t.state.status, t.state.reason) == (Status.NOT_READY, MEAL)
    assert Pause(MEAL) in t.effects
    assert Unpause() not in t.effects
    assert t.state.pending_reason is None


def test_pause_after_call_can_be_cancelled() -> None:
    s = transition(base(Status.TALKING), PauseAfterCall(at=10, reason=MEAL), POLICY).state
    s = transition(s, PauseAfterCall(at=11, reason=None), POLICY).state
    s = transition(s, CallEnded(at=20), POLICY).state
    assert transition(s, FinishWrapUp(at=25), POLICY).state.status == Status.READY


def test_unanswered_ring_returns_to_where_the_agent_was() -> None:
    s = transition(base(Status.NOT_READY), CallOffered(at=10), POLICY).state
    assert s.status == Status.RINGING
    back = transition(s, CallEnded(at=12, answered=False), POLICY).state
    assert (back.status, back.reason) == (Status.NOT_READY, MEAL)


def test_a_lead_forcing_a_pause_mid_call_becomes_pending() -> None:
    s = transition(base(Status.TALKING), PbxPaused(at=10, reason=TRAINING, by="lead"), POLICY).state
    assert (s.status, s.pending_reason) == (Status.TALKING, TRAINING)


def test_the_wrap_up_echo_never_pauses_a_ready_agent() -> None:
    assert transition(base(Status.READY), PbxPaused(at=10, reason=WRAP_UP_REASON), POLICY).state.status == Status.READY


def test_restart_while_paused_resyncs_to_what_the_pbx_has() -> None:
    s = transition(base(Status.NOT_READY), LinkLost(at=10, why="eof"), POLICY).state
    assert (s.status, s.resume, s.resume_reason) == (Status.DEGRADED, Status.NOT_READY, MEAL)
    t = transition(s, Resynced(at=20, view=PbxView(member=True, paused=False)), POLICY)
    assert t.state.status == Status.READY, "the PBX says unpaused, so the desk is not stuck paused"
    (report,) = [e for e in t.effects if isinstance(e, ReportResync)]
    assert report.changes
    assert "not_ready" in report.changes[0]


def test_resync_with_nothing_to_correct_reports_no_change() -> None:
    s = transition(base(Status.READY), LinkLost(at=10), POLICY).state
    t = transition(s, Resynced(at=20, view=PbxView(member=True, paused=False)), POLICY)
    assert t.state.status == Status.READY
    assert ReportResync(()) in t.effects


def test_resync_re_adds_lost_membership_paused_then_restores_ready() -> None:
    s = transition(base(Status.READY), LinkLost(at=10), POLICY).state
    t = transition(s, Resynced(at=20, view=PbxView(member=False)), POLICY)
    assert t.state.status == Status.READY
    adds = [i for i, e in enumerate(t.effects) if isinstance(e, AddMembers)]
    unp = [i for i, e in enumerate(t.effects) if isinstance(e, Unpause)]
    assert adds
    assert unp
    assert adds[0] < unp[0], "members are re-added paused before the unpause"


def test_resync_keeps_a_not_ready_agent_not_ready_when_membership_was_lost() -> None:
    s = transition(base(Status.NOT_READY), LinkLost(at=10), POLICY).state
    t = transition(s, Resynced(at=20, view=PbxView(member=False)), POLICY)
    assert (t.state.status, t.state.reason) == (Status.NOT_READY, MEAL)
    assert AddMembers(MEAL) in t.effects
    assert Unpause() not in t.effects


def test_resync_in_wrap_up_keeps_the_deadline() -> None:
    s = transition(base(Status.TALKING), CallEnded(at=50), POLICY).state
    s = transition(s, LinkLost(at=55), POLICY).state
    t = transition(s, Resynced(at=60, view=PbxView(member=True, paused=True, reason=WRAP_UP_REASON)), POLICY)
    assert (t.state.status, t.state.wrap_up_until) == (Status.WRAP_UP, 80.0)
    assert StartWrapUpTimer(80.0) in t.effects


def test_go_ready_from_wrap_up_cancels_the_timer() -> None:
    s = transition(base(Status.TALKING), CallEnded(at=50), POLICY).state
    t = transition(s, GoReady(at=55), POLICY)
    assert t.effects == (CancelWrapUpTimer(), Unpause())


# --- a desk restarted in wrap-up takes up the wrap-up the PBX kept ------------------------------------------


def test_a_restarted_desk_signs_in_to_the_wrap_up_the_pbx_kept_with_the_time_it_had_left() -> None:
    t = transition(AgentState(), SignIn(at=100, initial=Status.WRAP_UP, wrap_up_since=90), POLICY)
    assert (t.state.status, t.state.wrap_up_until) == (Status.SIGNING_IN, 120.0)  # 30 s from 90, not from 100
    assert t.effects == (Register(), AddMembers(WRAP_UP_REASON, keep_paused=True))  # the PBX's pause stands
    t = transition(t.state, SignedIn(at=102, initial=Status.WRAP_UP), POLICY)
    assert (t.state.status, t.state.reason, t.state.wrap_up_until) == (Status.WRAP_UP, WRAP_UP_REASON, 120.0)
    assert t.state.since == 90.0, "in wrap-up since it began, before the restart"
    assert t.effects == (StartWrapUpTimer(120.0), ReportWrapUpResumed(18.0, ran_out=False))
    assert not [e for e in t.effects if isinstance(e, Pause | Unpause)], "no new pause: the PBX's pause time stands"
    assert t.cause
    s = t.state
    assert transition(s, WrapUpElapsed(at=119), POLICY).state == s
    done = transition(s, WrapUpElapsed(at=120), POLICY)
    assert (done.state.status, done.effects) == (Status.READY, (CancelWrapUpTimer(), Unpause()))
    longer = transition(s, ExtendWrapUp(at=110, seconds=30), POLICY)
    assert longer.state.wrap_up_until == 150.0
    assert transition(s, FinishWrapUp(at=105), POLICY).state.status == Status.READY


@pytest.mark.parametrize(("policy", "then", "reason", "effect"), [
    (Policy(wrap_up_seconds=30.0, after_wrap_up=Status.READY), Status.READY, None, Unpause()),
    (Policy(wrap_up_seconds=30.0, after_wrap_up=Status.NOT_READY, after_wrap_up_reason=MEAL), Status.NOT_READY,
     MEAL, Pause(MEAL)),
])
@pytest.mark.parametrize("since", [40.0, 71.0], ids=["ran-out-before-the-restart", "ran-out-while-signing-in"])
def test_a_wrap_up_that_ran_out_while_the_desk_was_down_ends_as_the_policy_says(
    policy: Policy, then: Status, reason: str | None, effect: Pause | Unpause, since: float
) -> None:
    t = transition(AgentState(), SignIn(at=100, initial=Status.WRAP_UP, wrap_up_since=since), policy)
    assert t.state.status == Status.SIGNING_IN
    t = transition(t.state, SignedIn(at=101.5, initial=Status.WRAP_UP), policy)
    assert (t.state.status, t.state.reason, t.state.wrap_up_until) == (then, reason, None)
    assert effect in t.effects
    assert t.effects[-1] == ReportWrapUpResumed(0.0, ran_out=True)  # the desk tells the CSR, quietly
    assert "ran out while the desk was down" in t.cause


def test_a_restarted_desk_keeps_the_extensions_the_csr_gave_the_wrap_up() -> None:
    """The PBX keeps when the wrap-up began, the audit trail how much the CSR extended it: 30 + 45 s from 90."""
    t = transition(AgentState(), SignIn(at=100, initial=Status.WRAP_UP, wrap_up_since=90, wrap_up_extended=45),
                   POLICY)
    assert t.state.wrap_up_until == 165.0
    t = transition(t.state, SignedIn(at=102, initial=Status.WRAP_UP), POLICY)
    assert (t.state.status, t.state.since) == (Status.WRAP_UP, 90.0)
    assert t.effects == (StartWrapUpTimer(165.0), ReportWrapUpResumed(63.0, ran_out=False))
    late = transition(AgentState(), SignIn(at=100, initial=Status.WRAP_UP, wrap_up_since=20, wrap_up_extended=45),
                      POLICY)  # 20 + 30 + 45 = 95: it ran out, extensions and all, while the desk was down
    assert transition(late.state, SignedIn(at=101, initial=Status.WRAP_UP), POLICY).state.status == Status.READY


def test_signing_in_to_wrap_up_needs_the_time_it_began() -> None:
    with pytest.raises(NotAllowedInState, match="restarted in wrap-up"):
        transition(AgentState(), SignIn(at=100, initial=Status.WRAP_UP), POLICY)


def test_a_kept_wrap_up_that_seems_to_start_in_the_future_starts_now() -> None:
    """A PBX clock ahead of the desk's: the wrap-up is never longer than the centre's time."""
    t = transition(AgentState(), SignIn(at=100, initial=Status.WRAP_UP, wrap_up_since=160), POLICY)
    assert t.state.wrap_up_until == 130.0


def test_a_failed_sign_in_to_wrap_up_forgets_it() -> None:
    s = transition(AgentState(), SignIn(at=100, initial=Status.WRAP_UP, wrap_up_since=90), POLICY).state
    s = transition(s, SignInFailed(at=101, why="no answer"), POLICY).state
    assert (s.status, s.wrap_up_until) == (Status.SIGNED_OUT, None)
    s = transition(s, SignIn(at=200, initial=Status.READY), POLICY).state
    t = transition(s, SignedIn(at=201, initial=Status.READY), POLICY)
    assert (t.state.status, t.effects) == (Status.READY, (Unpause(),))


def test_degraded_refuses_commands_with_a_link_message() -> None:
    with pytest.raises(NotAllowedInState, match="link is down"):
        transition(base(Status.DEGRADED), GoReady(at=1), POLICY)


# --- a team lead forcing the agent (issue 8) ----------------------------------------------------------------

# The agent desk's QueueMember* events for PJSIP/1006 while lead 2001 forced it not ready ("会议"), then signed it
# out; recorded on the lab PBX (Asterisk 22) by tests/lead/test_lead_lab.py with CSDESK_RECORD_AMI=<file>. First
# the echo of the desk's own unpause after signing in ready. (event, queue, Paused, PausedReason)
RECORDED_FORCING = [
    ("QueueMemberPause", "claims-auto", "0", ""),
    ("QueueMemberPause", "service", "0", ""),
    ("QueueMemberPause", "complaints", "0", ""),
    ("QueueMemberPause", "claims-life", "0", ""),
    ("QueueMemberPause", "claims-auto", "1", "会议 [lead 2001]"),
    ("QueueMemberPause", "service", "1", "会议 [lead 2001]"),
    ("QueueMemberPause", "complaints", "1", "会议 [lead 2001]"),
    ("QueueMemberPause", "claims-life", "1", "会议 [lead 2001]"),
    ("QueueMemberPause", "claims-auto", "1", "签出 signed out [lead 2001]"),
    ("QueueMemberPause", "service", "1", "签出 signed out [lead 2001]"),
    ("QueueMemberPause", "complaints", "1", "签出 signed out [lead 2001]"),
    ("QueueMemberPause", "claims-life", "1", "签出 signed out [lead 2001]"),
    ("QueueMemberRemoved", "service", "1", "签出 signed out [lead 2001]"),
    ("QueueMemberRemoved", "complaints", "1", "签出 signed out [lead 2001]"),
    ("QueueMemberRemoved", "claims-life", "1", "签出 signed out [lead 2001]"),
    ("QueueMemberRemoved", "claims-auto", "1", "签出 signed out [lead 2001]"),
]


def replay(state: AgentState, recording: list[tuple[str, str, str, str]]) -> list[tuple[Status, str | None, str]]:
    """Turn AMI events into the machine's inputs as the session does (cti/session_pbx.py: a repeated pause is the
    same word; a lead's pause names the lead; the last membership removed is MembersLost); return each change."""
    members = {"claims-auto", "service", "complaints", "claims-life"}
    said: tuple[bool, str | None] = (False, None)
    seen = []
    for at, (event, queue, paused, reason) in enumerate(recording):
        m = member_of(AmiMessage.of({"Event": event, "Queue": queue, "Interface": "PJSIP/1006", "Paused": paused,
                                     "PausedReason": reason}))
        inp: Input | None = None
        if event == "QueueMemberPause":
            now = (True, m.reason or None) if m.paused else (False, None)
            if now != said:
                said = now
                inp = (PbxPaused(at=at, reason=m.reason or None, by=lead_of(m.reason) or "pbx") if m.paused
                       else PbxUnpaused(at=at))
        elif event == "QueueMemberRemoved":
            was = bool(members)
            members.discard(m.queue)
            if was and not members:
                inp = MembersLost(at=at)
        if inp is not None:
            t = transition(state, inp, POLICY)
            if (t.state.status, t.state.forced_by) != (state.status, state.forced_by):
                seen.append((t.state.status, t.state.forced_by, t.cause))
            state = t.state
    return seen


def test_a_leads_forced_not_ready_then_sign_out_keeps_the_lead_recorded_sequence() -> None:
    ready = AgentState(status=Status.READY)
    assert replay(ready, RECORDED_FORCING) == [
        (Status.NOT_READY, "2001", "paused by lead 2001"),
        (Status.SIGNED_OUT, "2001", "signed out by lead 2001"),  # the lead's tag outlives the memberships
    ]


def test_a_forced_sign_out_during_a_call_names_the_lead() -> None:
    s = transition(base(Status.TALKING), PbxPaused(at=10, reason=lead_tagged(SIGN_OUT_REASON, "2001"), by="2001"),
                   POLICY).state
    assert (s.status, s.pending_reason, s.forced_by) == (Status.TALKING, "签出 signed out [lead 2001]", None)
    t = transition(s, MembersLost(at=11), POLICY)
    assert (t.state.status, t.state.forced_by, t.cause) == (Status.SIGNED_OUT, "2001", "signed out by lead 2001")
    assert Unregister() in t.effects


def test_forced_by_lasts_until_the_agent_acts_or_signs_in_again() -> None:
    forced = transition(base(Status.READY), PbxPaused(at=5, reason=lead_tagged("会议", "2001"), by="2001"), POLICY)
    assert (forced.state.reason, forced.state.forced_by) == ("会议 [lead 2001]", "2001")
    assert transition(forced.state, GoReady(at=6), POLICY).state.forced_by is None
    assert transition(forced.state, GoNotReady(at=6, reason=MEAL), POLICY).state.forced_by is None
    out = transition(forced.state, PbxPaused(at=7, reason=lead_tagged(SIGN_OUT_REASON, "2001")), POLICY).state
    out = transition(out, MembersLost(at=8), POLICY).state
    assert (out.status, out.forced_by) == (Status.SIGNED_OUT, "2001")
    assert transition(out, WrapUpElapsed(at=100), POLICY).state.forced_by == "2001"  # nothing else clears it
    assert transition(out, SignIn(at=200), POLICY).state.forced_by is None


def test_losing_the_queues_without_a_leads_sign_out_blames_nobody() -> None:
    # A lead's earlier not-ready is not a sign-out: if the PBX then drops the memberships, no lead is named.
    s = transition(base(Status.READY), PbxPaused(at=5, reason=lead_tagged("会议", "2001")), POLICY).state
    t = transition(s, MembersLost(at=6), POLICY)
    assert (t.state.status, t.state.forced_by, t.cause) == (Status.SIGNED_OUT, None, "removed from all queues by the PBX")
    assert transition(base(Status.NOT_READY), MembersLost(at=6), POLICY).state.forced_by is None


def test_the_lead_tag_round_trips_and_refuses_odd_ids() -> None:
    assert lead_of(lead_tagged(" 事务处理 back-office and more text ", "2001")) == "2001"
    assert untagged("会议 [lead 2001]") == "会议"
    assert (lead_of("会议"), lead_of(None), lead_of("x [lead ]")) == (None, None, None)
    with pytest.raises(ValueError, match="a lead id is"):
        lead_tagged("会议", "20 01]")
