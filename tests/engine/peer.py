"""A far-end phone for engine tests: pjsua2 in its own process, driven by JSON lines on stdin.

Prints JSON lines: first {"ready": ..., "ports": {...}}, then events ({"evt": ...}) and replies
({"re": <op>, ...}). It answers calls by itself (``--answer``), can play a tone, echo what it hears,
measure the dominant frequency it receives, and reports DTMF, hold and transfers it observes.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import select
import sys
import time
from typing import Any

import numpy as np
import pjsua2 as pj

from cti.engine.sip import read_vector

RATE = 16000


def status_op(code: int) -> Any:
    prm = pj.CallOpParam()
    prm.statusCode = code
    return prm


def out(**obj: Any) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Ear(pj.AudioMediaPort):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[bytes] = []
        fmt = pj.MediaFormatAudio()
        fmt.type = pj.PJMEDIA_TYPE_AUDIO
        fmt.clockRate, fmt.channelCount, fmt.bitsPerSample, fmt.frameTimeUsec = RATE, 1, 16, 20000
        self.createPort("ear", fmt)

    def onFrameRequested(self, frame: Any) -> None:
        frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        frame.buf = pj.ByteVector(bytes(640))
        frame.size = 640

    def onFrameReceived(self, frame: Any) -> None:
        if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO:
            self.frames.append(read_vector(frame.buf))
            del self.frames[:-100]

    def peak(self, at: float | None = None) -> tuple[float, float, float]:
        """(dominant frequency, RMS, RMS of the band within 25 Hz of ``at``) over the last second heard."""
        s = np.frombuffer(b"".join(self.frames[-50:]), np.int16).astype(np.float64)
        if len(s) < 1600:
            return 0.0, 0.0, 0.0
        w = np.hanning(len(s))
        spec = np.abs(np.fft.rfft(s * w))
        k = int(np.argmax(spec[5:])) + 5
        band = 0.0
        if at is not None:  # Parseval over the band's one-sided bins, undoing the window's power loss
            hz = np.fft.rfftfreq(len(s), 1 / RATE)
            power = float(np.sum(spec[np.abs(hz - at) <= 25] ** 2))
            band = float(np.sqrt(2 * power / (len(s) ** 2 * np.mean(w * w))))
        return k * RATE / len(s), float(np.sqrt(np.mean(s * s))), band


class Phone:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.ep = pj.Endpoint()
        self.ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.logConfig.level = cfg.logConfig.consoleLevel = 0
        cfg.medConfig.clockRate = cfg.medConfig.sndClockRate = RATE
        cfg.medConfig.noVad = True
        cfg.medConfig.ecTailLen = 0
        self.ep.libInit(cfg)
        self.ep.audDevManager().setNullDev()
        self.ports: dict[str, int] = {}
        kinds = [("udp", pj.PJSIP_TRANSPORT_UDP), ("tcp", pj.PJSIP_TRANSPORT_TCP)]
        if args.tls_cert:
            kinds.append(("tls", pj.PJSIP_TRANSPORT_TLS))
        for name, kind in kinds:
            tc = pj.TransportConfig()
            tc.boundAddress = "127.0.0.1"
            if name == "tls":
                tc.tlsConfig.certFile = args.tls_cert
                tc.tlsConfig.privKeyFile = args.tls_key
                tc.tlsConfig.method = pj.PJSIP_TLSV1_2_METHOD
            tid = self.ep.transportCreate(kind, tc)
            self.ports[name] = int(self.ep.transportGetInfo(tid).localName.rsplit(":", 1)[1])
        self.ep.libStart()
        if args.codec:
            for c in self.ep.codecEnum2():
                self.ep.codecSetPriority(c.codecId, 255 if c.codecId.startswith(args.codec) else 0)
        acfg = pj.AccountConfig()
        acfg.idUri = "sip:peer@127.0.0.1"
        if args.register or args.account:  # user@host:port; the password comes in PEER_PASSWORD (not argv)
            user, host = (args.register or args.account).split("@")
            acfg.idUri = f"sip:{user}@{host}"
            if args.register:
                acfg.regConfig.registrarUri = f"sip:{host}"
            else:
                acfg.regConfig.registerOnAdd = False
            auth = args.auth_user or user
            acfg.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", auth, 0, os.environ["PEER_PASSWORD"]))
        acfg.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
        srtp = {"off": pj.PJMEDIA_SRTP_DISABLED, "optional": pj.PJMEDIA_SRTP_OPTIONAL,
                "mandatory": pj.PJMEDIA_SRTP_MANDATORY}[args.srtp]
        acfg.mediaConfig.srtpUse = srtp
        acfg.mediaConfig.srtpSecureSignaling = 0
        self.acc = Acc(self)
        self.acc.create(acfg)
        self.calls: list[Call] = []
        self.ear = Ear()
        self.tone: Any = None
        self.dtmf = ""

    def current(self) -> Call:
        live = [c for c in self.calls if not c.ended]
        if not live:
            raise RuntimeError("no call")
        return live[-1]

    def handle(self, cmd: dict[str, Any]) -> dict[str, Any]:
        op = cmd["op"]
        if op == "call":
            c = Call(self, self.acc)
            prm = pj.CallOpParam(True)
            for k, v in cmd.get("headers", {}).items():
                h = pj.SipHeader()
                h.hName, h.hValue = k, v
                prm.txOption.headers.append(h)
            sent_at = time.monotonic()
            c.makeCall(cmd["uri"], prm)
            self.calls.append(c)
            return {"sent_at": sent_at}
        if op == "answer":
            self.current().answer(status_op(200))
            return {}
        if op == "dtmf":
            self.current().dialDtmf(cmd["digits"])
            return {}
        if op == "hangup":
            self.current().hangup(pj.CallOpParam())
            return {}
        if op == "tone":
            self.tone = pj.ToneGenerator()
            self.tone.createToneGenerator(RATE, 1)
            td = pj.ToneDesc()
            td.freq1, td.freq2, td.on_msec, td.off_msec, td.volume = cmd["freq"], 0, 30000, 0, 0
            tv = pj.ToneDescVector()
            tv.append(td)
            self.tone.play(tv, True)
            self.tone.startTransmit(self.current().getAudioMedia(-1))
            return {}
        if op == "peak":
            freq, rms, band = self.ear.peak(cmd.get("at"))
            return {"freq": freq, "rms": rms, "band": band}
        if op == "state":
            c = self.current()
            info = c.getInfo()
            media = [int(m.status) for m in info.media]
            codec = str(c.getStreamInfo(0).codecName) if c.has_media else ""
            return {"state": int(info.state), "media": media, "remote_hold": pj.PJSUA_CALL_MEDIA_REMOTE_HOLD in media,
                    "dtmf": self.dtmf, "codec": codec, "calls": len([x for x in self.calls if not x.ended])}
        raise RuntimeError(f"unknown op {op}")

    def loop(self) -> None:
        out(ready=True, ports=self.ports)
        buf = ""
        while True:
            self.ep.libHandleEvents(10)
            for c in [c for c in self.calls if c.ended]:
                self.calls.remove(c)
            r, _, _ = select.select([sys.stdin], [], [], 0)
            if not r:
                continue
            line = sys.stdin.readline()
            if not line:
                break
            buf = line.strip()
            if not buf:
                continue
            cmd = json.loads(buf)
            if cmd["op"] == "quit":
                break
            try:
                out(re=cmd["op"], ok=True, **self.handle(cmd))
            except Exception as exc:
                out(re=cmd["op"], ok=False, error=str(exc))
        self.ep.hangupAllCalls()
        for _ in range(20):
            self.ep.libHandleEvents(10)
        self.calls.clear()
        self.tone = None
        self.ear = None  # type: ignore[assignment]
        gc.collect()
        self.acc.shutdown()
        self.ep.libDestroy()
        # A far-end Call proxy can outlive the library here (held outside Python's view by the SWIG
        # director); its destructor would assert. This is the test peer, not the engine: leave at once.
        sys.stdout.flush()
        os._exit(0)


class Acc(pj.Account):  # type: ignore[misc]
    def __init__(self, phone: Phone) -> None:
        super().__init__()
        self.phone = phone

    def onRegState(self, prm: Any) -> None:
        out(evt="reg", code=int(prm.code))

    def onIncomingCall(self, prm: Any) -> None:
        c = Call(self.phone, self, prm.callId)
        self.phone.calls.append(c)
        replaces = "Replaces:" in prm.rdata.wholeMsg
        out(evt="incoming", replaces=replaces)
        c.answer(status_op(200 if self.phone.args.answer else 180))


class Call(pj.Call):  # type: ignore[misc]
    def __init__(self, phone: Phone, acc: Any, call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(acc, call_id)
        self.phone = phone
        self.ended = False
        self.has_media = False

    def onCallState(self, prm: Any) -> None:
        info = self.getInfo()
        out(evt="state", state=int(info.state), status=int(info.lastStatusCode))
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.ended = True

    def onCallMediaState(self, prm: Any) -> None:
        info = self.getInfo()
        for i, m in enumerate(info.media):
            if m.type == pj.PJMEDIA_TYPE_AUDIO and m.status in (pj.PJSUA_CALL_MEDIA_ACTIVE,
                                                                 pj.PJSUA_CALL_MEDIA_REMOTE_HOLD):
                am = self.getAudioMedia(i)
                self.has_media = True
                am.startTransmit(self.phone.ear)
                if self.phone.args.echo:
                    am.startTransmit(am)
                if self.phone.tone is not None:
                    self.phone.tone.startTransmit(am)
        out(evt="media", media=[int(m.status) for m in info.media])

    def onDtmfDigit(self, prm: Any) -> None:
        self.phone.dtmf += prm.digit
        out(evt="dtmf", digit=prm.digit)

    def onCallTransferRequest(self, prm: Any) -> None:
        out(evt="refer", target=str(prm.dstUri))

    def onCallReplaceRequest(self, prm: Any) -> None:
        out(evt="replace_request")

    def onCallReplaced(self, prm: Any) -> None:
        c = Call(self.phone, self.phone.acc, prm.newCallId)
        self.phone.calls.append(c)
        prm.newCall = c
        out(evt="replaced")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--answer", action="store_true")
    p.add_argument("--register", default="")
    p.add_argument("--account", default="", help="like --register, without registering")
    p.add_argument("--auth-user", default="")
    p.add_argument("--echo", action="store_true")
    p.add_argument("--codec", default="")
    p.add_argument("--srtp", default="off", choices=["off", "optional", "mandatory"])
    p.add_argument("--tls-cert", default="")
    p.add_argument("--tls-key", default="")
    Phone(p.parse_args()).loop()


if __name__ == "__main__":
    main()
