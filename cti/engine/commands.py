"""The engine's commands, one method each: ``op`` on the wire is the method name without ``cmd_``.

Each takes the command id and the message's args; it returns a JSON-able result, raises CommandError,
or returns DEFER and settles the reply later (when the PBX has answered a re-INVITE or a REFER).
"""

from __future__ import annotations

import gc
import os
import sys
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pjsua2 as pj

from cti.engine.backends import REPORTS_UNDERFLOWS
from cti.engine.echo import EchoTest
from cti.engine.registration import PROBE, Registration
from cti.engine.service import ServiceCall, service_account
from cti.engine.sip import DEFER, CommandError, EngineCall, from_pj, status_op

if TYPE_CHECKING:
    from cti.engine.core import Engine


class Commands:
    """The engine's wire commands: every ``cmd_*`` method is one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def handlers(self) -> dict[str, Callable[..., Any]]:
        """Return the command handlers by wire name."""
        return {name[4:]: getattr(self, name) for name in dir(self) if name.startswith("cmd_")}

    def cmd_info(self, cid: int) -> dict[str, Any]:
        return {"pid": os.getpid(), "ports": dict(self.engine.ports), "backend": self.engine.bridge.backend.name,
                "calls": sorted(self.engine.calls), "registered": bool(self.engine.reg and self.engine.reg.registered),
                "call_objects": sum(isinstance(o, EngineCall) for o in gc.get_objects()),
                "gil_switch_ms": round(sys.getswitchinterval() * 1000, 3)}

    def cmd_register(self, cid: int, *, extension: str, password: str, registrars: list[str],
                     transport: str = "udp", srtp_required: bool = False, ca_file: str | None = None,
                     auto_answer: bool = False, probe_seconds: float = PROBE) -> dict[str, Any]:
        if self.engine.reg is not None:
            self.engine.reg.shutdown()
        self.engine.reg = Registration(self.engine, extension=extension, password=password, registrars=list(registrars),
                                transport=transport, srtp_required=srtp_required, ca_file=ca_file,
                                probe_seconds=probe_seconds)
        self.engine.auto_answer = auto_answer
        self.engine.srtp_required = srtp_required
        self.engine.reg.start()
        return {"ports": dict(self.engine.ports)}

    def cmd_unregister(self, cid: int) -> None:
        if self.engine.reg is not None:
            self.engine.reg.unregister()

    def cmd_set_auto_answer(self, cid: int, *, on: bool) -> None:
        self.engine.auto_answer = on

    def cmd_answer(self, cid: int, *, call_ref: str) -> object:
        call = self.engine.call(call_ref)
        if call.direction != "inbound" or call.confirmed:
            raise CommandError("this call is not ringing here", 400)
        call.answer(status_op(200))  # the 200 OK leaves inside this call: before the ringer is touched
        self.engine.bridge.ring(False)
        return self.engine.defer(call, "answer", cid)

    def cmd_reject(self, cid: int, *, call_ref: str, status: int = 486) -> None:
        call = self.engine.call(call_ref)
        if call.confirmed:
            raise CommandError("the call is already answered: hang up instead", 400)
        prm = pj.CallOpParam()
        prm.statusCode = status
        call.hangup(prm)

    def cmd_hangup(self, cid: int, *, call_ref: str) -> None:
        call = self.engine.call(call_ref)
        prm = pj.CallOpParam()
        if call.direction == "inbound" and not call.confirmed:
            prm.statusCode = 486
        call.hangup(prm)

    def cmd_hold(self, cid: int, *, call_ref: str) -> object:
        call = self._talking(call_ref)
        if call.on_hold:
            raise CommandError("the call is already on hold", 491)
        call.setHold(pj.CallOpParam(True))
        return self.engine.defer(call, "hold", cid)

    def cmd_unhold(self, cid: int, *, call_ref: str) -> object:
        call = self._talking(call_ref)
        if not call.on_hold:
            raise CommandError("the call is not on hold", 491)
        prm = pj.CallOpParam(True)
        prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        call.reinvite(prm)
        return self.engine.defer(call, "unhold", cid)

    def cmd_mute(self, cid: int, *, call_ref: str, on: bool) -> None:
        call = self._talking(call_ref)
        call.muted = on
        assert self.engine.port is not None
        for _, am in call.audio_media():
            if on:
                self.engine.port.stopTransmit(am)
            else:
                self.engine.port.startTransmit(am)

    def cmd_dtmf(self, cid: int, *, call_ref: str, digits: str, method: str = "auto") -> dict[str, str]:
        """Send DTMF: RFC 4733 when the call negotiated telephone-event, else (or when asked) SIP INFO."""
        call = self._talking(call_ref)
        if not digits or any(d not in "0123456789*#ABCD" for d in digits.upper()):
            raise CommandError("DTMF digits must be 0-9, *, # or A-D")
        if method not in ("auto", "rfc4733", "sip-info"):
            raise CommandError("DTMF method must be auto, rfc4733 or sip-info")
        if method != "sip-info":
            try:
                call.dialDtmf(digits)
                return {"method": "rfc4733"}
            except pj.Error as exc:  # PJMEDIA_RTP_EREMNORFC2833: no telephone-event negotiated
                if method == "rfc4733":
                    raise from_pj(exc, "dtmf") from exc
        for d in digits:  # SIP INFO (application/dtmf-relay): one request per digit
            prm = pj.CallSendDtmfParam()
            prm.method = pj.PJSUA_DTMF_METHOD_SIP_INFO
            prm.digits = d
            call.sendDtmf(prm)
        return {"method": "sip-info"}

    def cmd_dial(self, cid: int, *, target: str) -> dict[str, str]:
        if self.engine.reg is None or self.engine.reg.account is None:
            raise CommandError("the softphone is not registered")
        uri = self.engine.reg.uri(target)
        ref = self.engine.new_ref()
        call = EngineCall(self.engine, self.engine.reg.account, ref, "outbound")
        call.makeCall(uri, pj.CallOpParam(True))
        self.engine.calls[ref] = call
        return {"call_ref": ref}

    def cmd_blind_transfer(self, cid: int, *, call_ref: str, target: str) -> object:
        call = self._talking(call_ref)
        if self.engine.reg is None:
            raise CommandError("the softphone is not registered")
        call.xfer(self.engine.reg.uri(target), pj.CallOpParam(True))
        return self.engine.defer(call, "blind_transfer", cid)

    def cmd_attended_transfer(self, cid: int, *, call_ref: str, consult_ref: str) -> object:
        call = self.engine.call(call_ref)
        consult = self._talking(consult_ref)
        call.xferReplaces(consult, pj.CallOpParam(True))
        return self.engine.defer(call, "attended_transfer", cid)

    def cmd_devices(self, cid: int) -> dict[str, Any]:
        try:
            found = self.engine.bridge.backend.devices()
        except OSError as exc:  # no sound server (yet, or it is restarting): the backend says which and why
            raise CommandError(str(exc)) from exc
        return {"devices": found, "selected": dict(self.engine.bridge.devices)}

    def cmd_select_device(self, cid: int, *, role: str, device: str | None) -> None:
        try:
            self.engine.bridge.select(role, device)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def cmd_volume(self, cid: int, *, output: float | None = None, input: float | None = None) -> None:
        for value in (output, input):
            if value is not None and not 0.0 <= value <= 4.0:
                raise CommandError("volume must be between 0.0 and 4.0")
        if output is not None:
            self.engine.bridge.out_gain = float(output)
        if input is not None:
            self.engine.bridge.in_gain = float(input)

    def cmd_audio_stats(self, cid: int, *, reset: bool = False) -> dict[str, Any]:
        st = self.engine.bridge.stats
        reported = getattr(self.engine.bridge.backend, "name", "") in REPORTS_UNDERFLOWS
        out = {"played": st.played, "misses": st.misses, "dropped": st.dropped, "from_call": st.from_call,
               "to_call": st.to_call, "max_gap_ms": round(st.max_gap_ms, 2), "trimmed": st.trimmed,
               "stretched": st.stretched,
               # gaps the headset device itself played; None where the backend cannot tell (soundcard)
               "device_underflows": st.device_underflows if reported else None}
        if reset:
            st.played = st.misses = st.dropped = st.from_call = st.to_call = st.trimmed = st.stretched = 0
            st.device_underflows = 0
            st.max_gap_ms = 0.0
        return out

    def cmd_tap(self, cid: int, *, frames: int = 0) -> None:
        """Keep the last ``frames`` headset frames for inspection (0 turns the tap off)."""
        self.engine.bridge.tap = deque(maxlen=frames) if frames > 0 else None

    def cmd_echo_test(self, cid: int, *, target: str = "9196") -> object:
        if self.engine.echo is not None:
            raise CommandError("an echo test is already running")
        if self.engine.reg is None or self.engine.reg.account is None:
            raise CommandError("the softphone is not registered")
        self.engine.echo = EchoTest(self.engine, cid)
        self.engine.echo.start(self.engine.reg.uri(target))
        return DEFER

    def cmd_service_call(self, cid: int, *, target: str, headers: dict[str, str] | None = None,
                         timeout: float = 10.0, caller: str | None = None) -> object:
        """Call a PBX feature extension with X-CSD-* headers, as ``caller`` (a SIP user with the same password) or
        as the registered account; reply with its SIP answer (cti.engine.service)."""
        if self.engine.reg is None or self.engine.reg.account is None:
            raise CommandError("the softphone is not registered")
        if not 0 < timeout <= 60:
            raise CommandError("a service call's timeout must be within 60 s")
        acc = service_account(self.engine, caller) if caller else self.engine.reg.account
        call = ServiceCall(self.engine, acc, cid, target)
        call.start(self.engine.reg.uri(target), dict(headers or {}), timeout)
        return DEFER

    def cmd_network_changed(self, cid: int) -> None:
        """Re-create transports and re-register after the desk's network changed (VPN up, Wi-Fi hop)."""
        self.engine.ep.handleIpChange(pj.IpChangeParam())
        reg = self.engine.reg
        if reg is not None and reg.account is not None and reg.registrars:
            reg.confirm_next = True
            reg.account.setRegistration(True)  # REGISTER again now, whatever handleIpChange decided

    def cmd_shutdown(self, cid: int) -> None:
        self.engine.stopping = True

    def _talking(self, call_ref: str) -> EngineCall:
        call = self.engine.call(call_ref)
        if not call.confirmed:
            raise CommandError("the call is not answered yet", 400)
        return call
