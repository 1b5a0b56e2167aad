"""The engine: pjsua2 on one thread, driven by commands, reporting events.

``Engine.run`` owns the thread: it polls pjsua2, executes queued commands, runs timers, refreshes
call quality and retires ended calls. Replies and events leave through ``send`` (thread-safe).
"""

from __future__ import annotations

import logging
import os
import queue
import random
import time
import traceback
from collections.abc import Callable
from typing import Any

import pjsua2 as pj

from cti.engine import quality as q
from cti.engine.audio import AudioBridge, zip_tone_frames
from cti.engine.commands import Commands
from cti.engine.echo import EchoTest
from cti.engine.endpoint import create_endpoint, destroy_endpoint
from cti.engine.invite import parse_offer
from cti.engine.registration import Registration
from cti.engine.service import ServiceCall
from cti.engine.sip import DEFER, BridgePort, CommandError, EngineAccount, EngineCall, from_pj, status_op

log = logging.getLogger(__name__)
Send = Callable[[str, dict[str, Any]], None]  # (message type, body)
QUALITY_EVERY = 5.0
AUTO_ANSWER_DELAY = 0.5
PENDING_TIMEOUT = 15.0
GLARE_RETRIES = 2  # a hold or resume that met the far end's own re-INVITE (491) is sent again, at most this often


class Engine:
    """Hold the endpoint, the account, the calls and the audio bridge."""

    def __init__(self, *, send: Send, bridge: AudioBridge, bind: str = "127.0.0.1", sip_port: int = 0) -> None:
        self.send = send
        self.bridge = bridge
        self.bind = bind
        self.commands = Commands(self)
        self.sip_port = sip_port
        self.ep: Any = None
        self.ports: dict[str, int] = {}
        self.port: BridgePort | None = None
        self.account: EngineAccount | None = None
        self.reg: Registration | None = None
        self.calls: dict[str, EngineCall] = {}
        self.graveyard: list[Any] = []
        self.pending: dict[str, tuple[str, int, float]] = {}  # call_ref -> (op, command id, deadline)
        self.timers: list[tuple[float, Callable[[], None]]] = []
        self.auto_answer = False
        self.srtp_required = False
        self.stopping = False
        self.echo: EchoTest | None = None
        self.services: dict[int, ServiceCall] = {}  # by command id: feature-code calls (cti.engine.service)
        self.service_account: tuple[tuple[str, str, str], Any] | None = None  # (user, registrar, transport), account
        self._launch = os.urandom(3).hex()
        self._seq = 0

    # --- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Create the library on this thread and open the audio devices."""
        self.ep, self.ports = create_endpoint(bind=self.bind, sip_port=self.sip_port)
        self.port = BridgePort(self.bridge)
        self.bridge.start()

    def run(self, commands: queue.Queue[tuple[int, str, dict[str, Any]]]) -> None:
        """Serve until a shutdown command or ``stopping`` is set."""
        next_quality = next_watch = time.monotonic()
        while not self.stopping:
            self.ep.libHandleEvents(10)
            while True:
                try:
                    cid, op, args = commands.get_nowait()
                except queue.Empty:
                    break
                self.execute(cid, op, args)
            now = time.monotonic()
            self._run_timers(now)
            self.graveyard.clear()
            if now >= next_watch:
                next_watch = now + 1.0
                self.bridge.watch()
                self._expire_pending(now)
                if self.reg is not None:
                    self.reg.tick()
            if now >= next_quality:
                next_quality = now + QUALITY_EVERY
                self._report_quality()

    def shutdown(self) -> None:
        """Hang up, unregister and destroy pjsua2 in the safe order; close the audio devices."""
        self.bridge.stop()

        def drop() -> None:
            self.calls.clear()
            self.services.clear()
            self.service_account = None
            self.graveyard.clear()
            self.echo = None
            if self.reg is not None:
                self.reg.shutdown()
                self.reg = None
            self.account = None
            self.port = None

        def pump() -> None:
            self.ep.libHandleEvents(20)
            self.graveyard.clear()

        destroy_endpoint(self.ep, pump, drop)
        self.ep = None
        self.bridge.release()  # the stream threads had the library's teardown to finish in

    # --- plumbing -------------------------------------------------------------------------------------

    def emit(self, name: str, **data: Any) -> None:
        """Send an event to the desk."""
        self.send("evt", {"name": name, "data": data})

    def execute(self, cid: int, op: str, args: dict[str, Any]) -> None:
        """Run one command and reply, unless the handler defers its reply (returns ``DEFER``)."""
        handler = self.commands.handlers().get(op)
        try:
            if handler is None:
                raise CommandError(f"unknown command {op!r}")
            result = handler(cid, **args)
        except CommandError as exc:
            self.send("err", {"id": cid, "reason": exc.reason, "sip_status": exc.sip_status})
            return
        except pj.Error as exc:
            err = from_pj(exc, op)
            self.send("err", {"id": cid, "reason": err.reason, "sip_status": err.sip_status})
            return
        except TypeError as exc:
            self.send("err", {"id": cid, "reason": f"bad arguments for {op}: {exc}", "sip_status": 0})
            return
        except Exception as exc:  # a defect in one command must not end the engine and the calls it holds
            where = traceback.extract_tb(exc.__traceback__)[-1]
            # type and place only: an exception's text can carry a number or a name
            log.error("command %s failed: %s at %s:%s", op, type(exc).__name__, where.filename, where.lineno)
            self.send("err", {"id": cid, "reason": f"{op} failed inside the engine ({type(exc).__name__})",
                              "sip_status": 0})
            return
        if result is not DEFER:
            self.send("ok", {"id": cid, "result": result})

    def later(self, delay: float, fn: Callable[[], None]) -> None:
        """Run ``fn`` on this thread after ``delay`` seconds."""
        self.timers.append((time.monotonic() + delay, fn))

    def _run_timers(self, now: float) -> None:
        due = [t for t in self.timers if t[0] <= now]
        if due:
            self.timers = [t for t in self.timers if t[0] > now]
            for _, fn in due:
                fn()

    def new_ref(self) -> str:
        self._seq += 1
        return f"{self._launch}-{self._seq}"

    def call(self, call_ref: str) -> EngineCall:
        """Return the live call named ``call_ref`` or raise a readable error."""
        c = self.calls.get(call_ref)
        if c is None:
            raise CommandError("no such call (it may have ended)", 481)
        return c

    def defer(self, call: EngineCall, op: str, cid: int) -> object:
        """Reply to command ``cid`` later, when the outcome of ``op`` on ``call`` is known."""
        self.pending[call.ref] = (op, cid, time.monotonic() + PENDING_TIMEOUT)
        call.glare_retries = 0
        return DEFER

    def settle(self, call: EngineCall, op: str, *, status: int = 200, reason: str = "") -> None:
        """Answer a deferred command for ``call`` if it is waiting on ``op``."""
        p = self.pending.get(call.ref)
        if p is None or p[0] != op:
            return
        del self.pending[call.ref]
        if status < 300:
            self.send("ok", {"id": p[1], "result": None})
        else:
            self.send("err", {"id": p[1], "reason": f"{op} failed: {reason}", "sip_status": status})

    def _expire_pending(self, now: float) -> None:
        for ref, (op, cid, deadline) in list(self.pending.items()):
            if deadline <= now:
                del self.pending[ref]
                self.send("err", {"id": cid, "reason": f"{op} timed out", "sip_status": 408})

    # --- from pjsua2 ------------------------------------------------------------------------------------

    def on_reg_state(self, code: int, reason: str, expiration: int) -> None:
        if self.reg is not None:
            self.reg.on_state(code, reason, expiration)

    def on_incoming(self, acc: EngineAccount, call_id: int, msg: str) -> None:
        rx_at = time.monotonic()  # pjsip has parsed the INVITE; the desk measures from here
        ref = self.new_ref()
        call = EngineCall(self, acc, ref, "inbound", call_id)
        self.calls[ref] = call
        offer = parse_offer(msg)
        self.emit("call_did_offer", call_ref=ref, direction="inbound", rx_at=rx_at, **offer)
        try:
            call.answer(status_op(180))
        except pj.Error:
            log.warning("could not send 180 for %s", ref)
        if self.auto_answer:
            self.bridge.cue(zip_tone_frames())
            self.later(AUTO_ANSWER_DELAY, lambda: self._auto_answer(ref))
        else:
            self.bridge.ring(True)

    def _auto_answer(self, ref: str) -> None:
        c = self.calls.get(ref)
        if c is not None and not c.confirmed:
            try:
                c.answer(status_op(200))
            except pj.Error:
                log.warning("auto-answer failed for %s", ref)

    def on_call_confirmed(self, call: EngineCall) -> None:
        call.answered_at = time.monotonic()
        self._update_ringer()
        self.emit("call_did_answer", call_ref=call.ref)
        self.settle(call, "answer")

    def on_call_disconnected(self, call: EngineCall, status: int, reason: str) -> None:
        self.calls.pop(call.ref, None)
        self.graveyard.append(call)
        self._update_ringer()
        for op in ("answer", "hold", "unhold", "blind_transfer", "attended_transfer"):
            self.settle(call, op, status=status if status >= 300 else 487, reason=reason or "call ended")
        if not call.confirmed and status >= 300 and call.direction == "outbound":
            self.emit("call_did_fail", call_ref=call.ref, sip_status=status, reason=reason)
        talk = time.monotonic() - call.answered_at if call.answered_at else 0.0
        self.emit("call_did_end", call_ref=call.ref, cause=f"{status} {reason}".strip(), talk_seconds=round(talk, 3))
        if self.echo is not None:
            self.echo.on_end(call)

    def on_call_media(self, call: EngineCall) -> None:
        assert self.port is not None
        held = False
        info = call.getInfo()  # keep it alive while reading its media vector
        for i, mi in enumerate(info.media):
            log.debug("media %s: stream %d status %d", call.ref, i, mi.status)
            if mi.type != pj.PJMEDIA_TYPE_AUDIO:
                continue
            if mi.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                am = call.getAudioMedia(i)
                am.startTransmit(self.port)
                if not call.muted:
                    self.port.startTransmit(am)
            elif mi.status in (pj.PJSUA_CALL_MEDIA_LOCAL_HOLD, pj.PJSUA_CALL_MEDIA_NONE):
                held = mi.status == pj.PJSUA_CALL_MEDIA_LOCAL_HOLD
        if held and not call.on_hold:
            call.on_hold = True
            self.emit("call_did_hold", call_ref=call.ref)
            self.settle(call, "hold")
        elif not held and call.on_hold:
            call.on_hold = False
            self.emit("call_did_unhold", call_ref=call.ref)
            self.settle(call, "unhold")
        if self.echo is not None:
            self.echo.on_media(call)

    def on_call_reinvite_done(self, call: EngineCall, status: int, reason: str) -> None:
        p = self.pending.get(call.ref)
        op = p[0] if p is not None else None
        if status == 491 and op in ("hold", "unhold") and call.glare_retries < GLARE_RETRIES and not call.ended:
            # Glare: the far end sent its own re-INVITE at the same moment. RFC 3261 14.1: try again after a random
            # wait, 2.1-4 s if this side chose the dialog's Call-ID (it placed the call), else 0-2 s.
            call.glare_retries += 1
            delay = random.uniform(2.1, 4.0) if call.direction == "outbound" else random.uniform(0.0, 2.0)
            log.info("call %s: %s crossed the far end's re-INVITE (491); again in %.1f s", call.ref, op, delay)
            self.later(delay, lambda: self._reinvite_again(call, str(op)))
            return
        if status >= 300:
            for o in ("hold", "unhold"):
                self.settle(call, o, status=status, reason=reason)

    def _reinvite_again(self, call: EngineCall, op: str) -> None:
        p = self.pending.get(call.ref)
        if call.ended or p is None or p[0] != op:
            return  # hung up, or timed out and answered meanwhile
        try:
            if op == "hold":
                call.setHold(pj.CallOpParam(True))
            else:
                prm = pj.CallOpParam(True)
                prm.opt.flag = pj.PJSUA_CALL_UNHOLD
                call.reinvite(prm)
        except pj.Error as exc:
            err = from_pj(exc, op)
            self.settle(call, op, status=err.sip_status or 500, reason=str(getattr(exc, "reason", "") or exc).strip())

    def on_transfer_status(self, call: EngineCall, status: int, reason: str, final: bool) -> None:
        self.emit("call_transfer_did_progress", call_ref=call.ref, sip_status=status, final=final)
        if final or status >= 300:
            for op in ("blind_transfer", "attended_transfer"):
                self.settle(call, op, status=status, reason=reason)
        if final and 200 <= status < 300 and not call.ended:
            self.later(0, lambda: self._hangup_quietly(call))  # transferred: this leg is done

    def _hangup_quietly(self, call: EngineCall) -> None:
        if not call.ended:
            try:
                call.hangup(pj.CallOpParam())
            except pj.Error:
                log.info("transferred call %s was already gone", call.ref)

    def _update_ringer(self) -> None:
        ringing = any(c.direction == "inbound" and not c.confirmed for c in self.calls.values())
        self.bridge.ring(ringing and not self.auto_answer)

    def _report_quality(self) -> None:
        for call in list(self.calls.values()):
            if not call.confirmed or call.on_hold:
                continue
            try:
                media = call.audio_media()
                if not media:
                    continue
                idx = media[0][0]
                stat = call.getStreamStat(idx).rtcp
                codec = str(call.getStreamInfo(idx).codecName)
            except pj.Error:
                continue
            pkt, loss = int(stat.rxStat.pkt), int(stat.rxStat.loss)
            d_pkt, d_loss = pkt - call.quality_prev[0], loss - call.quality_prev[1]
            call.quality_prev = (pkt, loss)
            loss_pct = 100.0 * d_loss / (d_pkt + d_loss) if d_pkt + d_loss > 0 else 0.0
            est = q.estimate(jitter_ms=stat.rxStat.jitterUsec.last / 1000, loss_pct=loss_pct,
                             rtt_ms=stat.rttUsec.last / 1000, codec=codec)
            self.emit("call_quality_did_update", call_ref=call.ref, mos=est.mos, jitter_ms=est.jitter_ms,
                      loss_pct=round(est.loss_pct, 2), rtt_ms=est.rtt_ms, codec=codec)

