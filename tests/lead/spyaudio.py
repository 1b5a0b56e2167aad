"""Listen, whisper and barge against the lab, checked by ear: three pjsua2 phones each play their own tone
(caller 500 Hz, agent 1300 Hz, lead 2100 Hz) and record what they hear while the lead's SupervisorSession spies
on the agent's call in each mode. Prints, as JSON, how strongly each leg heard each tone.

Run as its own process (pjsua2 runs once per process): ``python tests/lead/spyaudio.py OUTDIR``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "asterisk-conf")]

import numpy as np  # noqa: E402
from labsim.audio import tone_wav  # noqa: E402
from labsim.labinfo import load  # noqa: E402
from labsim.phone import Leg, Phones  # noqa: E402

from cti.ami.link import PbxAddress  # noqa: E402
from cti.bus import EventBus  # noqa: E402
from cti.supervisor import SupervisorSession  # noqa: E402

TONES = {"caller": 500.0, "agent": 1300.0, "lead": 2100.0}
AGENT, CALLER, LEAD = "1008", "1009", "2002"


def strengths(path: Path) -> dict[str, float]:
    """How far each tone stands above the recording's spectral floor (peak ÷ median magnitude)."""
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)
    if data.size < rate // 2:
        return {k: 0.0 for k in TONES}
    spec = np.abs(np.fft.rfft(data * np.hanning(data.size)))
    freqs = np.fft.rfftfreq(data.size, 1 / rate)
    band = (freqs > 200) & (freqs < 3400)
    floor = float(np.median(spec[band])) or 1e-9
    return {k: round(float(spec[(freqs > f - 15) & (freqs < f + 15)].max()) / floor, 1) for k, f in TONES.items()}


async def run(out: Path) -> dict[str, dict[str, dict[str, float]]]:
    lab = load("primary")
    ph = Phones(lab)
    wavs = {k: tone_wav(out / f"tone-{k}.wav", freq=f, seconds=4.0) for k, f in TONES.items()}
    agent, caller, lead = ph.line(AGENT), ph.line(CALLER), ph.line(LEAD)

    def answer_with(tone: Path) -> object:
        def on(leg: Leg) -> None:
            leg.play(tone)
            leg.answer(200)
        return on

    agent.on_incoming = answer_with(wavs["agent"])  # type: ignore[assignment]
    lead.on_incoming = answer_with(wavs["lead"])  # type: ignore[assignment]
    cleg = caller.call(AGENT)
    cleg.play(wavs["caller"])
    ph.wait(lambda: cleg.connected and bool(agent.incoming) and agent.incoming[-1].connected, 20, "the agent's call")
    aleg = agent.incoming[-1]
    stop = asyncio.Event()

    async def pump() -> None:
        while not stop.is_set():
            ph.pump(0.01)
            await asyncio.sleep(0.002)

    pumping = asyncio.ensure_future(pump())
    sup = SupervisorSession(lead_extension=LEAD, pbx=(PbxAddress(lab.host, lab.ami_port),), ami_user=f"lead{LEAD}",
                            ami_secret=lab.ami_secret(f"lead{LEAD}"), bus=EventBus(), confirm_timeout=20)
    heard: dict[str, dict[str, dict[str, float]]] = {}
    try:
        await sup.start()
        for mode in ("listen", "whisper", "barge"):
            await getattr(sup, mode)(AGENT)
            lleg = lead.incoming[-1]
            await asyncio.sleep(1.0)  # media settles
            legs = {"caller": cleg, "agent": aleg, "lead": lleg}
            for name, leg in legs.items():
                leg.record(out / f"{mode}-{name}.wav")
            await asyncio.sleep(3.0)
            for leg in legs.values():
                leg.stop_recording()
            await sup.stop_spy()
            for _ in range(100):
                if lleg.ended:
                    break
                await asyncio.sleep(0.1)
            heard[mode] = {name: strengths(out / f"{mode}-{name}.wav") for name in legs}
    finally:
        await sup.close()
        stop.set()
        await pumping
        ph.close()
    return heard


if __name__ == "__main__":
    outdir = Path(sys.argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    print(json.dumps(asyncio.run(run(outdir))))
