"""Declare what the agent session needs from the desk's softphone (the SIP/media engine).

The engine client in ``cti.engine`` implements this; the agent session (``cti.session``) uses it to answer,
hold and transfer, and correlates the results with AMI. Calls are named by an opaque ``call_ref``.
Every method raises ``SoftphoneError`` (with the SIP status where there is one) on failure.
Call and registration events (CallDidOffer, CallDidAnswer, CallDidEnd, RegistrationDidChange, ...)
are published on the EventBus given to the implementation. The desk changes its own queue membership and pause
through ``service_call`` (the PBX acts on the SIP endpoint that placed it: a desk can only change itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class SoftphoneError(Exception):
    """A softphone command failed; ``reason`` is readable by a CSR, ``sip_status`` is 0 when none applies."""

    def __init__(self, reason: str, *, sip_status: int = 0) -> None:
        super().__init__(reason if not sip_status else f"{reason} (SIP {sip_status})")
        self.reason = reason
        self.sip_status = sip_status


@dataclass(frozen=True, slots=True)
class SipAccount:
    """Where and as whom the softphone registers. ``registrars`` is the PBX list, primary first."""

    extension: str
    password: str  # from the OS keyring; never logged (repr hides it)
    registrars: tuple[str, ...]  # e.g. ("127.0.0.1:15060", "127.0.0.2:15060")
    transport: str = "udp"  # "udp", "tcp" or "tls"
    srtp_required: bool = False
    ca_file: str | None = None
    auto_answer: bool = False

    def __repr__(self) -> str:
        return f"SipAccount(extension={self.extension!r}, registrars={self.registrars!r}, transport={self.transport!r})"


class Softphone(Protocol):
    async def register(self, account: SipAccount) -> None: ...
    async def unregister(self) -> None: ...
    async def answer(self, call_ref: str) -> None: ...
    async def reject(self, call_ref: str) -> None: ...
    async def hangup(self, call_ref: str) -> None: ...
    async def hold(self, call_ref: str) -> None: ...
    async def unhold(self, call_ref: str) -> None: ...
    async def mute(self, call_ref: str, on: bool) -> None: ...
    async def dtmf(self, call_ref: str, digits: str) -> None: ...
    async def dial(self, target: str) -> str:
        """Place a call to an extension or number; return its call_ref."""
        ...

    async def service_call(self, target: str, headers: Mapping[str, str] | None = None, *,
                           answer_within: float = 10.0, caller: str | None = None) -> None:
        """Place a service call to the PBX feature extension ``target`` with X-CSD-* ``headers`` (queue join,
        pause, ...) as SIP user ``caller`` (same password as the account; e.g. svc1001, the PBX's endpoint for this
        desk's service calls): return once the PBX answered it (done); raise SoftphoneError with its SIP status if
        refused. It is never a call: no call events, no headset, no ringer; it is hung up as soon as answered."""
        ...

    async def blind_transfer(self, call_ref: str, target: str) -> None: ...
    async def attended_transfer(self, call_ref: str, consult_ref: str) -> None: ...
