"""Say which call controls make sense in which agent state (one table, unit-tested over every state)."""

from __future__ import annotations

ACTIONS = (
    "answer", "hangup", "hold", "unhold", "mute", "dtmf", "blind_transfer", "consult",
    "complete_transfer", "cancel_consult", "swap", "conference", "survey", "rec_mute", "dial",
)

STATES = (
    "signed_out", "signing_in", "not_ready", "ready", "ringing", "talking", "held", "consulting",
    "conferencing", "wrap_up", "signing_out", "degraded",
)

_IN_CALL = {"hangup", "mute", "dtmf", "rec_mute"}

ENABLED: dict[str, frozenset[str]] = {
    "signed_out": frozenset(),
    "signing_in": frozenset(),
    "not_ready": frozenset({"dial"}),
    "ready": frozenset({"dial"}),
    "ringing": frozenset({"answer", "hangup"}),
    "talking": frozenset(_IN_CALL | {"hold", "blind_transfer", "consult", "survey"}),
    "held": frozenset({"hangup", "unhold", "blind_transfer", "consult"}),
    "consulting": frozenset(_IN_CALL | {"complete_transfer", "cancel_consult", "swap", "conference"}),
    "conferencing": frozenset(_IN_CALL),
    "wrap_up": frozenset({"dial"}),
    "signing_out": frozenset(),
    "degraded": frozenset(),
}


def enabled_actions(state: str) -> frozenset[str]:
    """Return the call actions a CSR may use in ``state`` (none for an unknown state)."""
    return ENABLED.get(state, frozenset())
