"""The pre-shift echo test: call the PBX's echo extension, send a chirp, time its return.

The probe goes out in place of the microphone and the returning audio is captured frame by frame;
both move on the same 20 ms media clock, so the cross-correlation lag is the round-trip audio delay.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

import pjsua2 as pj

from cti.engine import quality as q
from cti.engine.audio import frames_of
from cti.engine.backends import RATE

if TYPE_CHECKING:
    import numpy as np

    from cti.engine.core import Engine
    from cti.engine.sip import EngineCall

log = logging.getLogger(__name__)
LISTEN_SECONDS = 3.0


def chirp(ms: int = 250, f0: float = 300.0, f1: float = 3400.0, level: float = 0.4) -> np.ndarray:
    """Return a linear sweep as int16 samples: a probe with one sharp correlation peak."""
    import numpy as np  # here, not at the top: only an echo test needs numpy (the idle engine stays without it)

    t = np.arange(RATE * ms // 1000) / RATE
    k = (f1 - f0) / (ms / 1000)
    return (np.sin(2 * np.pi * (f0 * t + k * t * t / 2)) * level * 32767).astype(np.int16)


def measure(probe: np.ndarray, received: np.ndarray) -> tuple[float, float]:
    """Return (delay in ms, normalised correlation 0..1) of ``probe`` within ``received``."""
    import numpy as np

    p = probe.astype(np.float64)
    r = received.astype(np.float64)
    if len(r) < len(p) or not p.any():
        return -1.0, 0.0
    corr = np.correlate(r, p, mode="valid")
    lag = int(np.argmax(np.abs(corr)))
    seg = r[lag : lag + len(p)]
    denom = float(np.linalg.norm(p) * np.linalg.norm(seg))
    score = float(abs(corr[lag]) / denom) if denom else 0.0
    return lag * 1000.0 / RATE, score


class EchoTest:
    """One running echo test; replies to the command ``cid`` when done."""

    def __init__(self, engine: Engine, cid: int) -> None:
        self.engine = engine
        self.cid = cid
        self.call: EngineCall | None = None
        self.probing = False
        self.done = False
        self.probe = chirp()

    def start(self, uri: str) -> None:
        from cti.engine.sip import EngineCall

        assert self.engine.reg is not None
        assert self.engine.reg.account is not None
        ref = self.engine.new_ref()
        self.call = EngineCall(self.engine, self.engine.reg.account, ref, "outbound")
        self.call.makeCall(uri, pj.CallOpParam(True))
        self.engine.calls[ref] = self.call

    def on_media(self, call: EngineCall) -> None:
        if call is not self.call or self.probing or not call.audio_media():
            return
        self.probing = True
        bridge = self.engine.bridge
        bridge.capture = []
        import numpy as np

        silence = np.zeros(RATE // 2, np.int16)
        bridge.inject(frames_of(np.concatenate([silence, self.probe])))
        self.engine.later(LISTEN_SECONDS, self.finish)

    def finish(self) -> None:
        if self.done or self.call is None:
            return
        bridge = self.engine.bridge
        captured, bridge.capture = bridge.capture or [], None
        import numpy as np

        received = np.frombuffer(b"".join(captured), np.int16)
        delay, score = measure(self.probe, received)
        delay -= 500.0  # the leading silence
        result: dict[str, Any] = {"delay_ms": round(delay, 1), "correlation": round(score, 3)}
        try:
            idx = self.call.audio_media()[0][0]
            rtcp = self.call.getStreamStat(idx).rtcp
            est = q.estimate(jitter_ms=rtcp.rxStat.jitterUsec.last / 1000, loss_pct=0.0,
                             rtt_ms=max(rtcp.rttUsec.last / 1000, delay), codec="G722")
            result["mos"] = est.mos
        except (pj.Error, IndexError):
            result["mos"] = None
        self._end(ok=score > 0.5, result=result)

    def on_end(self, call: EngineCall) -> None:
        if call is self.call and not self.done:
            self._end(ok=False, result={}, reason="the echo call ended before the test finished")

    def _end(self, *, ok: bool, result: dict[str, Any], reason: str = "") -> None:
        self.done = True
        engine, call = self.engine, self.call
        engine.echo = None
        engine.bridge.capture = None
        if call is not None and not call.ended:
            with contextlib.suppress(pj.Error):
                call.hangup(pj.CallOpParam())
        if ok:
            engine.emit("echo_test_did_finish", ok=True, **result)
            engine.send("ok", {"id": self.cid, "result": result})
        else:
            why = reason or f"no echo came back (correlation {result.get('correlation', 0)})"
            engine.emit("echo_test_did_finish", ok=False, reason=why, **result)
            engine.send("err", {"id": self.cid, "reason": why, "sip_status": 0})
