"""Say which call controls make sense in which agent state.

The table comes from the state machine (``cti.state.CALL_COMMANDS``), so a button is enabled exactly
when the session would accept its command. Button names map onto command names here.
"""

from __future__ import annotations

from cti.state import CALL_COMMANDS, Status

# button name -> session command name
COMMAND_OF = {
    "answer": "answer",
    "hangup": "hangup",
    "hold": "hold",
    "unhold": "unhold",
    "mute": "mute",
    "dtmf": "dtmf",
    "blind_transfer": "blind_transfer",
    "consult": "consult",
    "complete_transfer": "complete_transfer",
    "cancel_consult": "cancel_consult",
    "swap": "swap",
    "conference": "conference",
    "survey": "transfer_to_survey",
    "rec_mute": "mute_recording",
    "dial": "dial",
}
ACTIONS = tuple(COMMAND_OF)
STATES = tuple(s.value for s in Status)

ENABLED: dict[str, frozenset[str]] = {
    state: frozenset(a for a, cmd in COMMAND_OF.items() if Status(state) in CALL_COMMANDS[cmd]) for state in STATES
}


def enabled_actions(state: str) -> frozenset[str]:
    """Return the call actions a CSR may use in ``state`` (none for an unknown state)."""
    return ENABLED.get(state, frozenset())
