"""Service calls: a short call to a PBX feature extension whose SIP answer is the result (queue join, pause, ...).

It is placed from its own SIP account (``caller``, e.g. svc1001: the PBX's endpoint for the desk's service calls,
same password, never registered), so the agent's own device never shows a call. A service call is never a call
to the desk: it is not in ``Engine.calls``, publishes no call event, never
touches the headset or the ringer (its media is never connected to the audio bridge), is hung up as soon as
it is answered, and replies to its command with the final SIP status: 200 when the PBX answered, else the
PBX's 4xx/5xx as a CommandError. It holds one of the process's call slots for a few milliseconds.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any

import pjsua2 as pj

from cti.engine.sip import CommandError

if TYPE_CHECKING:
    from cti.engine.core import Engine

log = logging.getLogger(__name__)
HEADER_NAME = re.compile(r"X-CSD-[A-Za-z0-9-]{1,32}")
MAX_HEADER_VALUE = 256


def header_list(headers: dict[str, str]) -> Any:
    """Return a SipHeaderVector of the desk's X-CSD-* headers; refuse other names and unsafe values."""
    vec = pj.SipHeaderVector()
    for name, value in headers.items():
        if not HEADER_NAME.fullmatch(name):
            raise CommandError(f"a service call may only carry X-CSD-* headers, not {name!r}", 400)
        text = str(value)
        if any(c in text for c in "\r\n\0") or len(text.encode()) > MAX_HEADER_VALUE:
            raise CommandError(f"the {name} value is not a single line of at most {MAX_HEADER_VALUE} bytes", 400)
        h = pj.SipHeader()
        h.hName = name
        h.hValue = text
        vec.append(h)
    return vec


def service_account(engine: Engine, user: str) -> pj.Account:
    """Return the engine's non-registering account for ``user`` on the current PBX, made (again) when needed."""
    reg = engine.reg
    if reg is None or reg.account is None:
        raise CommandError("the softphone is not registered")
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", user):
        raise CommandError(f"{user!r} is not a SIP user name", 400)
    key = (user, reg.registrar or "", reg.transport)
    if engine.service_account is not None and engine.service_account[0] == key:
        return engine.service_account[1]
    if engine.service_account is not None:
        old, engine.service_account = engine.service_account[1], None
        with contextlib.suppress(pj.Error):
            old.shutdown()
        del old  # before the new one exists: pjsua2 reuses the slot, and a stale object's destructor deletes by id
    acc = pj.Account()
    acc.create(reg.service_config(user), False)
    engine.service_account = (key, acc)
    return acc


class ServiceCall(pj.Call):  # type: ignore[misc]
    """One service call; replies to command ``cid`` when it is over."""

    def __init__(self, engine: Engine, acc: pj.Account, cid: int, target: str) -> None:
        super().__init__(acc)
        self.engine = engine
        self.cid = cid
        self.target = target
        self.answered = False
        self.replied = False
        self.done = False

    def start(self, uri: str, headers: dict[str, str], timeout: float) -> None:
        prm = pj.CallOpParam(True)
        prm.txOption.headers = header_list(headers)
        self.makeCall(uri, prm)
        self.engine.services[self.cid] = self
        self.engine.later(timeout, self._expire)

    def onCallState(self, prm: Any) -> None:
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_CONFIRMED and not self.answered:
            self.answered = True
            self._reply(200, "")  # the PBX answered: done
            self.engine.later(0, self._hangup)  # never talk on it
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED and not self.done:
            self._finish(int(info.lastStatusCode), str(info.lastReason))

    def onCallMediaState(self, prm: Any) -> None:
        """Never connected to the headset: the PBX only answers, it has nothing to say."""

    def _hangup(self) -> None:
        if not self.done:
            with contextlib.suppress(pj.Error):
                self.hangup(pj.CallOpParam())

    def _expire(self) -> None:
        """No final answer in time: reply 408 now (a call with no provisional answer cannot be cancelled, and
        pjsua would only give up at Timer B, 32 s), and end the call as soon as pjsua can."""
        if not self.done and not self.replied:
            self._reply(408, f"the PBX did not answer {self.target} in time")
            self._hangup()

    def _reply(self, status: int, reason: str) -> None:
        if self.replied:
            return
        self.replied = True
        if status == 200:
            self.engine.send("ok", {"id": self.cid, "result": {"sip_status": 200}})
        else:
            log.info("service call %s refused: %s %s", self.target, status, reason)
            self.engine.send("err", {"id": self.cid, "reason": reason, "sip_status": status})

    def _finish(self, status: int, reason: str) -> None:
        self.done = True
        self.engine.services.pop(self.cid, None)
        self.engine.graveyard.append(self)  # freed on the engine thread, outside this callback
        self._reply(status or 500, f"the PBX refused {self.target}: {reason or 'no reason'}")
