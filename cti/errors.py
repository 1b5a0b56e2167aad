"""Declare the typed errors that cti raises; ``str(error)`` is a message a CSR can read."""

from __future__ import annotations


class CtiError(Exception):
    """Base of every cti error; its text is fit to show in the UI."""


class NotAllowedInState(CtiError):
    """A command makes no sense in the agent's current state; nothing was sent."""

    def __init__(self, command: str, state: str, message: str | None = None) -> None:
        self.command = command
        self.state = state
        super().__init__(message or f"You cannot {command.replace('_', ' ')} while {state.replace('_', ' ')}")


class InvalidReason(CtiError):
    """A not-ready reason is not in the centre's configured list."""

    def __init__(self, reason: str, allowed: tuple[str, ...]) -> None:
        self.reason = reason
        self.allowed = allowed
        super().__init__(f"'{reason}' is not a not-ready reason here; choose one of: {', '.join(allowed)}")


class LinkDown(CtiError):
    """The AMI link to the PBX is down, so the command could not be sent."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__("The PBX link is down" + (f": {detail}" if detail else "") + "; try again when it is back")


class ActionTimeout(CtiError):
    """The PBX did not answer an action within its timeout."""

    def __init__(self, action: str, seconds: float) -> None:
        self.action = action
        self.seconds = seconds
        super().__init__(f"The PBX did not answer {action} within {seconds:g} s")


class ActionFailed(CtiError):
    """The PBX refused an action; ``message`` is its own words."""

    def __init__(self, action: str, message: str) -> None:
        self.action = action
        self.message = message
        super().__init__(f"The PBX refused {action}: {message or 'no reason given'}")


class LoginFailed(CtiError):
    """The PBX refused the desk's AMI credentials."""

    def __init__(self, address: str, message: str) -> None:
        self.address = address
        super().__init__(f"The PBX at {address} refused the desk's login: {message}")


class TransferFailed(CtiError):
    """A transfer did not reach its target; the original call is still up."""

    def __init__(self, target: str, why: str) -> None:
        self.target = target
        self.why = why
        super().__init__(f"Transfer to {target} failed ({why}); you are still on the call")


class CommandFailed(CtiError):
    """A phone command failed; wraps the softphone's or the PBX's readable reason."""
