"""Estimate call quality from RTCP figures with the ITU-T G.107 E-model (simplified)."""

from __future__ import annotations

from typing import NamedTuple

CODEC_DELAY_MS = {"G722": 25.0, "PCMA": 25.0, "PCMU": 25.0}  # packetisation + look-ahead + jitter buffer
CODEC_IE = {"G722": 0.0, "PCMA": 0.0, "PCMU": 0.0}  # equipment impairment
BPL_WITH_PLC = 25.1  # packet-loss robustness of G.711 with loss concealment (G.113 App. I)


class Quality(NamedTuple):  # not a dataclass: the engine process does without dataclasses' imports (1.1 MB)
    mos: float
    r: float
    jitter_ms: float
    loss_pct: float
    rtt_ms: float


def r_factor(*, one_way_ms: float, loss_pct: float, codec: str = "G722") -> float:
    """Return the E-model rating R for a mouth-to-ear delay and a random packet loss."""
    d = max(0.0, one_way_ms)
    idd = 0.024 * d + (0.11 * (d - 177.3) if d > 177.3 else 0.0)
    ie = CODEC_IE.get(codec, 0.0)
    ppl = max(0.0, min(100.0, loss_pct))
    ie_eff = ie + (95.0 - ie) * ppl / (ppl + BPL_WITH_PLC)
    return max(0.0, min(100.0, 93.2 - idd - ie_eff))


def mos_from_r(r: float) -> float:
    """Map R to an estimated MOS (G.107 Annex B)."""
    if r <= 0:
        return 1.0
    if r >= 100:
        return 4.5
    return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)


def estimate(*, jitter_ms: float, loss_pct: float, rtt_ms: float, codec: str = "G722") -> Quality:
    """Return MOS and R for RTCP jitter, loss and round-trip time (jitter counts twice: buffer depth)."""
    one_way = rtt_ms / 2 + 2 * jitter_ms + CODEC_DELAY_MS.get(codec, 25.0)
    r = r_factor(one_way_ms=one_way, loss_pct=loss_pct, codec=codec)
    return Quality(round(mos_from_r(r), 2), round(r, 1), jitter_ms, loss_pct, rtt_ms)
