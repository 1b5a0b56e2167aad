"""Create and destroy the pjsua2 library in the order that never aborts."""

from __future__ import annotations

import contextlib
import gc
import logging
from typing import Any

import pjsua2 as pj

from cti.engine.backends import RATE

log = logging.getLogger(__name__)
MAX_CALLS = 6
CODECS = {"G722/16000": 255, "PCMA/8000": 254, "PCMU/8000": 253}  # wideband first; the rest are off


def create_endpoint(*, bind: str, sip_port: int) -> tuple[Any, dict[str, int]]:
    """Start pjsua2 on this thread with the null sound device, our codec order and UDP+TCP transports."""
    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = True
    cfg.uaConfig.userAgent = "csdesk-engine"
    cfg.uaConfig.maxCalls = MAX_CALLS  # a desk needs a few; a cap also bounds sockets in the 64-slot ioqueue
    cfg.logConfig.level = 1
    cfg.logConfig.consoleLevel = 1
    cfg.medConfig.clockRate = RATE
    cfg.medConfig.sndClockRate = RATE
    cfg.medConfig.noVad = True
    cfg.medConfig.ecTailLen = 0  # the headset is the echo canceller; pjmedia's AEC needs a sound device clock
    ep.libInit(cfg)
    ep.audDevManager().setNullDev()
    ports: dict[str, int] = {}
    for name, kind in (("udp", pj.PJSIP_TRANSPORT_UDP), ("tcp", pj.PJSIP_TRANSPORT_TCP)):
        tc = pj.TransportConfig()
        tc.boundAddress = bind
        tc.port = sip_port
        tid = ep.transportCreate(kind, tc)
        ports[name] = int(ep.transportGetInfo(tid).localName.rsplit(":", 1)[1])
    ep.libStart()
    for codec in ep.codecEnum2():
        base = "/".join(str(codec.codecId).split("/")[:2])
        ep.codecSetPriority(codec.codecId, CODECS.get(base, 0))
    return ep, ports


def create_tls(ep: Any, *, bind: str, ca_file: str | None, verify: bool = True) -> int:
    """Add a TLS 1.2 client/server transport that verifies the server against ``ca_file``; return its port."""
    tc = pj.TransportConfig()
    tc.boundAddress = bind
    tc.port = 0
    tls = tc.tlsConfig
    tls.method = pj.PJSIP_TLSV1_2_METHOD
    if ca_file:
        tls.CaListFile = ca_file
    tls.verifyServer = verify
    tid = ep.transportCreate(pj.PJSIP_TRANSPORT_TLS, tc)
    return int(ep.transportGetInfo(tid).localName.rsplit(":", 1)[1])


def destroy_endpoint(ep: Any, pump: Any, drop: Any) -> None:
    """Hang up, pump events, drop Python-held objects, then destroy the library."""
    with contextlib.suppress(pj.Error):
        ep.hangupAllCalls()
    for _ in range(30):
        pump()
    drop()
    gc.collect()  # a Call caught in a reference cycle must die before the library does
    for _ in range(10):
        pump()
    ep.libDestroy()
