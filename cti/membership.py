"""The desk's own queue membership and pause, through service calls to the PBX's feature extensions.

The desk's AMI user has no ``agent`` write right: it cannot QueueAdd/QueueRemove/QueuePause any interface, its
own included. The desk's softphone calls a feature extension instead (asterisk-conf/templates/extensions.conf,
[csd-service] and [csd-member]) as the SIP endpoint ``svc<ext>`` (same password as ``<ext>``), and the PBX acts on
PJSIP/<ext> of the endpoint that authenticated the call, so a desk can only ever change itself; the agent's own
device (PJSIP/<ext>) never carries these calls, so queues, wallboards and alerts never see them as calls. The desk chooses the queues, its member name and the reason, in X-CSD-* headers; the PBX removes the
characters in ``UNSAFE`` from them (they could split application arguments or forge a lead's " [lead N]" tag),
and the desk removes them first so that the reason it expects back on AMI is the one the PBX stores.
The outcome arrives as QueueMember* events on AMI, as before; a refusal raises ActionFailed with the SIP status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cti.errors import ActionFailed
from cti.softphone import Softphone, SoftphoneError

UNSAFE = ',|"\\[]()'
_DROP = str.maketrans("", "", UNSAFE)
QUEUE_NAME = re.compile(r"[a-z0-9-]{1,64}")
MAX_QUEUES = 16  # per join/leave call (the dialplan's limit)


def clean(text: str) -> str:
    """Return ``text`` as the PBX will store it: without the characters in UNSAFE or control characters."""
    return "".join(c for c in text.translate(_DROP) if c >= " ")


@dataclass(frozen=True, slots=True)
class MemberFeatures:
    """The PBX's feature extensions for a desk's own membership (the lab's defaults)."""

    join: str = "9601"
    leave: str = "9602"
    pause: str = "9603"
    unpause: str = "9604"
    endpoint_prefix: str = "svc"  # the desk's service calls come from SIP endpoint <prefix><extension>


class MemberService:
    """Join, leave, pause and unpause this desk's own interface by service calls on ``phone``."""

    def __init__(self, phone: Softphone, features: MemberFeatures, *, extension: str, timeout: float = 10.0) -> None:
        self.phone = phone
        self.features = features
        self.caller = f"{features.endpoint_prefix}{extension}"
        self.timeout = timeout

    async def join(self, queues: tuple[str, ...] | list[str], *, member_name: str, reason: str) -> None:
        """Join each queue paused with ``reason`` (already a member there: pause it there with ``reason``)."""
        for chunk in _chunks(queues):
            await self._call("join", self.features.join, {"X-CSD-Queues": "&".join(chunk),
                                                          "X-CSD-Member": clean(member_name),
                                                          "X-CSD-Reason": clean(reason)})

    async def leave(self, queues: tuple[str, ...] | list[str]) -> None:
        """Leave each queue (not a member, or no such queue: nothing to do)."""
        for chunk in _chunks(queues):
            await self._call("leave", self.features.leave, {"X-CSD-Queues": "&".join(chunk)})

    async def pause(self, reason: str) -> None:
        """Pause in every queue with ``reason``."""
        await self._call("pause", self.features.pause, {"X-CSD-Reason": clean(reason)})

    async def unpause(self) -> None:
        """Unpause in every queue."""
        await self._call("unpause", self.features.unpause, {})

    async def _call(self, what: str, target: str, headers: dict[str, str]) -> None:
        try:
            await self.phone.service_call(target, headers, answer_within=self.timeout, caller=self.caller)
        except SoftphoneError as e:
            raise ActionFailed(f"queue {what} ({target})", e.reason if not e.sip_status
                               else f"{e.reason} (SIP {e.sip_status})") from e


def _chunks(queues: tuple[str, ...] | list[str]) -> list[list[str]]:
    for q in queues:
        if not QUEUE_NAME.fullmatch(q):
            raise ActionFailed("queue join/leave", f"queue name {q!r} is not [a-z0-9-]")
    items = list(queues)
    return [items[i:i + MAX_QUEUES] for i in range(0, len(items), MAX_QUEUES)]
