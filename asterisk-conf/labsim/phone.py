"""A small pjsua2 user agent for tests and the simulator: one Endpoint, many accounts, no sound card.

pjsua2 allows one library instance per process, so a ``Phones`` object owns the Endpoint and every
account (``Line``) and call (``Leg``) made from it. All pjsua2 calls happen on the thread that built the
``Phones`` (it polls ``libHandleEvents``; no pjsua2 worker threads). Close it with ``close()`` (or use it
as a context manager): calls are hung up, accounts shut down and the library destroyed in that order.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
import weakref
from collections.abc import Callable

import pjsua2 as pj

from labsim.labinfo import SIM_ENDPOINT, LabInfo
from labsim.leg import Leg, PhoneError

__all__ = ["MAX_CALLS", "Leg", "Line", "PhoneError", "Phones"]

# pjlib cannot start again in a process once destroyed (it asserts), so refuse with a readable error.
_LIBRARY_USED = threading.Event()
MAX_CALLS = 4  # the wheel is built with PJSUA_MAX_CALLS=4: more needs more processes (checked)
GC_EVERY = 5.0  # seconds between garbage collections on the pjsua2 thread



class Line(pj.Account):  # type: ignore[misc]
    """One SIP account at the lab: an agent extension, a lead, or a simulator caller identity."""

    def __init__(self, phones: Phones, user: str, transport: str = "udp") -> None:
        super().__init__()
        self._phones = weakref.ref(phones)
        self.user = user
        self.transport = transport
        self.reg_code = 0
        self.incoming: list[Leg] = []
        self.on_incoming: Callable[[Leg], None] | None = None

    @property
    def phones(self) -> Phones:
        phones = self._phones()
        if phones is None:
            raise PhoneError("the Phones of this line is closed")
        return phones

    def onRegState(self, prm: pj.OnRegStateParam) -> None:
        self.reg_code = int(prm.code)

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        leg = Leg(self, prm.callId, prm.rdata.wholeMsg)
        leg.state = pj.PJSIP_INV_STATE_INCOMING
        self.incoming.append(leg)
        self.phones.legs.append(leg)
        if self.on_incoming is not None:
            self.on_incoming(leg)

    @property
    def registered(self) -> bool:
        return self.reg_code == 200

    def call(self, dest: str, headers: dict[str, str] | None = None) -> Leg:
        """Call ``dest`` (a number at the lab, or a full SIP URI); return the new leg."""
        uri = dest if dest.startswith("sip") else self.phones.lab.sip_uri(dest, self.transport)
        leg = Leg(self)
        prm = pj.CallOpParam(True)
        for name, value in (headers or {}).items():
            h = pj.SipHeader()
            h.hName, h.hValue = name, value
            prm.txOption.headers.append(h)
        leg.makeCall(uri, prm)
        self.phones.legs.append(leg)
        return leg


class Phones:
    """Own the process's single pjsua2 Endpoint and every line and call made through it."""

    def __init__(self, lab: LabInfo, transport: str = "udp", log_level: int = 1) -> None:
        self.lab = lab
        self.transport = transport
        self.thread = threading.get_ident()
        self.lines: list[Line] = []
        self.legs: list[Leg] = []
        if _LIBRARY_USED.is_set():
            raise PhoneError("pjsua2 runs once per process: reuse the one Phones object (see PLATFORM-NOTES)")
        _LIBRARY_USED.set()
        # pjlib aborts when a pjsua2 object is freed on a thread it does not know, and the cyclic GC runs on
        # whatever thread allocates (an AMI reader, say). So automatic GC is off while Phones lives; pump()
        # collects on this thread instead, and close() turns it back on.
        self._gc_was_enabled = gc.isenabled()
        gc.disable()
        self._next_gc = time.monotonic() + GC_EVERY
        self.ep = pj.Endpoint()
        self.ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.userAgent = "csdesk-labsim"
        cfg.uaConfig.maxCalls = MAX_CALLS
        cfg.logConfig.level = log_level
        cfg.logConfig.consoleLevel = log_level
        cfg.medConfig.noVad = True
        cfg.medConfig.clockRate = 16000
        cfg.medConfig.sndClockRate = 16000
        self.ep.libInit(cfg)
        self.transports: dict[str, int] = {}
        for name, kind in (("udp", pj.PJSIP_TRANSPORT_UDP), ("tcp", pj.PJSIP_TRANSPORT_TCP),
                           ("tls", pj.PJSIP_TRANSPORT_TLS)):
            tcfg = pj.TransportConfig()
            tcfg.boundAddress = "127.0.0.1"
            tcfg.port = 0
            if name == "tls":
                if not lab.ca_cert.is_file():
                    continue
                tcfg.tlsConfig.CaListFile = str(lab.ca_cert)
                tcfg.tlsConfig.verifyServer = True
                tcfg.tlsConfig.method = pj.PJSIP_TLSV1_2_METHOD
            self.transports[name] = self.ep.transportCreate(kind, tcfg)
        if transport not in self.transports:
            raise PhoneError(f"no {transport} transport (TLS needs the lab CA at {lab.ca_cert})")
        self.ep.libStart()
        self.ep.audDevManager().setNullDev()
        self._closed = False

    def __enter__(self) -> Phones:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_thread(self) -> None:
        if threading.get_ident() != self.thread:
            raise PhoneError("pjsua2 used from a thread other than the one that created Phones")

    def line(self, user: str, *, password: str | None = None, auth_user: str | None = None,
             register: bool = True, display: str = "", transport: str | None = None,
             srtp: bool | None = None) -> Line:
        """Add an account as ``user`` (From user / caller ID); auth as ``auth_user`` (default: user).

        ``transport`` is udp, tcp or tls (default: the Phones' one); ``srtp`` makes SRTP (SDES) mandatory
        and defaults to on for tls, as the remote endpoints r1001..r1010 require.
        """
        self._check_thread()
        auth = auth_user or user
        tp = transport or self.transport
        if tp not in self.transports:
            raise PhoneError(f"no {tp} transport in this Phones")
        acfg = pj.AccountConfig()
        name = f'"{display}" ' if display else ""
        acfg.idUri = f"{name}<sip:{user}@{self.lab.host}>"
        acfg.regConfig.registrarUri = self.lab.sip_uri("", tp)
        acfg.sipConfig.transportId = self.transports[tp]
        if srtp if srtp is not None else tp == "tls":
            acfg.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_MANDATORY
            acfg.mediaConfig.srtpSecureSignaling = 1
        acfg.regConfig.registerOnAdd = register
        acfg.regConfig.timeoutSec = 300
        cred = pj.AuthCredInfo("digest", "*", auth, 0, password or self.lab.sip_password(auth))
        acfg.sipConfig.authCreds.append(cred)
        acfg.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
        ln = Line(self, user, tp)
        ln.create(acfg)
        if user == SIM_ENDPOINT:
            # pjsua picks the account for an incoming INVITE by R-URI user (a mobile number here),
            # falling back to the default account: make that the network side.
            ln.setDefault()
        self.lines.append(ln)
        if register:
            self.wait(lambda: ln.reg_code != 0, 10, f"registration of {user}")
            if not ln.registered:
                raise PhoneError(f"registration of {user} failed with SIP {ln.reg_code}")
        return ln

    def pump(self, seconds: float = 0.05) -> None:
        """Handle pjsua2 events for about ``seconds``."""
        self._check_thread()
        end = time.monotonic() + seconds
        while True:
            self.ep.libHandleEvents(10)
            now = time.monotonic()
            if now >= self._next_gc:
                self._next_gc = now + GC_EVERY
                gc.collect()
            if now >= end:
                return

    def wait(self, cond: Callable[[], bool], timeout: float, what: str) -> None:
        """Pump events until ``cond()`` holds; raise PhoneError naming ``what`` after ``timeout`` s."""
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise PhoneError(f"timed out after {timeout:.0f} s waiting for {what}")
            self.pump(0.02)

    def reset(self) -> None:
        """Hang up every call and shut down every line, keeping the library for the next user."""
        self._check_thread()
        self._hangup_all()
        for leg in self.legs:
            leg._player = None
            leg._recorder = None
            # The caller (a test's frame, a traceback) may still hold the leg and free it later on another
            # thread; hand the ended call to the library instead (a small leak, never an abort).
            leg.__disown__()
        self.legs.clear()
        for ln in self.lines:
            ln.incoming.clear()
            ln.on_incoming = None
            ln.shutdown()
            ln.__disown__()  # a stale Line freed later must not touch a reused account slot
        self.lines.clear()
        self.pump(0.2)
        gc.collect()

    def _hangup_all(self) -> None:
        with contextlib.suppress(pj.Error):
            self.ep.hangupAllCalls()
        end = time.monotonic() + 3
        while time.monotonic() < end and any(not leg.ended for leg in self.legs):
            self.ep.libHandleEvents(20)
        self.pump(0.1)

    def close(self) -> None:
        """Hang up everything, shut accounts down and destroy the library (in that order)."""
        if self._closed:
            return
        self._closed = True
        self._check_thread()
        self._hangup_all()
        for leg in self.legs:
            leg._player = None
            leg._recorder = None
            # A caller may still hold a Leg; its C++ destructor after libDestroy would abort the process,
            # so hand the C++ object to the library (a small leak at shutdown instead of an abort).
            leg.__disown__()
        self.legs.clear()
        for ln in self.lines:
            ln.incoming.clear()
            ln.shutdown()
            ln.__disown__()  # a stale Line freed later must not touch a reused account slot
        self.pump(0.1)
        self.lines.clear()
        gc.collect()
        self.ep.libDestroy()
        if self._gc_was_enabled:
            gc.enable()
