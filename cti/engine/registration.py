"""Register the desk's account with keep-alives, retry by itself, and fail over through the PBX list."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

import pjsua2 as pj

from cti.engine.endpoint import create_tls
from cti.engine.sip import CommandError, EngineAccount

if TYPE_CHECKING:
    from cti.engine.core import Engine

log = logging.getLogger(__name__)
EXPIRES = 120
RETRY = 5
KEEPALIVE = 15
FAILOVER_AFTER = 2  # consecutive failures at one registrar before trying the next
PROBE = 30.0  # seconds between registrar probes (a REGISTER refresh), so a PBX restart is noticed


class Registration:
    """Own the pjsua2 account built from the desk's SipAccount fields."""

    def __init__(self, engine: Engine, *, extension: str, password: str, registrars: list[str],
                 transport: str = "udp", srtp_required: bool = False, ca_file: str | None = None,
                 probe_seconds: float = PROBE) -> None:
        if transport not in ("udp", "tcp", "tls"):
            raise CommandError(f"unknown SIP transport {transport!r}")
        if srtp_required and transport != "tls":
            raise CommandError("SRTP is mandatory only over TLS signalling (remote profile)")
        self.engine = engine
        self.extension = extension
        self.password = password
        self.registrars = registrars
        self.transport = transport
        self.srtp_required = srtp_required
        self.ca_file = ca_file
        self.index = 0
        self.failures = 0
        self.registered = False
        self.failover_due = False
        self.confirm_next = False  # report the next outcome even if unchanged (after a network change)
        self.probe_seconds = probe_seconds  # 0: only pjsua's own refresh (about every EXPIRES seconds)
        self._probed = time.monotonic()
        self.account: EngineAccount | None = None
        if transport == "tls" and "tls" not in engine.ports:
            engine.ports["tls"] = create_tls(engine.ep, bind=engine.bind, ca_file=ca_file)

    @property
    def registrar(self) -> str | None:
        return self.registrars[self.index] if self.registrars else None

    def uri(self, target: str) -> str:
        """Return the SIP URI for dialling ``target`` (an extension or number) through the current PBX."""
        if target.startswith(("sip:", "sips:")):
            return target
        if not self.registrar:
            raise CommandError("no PBX to dial through: give a full sip: URI")
        return f"sip:{target}@{self.registrar};transport={self.transport}"

    def _config(self) -> Any:
        cfg = pj.AccountConfig()
        host = self.registrar or self.engine.bind
        cfg.idUri = f"sip:{self.extension}@{host}"
        if self.registrar:
            cfg.regConfig.registrarUri = f"sip:{self.registrar};transport={self.transport}"
            cfg.regConfig.timeoutSec = EXPIRES
            cfg.regConfig.retryIntervalSec = RETRY
            cfg.regConfig.firstRetryIntervalSec = 1
            cfg.regConfig.randomRetryIntervalSec = 0
            cfg.regConfig.dropCallsOnFail = False
            cfg.sipConfig.proxies.append(f"sip:{self.registrar};transport={self.transport};lr")
            cred = pj.AuthCredInfo("digest", "*", self.extension, 0, self.password)
            cfg.sipConfig.authCreds.append(cred)
        else:
            cfg.regConfig.registerOnAdd = False
        cfg.natConfig.udpKaIntervalSec = KEEPALIVE
        cfg.natConfig.contactRewriteUse = 0
        cfg.natConfig.viaRewriteUse = 0
        cfg.natConfig.sdpNatRewriteUse = 0
        cfg.mediaConfig.transportConfig.boundAddress = self.engine.bind
        # No codec-locking UPDATE after an answer that lists several codecs (Asterisk answers every hold and resume
        # offer so): a hold or resume re-INVITE sent while that UPDATE is in flight goes out with the UPDATE's SDP,
        # and the PBX never sees the hold or the resume (tests/cti/lab/test_cti_signin.py, back-to-back cycles).
        cfg.mediaConfig.lockCodecEnabled = False
        if self.srtp_required:
            cfg.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_MANDATORY
            cfg.mediaConfig.srtpSecureSignaling = 1
        else:
            cfg.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_DISABLED
            cfg.mediaConfig.srtpSecureSignaling = 0
        return cfg

    def service_config(self, user: str) -> Any:
        """Return the config of an account that never registers and places calls as ``user`` (same password, same
        PBX and transport): the desk's service calls (cti.engine.service) come from their own SIP endpoint."""
        cfg = self._config()
        cfg.idUri = f"sip:{user}@{self.registrar or self.engine.bind}"
        cfg.regConfig.registrarUri = ""
        cfg.regConfig.registerOnAdd = False
        cfg.natConfig.udpKaIntervalSec = 0
        cfg.sipConfig.authCreds.clear()
        cfg.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", user, 0, self.password))
        cfg.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_DISABLED  # no audio ever flows on a service call
        cfg.mediaConfig.srtpSecureSignaling = 0
        if self.transport == "udp":  # bound to UDP: pjsip would move the authenticated INVITE (X-CSD-* headers,
            for tid in self.engine.ep.transportEnum():  # SDP and Authorization: > 1300 bytes) to a new TCP
                if str(self.engine.ep.transportGetInfo(tid).typeName).lower() == "udp":  # connection, which
                    cfg.sipConfig.transportId = tid  # sometimes got no answer at all (408 after 10 s)
                    break
        return cfg

    def start(self) -> None:
        """Create the account (registering now when there is a PBX)."""
        self.account = EngineAccount(self.engine)
        self.account.create(self._config(), True)
        if not self.registrars:
            self.engine.emit("registration_did_change", registered=False, sip_status=0,
                             reason="direct mode: no PBX", registrar="")

    def on_state(self, code: int, reason: str, expiration: int) -> None:
        ok = 200 <= code < 300 and expiration > 0
        if ok:
            self.failures = 0
            self._probed = time.monotonic()
        elif expiration > 0 or code >= 300 or code == 0:
            self.failures += 1
            if self.failures >= FAILOVER_AFTER and len(self.registrars) > 1:
                self.failover_due = True
        if ok != self.registered or not ok or self.confirm_next:
            self.confirm_next = False
            self.registered = ok
            self.engine.emit("registration_did_change", registered=ok, sip_status=code, reason=reason,
                             registrar=self.registrar or "")

    def tick(self) -> None:
        """Probe the registrar; move to the next one when the current one keeps failing (outside callbacks).

        The probe is a REGISTER refresh every ``probe_seconds`` while registered: a PBX that restarted and
        is still down, or came back without our contact, fails it, which is reported at once; pjsua then
        retries every RETRY seconds by itself until the PBX takes the registration again.
        """
        now = time.monotonic()
        if (self.registered and self.probe_seconds > 0 and self.account is not None and self.registrars
                and now - self._probed >= self.probe_seconds):
            self._probed = now
            with contextlib.suppress(pj.Error):  # a refresh already under way is probe enough
                self.account.setRegistration(True)
        if not self.failover_due or self.account is None:
            return
        self.failover_due = False
        self.failures = 0
        old = self.registrar
        self.index = (self.index + 1) % len(self.registrars)
        log.info("registration fails over to registrar %d", self.index)
        self.engine.emit("registration_did_failover", from_registrar=old or "", to_registrar=self.registrar or "")
        self.account.modify(self._config())

    def unregister(self) -> None:
        if self.account is not None and self.registrars:
            self.account.setRegistration(False)

    def shutdown(self) -> None:
        """Drop the account (pjsua2 unregisters on its way out)."""
        if self.account is not None:
            with contextlib.suppress(pj.Error):
                self.account.shutdown()
            self.account = None
