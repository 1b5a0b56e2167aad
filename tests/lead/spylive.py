"""One spy call, switched live, carried by csdesk's own engine: the lead's SupervisorSession spies on an agent's
call with the desk's pjsua2 engine process (cti.engine.client.EngineClient) as the lead's softphone, then switches
listen -> whisper -> barge -> listen on that same call (DTMF 4/5/6 into ChanSpy's 'd' option), and stops.

Three parties each send their own tone: the caller 500 Hz and the agent 1300 Hz (labsim pjsua2 phones in this
process), the lead 2100 Hz (played into the lead's microphone, a PulseAudio null sink the engine records). After
each switch the script records what each party hears: the caller's and the agent's call legs (pjsua2 recorders)
and the lead's headset (the monitor of the engine's output sink). The sinks are this run's own, so no other
process's audio mixes in. Prints one JSON object: how strongly each party heard each tone in each phase, and what
happened to the calls.

Run as its own process (pjsua2 runs once per process, and the engine is a second one):
``python tests/lead/spylive.py OUTDIR``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import wave
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "asterisk-conf")]

import numpy as np  # noqa: E402
from labsim.audio import tone_wav  # noqa: E402
from labsim.labinfo import load  # noqa: E402
from labsim.phone import Leg, Phones  # noqa: E402

from cti import events as ev  # noqa: E402
from cti.ami.link import PbxAddress  # noqa: E402
from cti.bus import EventBus  # noqa: E402
from cti.engine.client import EngineClient  # noqa: E402
from cti.softphone import SipAccount  # noqa: E402
from cti.supervisor import SupervisorSession  # noqa: E402
from tests.engine.audiokit import RATE, Speaker, record  # noqa: E402
from tests.engine.enginekit import Recorder  # noqa: E402

TONES = {"caller": 500.0, "agent": 1300.0, "lead": 2100.0}
AGENT, CALLER, LEAD = "1008", "1010", "2002"
PHASES = ("listen", "whisper", "barge", "listen")
SETTLE, LISTEN = 1.0, 3.0  # seconds after a switch before recording; seconds recorded


def strengths(data: np.ndarray, rate: int) -> dict[str, float]:
    """How far each tone stands above the recording's spectral floor (peak ÷ median magnitude, 200-3400 Hz)."""
    data = data.astype(np.float64)
    if data.size < rate // 2:
        return {k: 0.0 for k in TONES}
    spec = np.abs(np.fft.rfft(data * np.hanning(data.size)))
    freqs = np.fft.rfftfreq(data.size, 1 / rate)
    band = (freqs > 200) & (freqs < 3400)
    floor = float(np.median(spec[band])) or 1e-9
    return {k: round(float(spec[(freqs > f - 15) & (freqs < f + 15)].max()) / floor, 1) for k, f in TONES.items()}


def wav_strengths(path: Path) -> dict[str, float]:
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return strengths(data, rate)


def pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, check=True).stdout.strip()


async def run(out: Path) -> dict[str, Any]:
    lab = load("primary")
    tag = os.getpid()
    sinks = {role: f"csdspy_{role}_{tag}" for role in ("headset", "mic", "ringer")}
    modules = [await asyncio.to_thread(pactl, "load-module", "module-null-sink", f"sink_name={name}")
               for name in sinks.values()]
    try:
        return await _run(out, lab, sinks)
    finally:
        for m in modules:
            await asyncio.to_thread(subprocess.run, ["pactl", "unload-module", m], capture_output=True)


async def _run(out: Path, lab: Any, sinks: dict[str, str]) -> dict[str, Any]:
    bus = EventBus()
    rec = Recorder(bus)
    engine = EngineClient(bus, headset_out=sinks["headset"], headset_in=f"{sinks['mic']}.monitor",
                          ringer_out=sinks["ringer"])
    await engine.start()
    result: dict[str, Any] = {"phases": []}
    ph = Phones(lab)
    stop = asyncio.Event()

    async def pump() -> None:
        while not stop.is_set():
            ph.pump(0.01)
            await asyncio.sleep(0.002)

    pumping = asyncio.ensure_future(pump())
    voice = await Speaker.tone(sinks["mic"], TONES["lead"], seconds=120.0)  # the lead speaks all along
    sup = SupervisorSession(lead_extension=LEAD, pbx=(PbxAddress(lab.host, lab.ami_port),), ami_user=f"lead{LEAD}",
                            ami_secret=lab.ami_secret(f"lead{LEAD}"), bus=bus, softphone=engine, confirm_timeout=20)
    try:
        await engine.register(SipAccount(extension=LEAD, password=lab.sip_password(LEAD),
                                         registrars=(f"{lab.host}:{lab.sip_port}",)))
        await rec.next(ev.RegistrationDidChange, lambda e: e.registered)
        wavs = {k: tone_wav(out / f"tone-{k}.wav", freq=f, seconds=4.0) for k, f in TONES.items()}
        agent, caller = ph.line(AGENT), ph.line(CALLER)

        def answer(leg: Leg) -> None:
            leg.play(wavs["agent"])
            leg.answer(200)

        agent.on_incoming = answer
        cleg = caller.call(AGENT)
        cleg.play(wavs["caller"])
        deadline = asyncio.get_running_loop().time() + 20
        while not (cleg.connected and agent.incoming and agent.incoming[-1].connected):
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError("the agent's call did not connect")
            await asyncio.sleep(0.05)
        aleg = agent.incoming[-1]
        await sup.start()

        async def hear(name: str) -> dict[str, dict[str, float]]:
            """Record all three parties at once for LISTEN seconds; return each one's tone strengths (and, under
            "captured", how many seconds of the lead's headset were captured)."""
            cleg.record(out / f"{name}-caller.wav")
            aleg.record(out / f"{name}-agent.wav")
            lead_pcm = await record(f"{sinks['headset']}.monitor", LISTEN)
            cleg.stop_recording()
            aleg.stop_recording()
            return {"caller": wav_strengths(out / f"{name}-caller.wav"),
                    "agent": wav_strengths(out / f"{name}-agent.wav"),
                    "lead": strengths(lead_pcm, RATE),
                    "captured": {"lead_seconds": round(lead_pcm.size / RATE, 2)}}

        spy_ref: str | None = None
        for i, mode in enumerate(PHASES):
            mark = len(rec.events)
            await getattr(sup, mode)(AGENT)  # the first one calls the lead's phone; the others switch live
            if spy_ref is None:
                offer = await rec.next(ev.CallDidOffer, after=mark)
                await rec.next(ev.CallDidAnswer, lambda e, r=offer.call_ref: e.call_ref == r, after=mark)  # type: ignore[misc]
                spy_ref = offer.call_ref
                result["spy_caller_id"] = offer.caller_id
            await asyncio.sleep(SETTLE)
            heard = await hear(f"{i}-{mode}")
            result["phases"].append({"mode": mode, "sup_mode": sup.mode, "spy_ref": sup._spy_ref,
                                     "spy_channel": sup._spy_channel, "heard": heard})
        result["offers"] = len(rec.of(ev.CallDidOffer))
        result["spy_ends_before_stop"] = [e.call_ref for e in rec.of(ev.CallDidEnd)]

        mark = len(rec.events)
        await sup.stop_spy()
        end = await rec.next(ev.CallDidEnd, lambda e: e.call_ref == spy_ref, after=mark)
        result["stopped_ref"] = end.call_ref
        gone = False
        for _ in range(40):  # the PBX drops the lead's channel shortly after the BYE
            chans = [c.channel for c in await sup.pbx.channels()]
            gone = not any(c.startswith(f"PJSIP/{LEAD}-") for c in chans)
            if gone:
                break
            await asyncio.sleep(0.25)
        result["lead_channel_gone"] = gone
        result["agent_channel_after_stop"] = any(c.startswith(f"PJSIP/{AGENT}-") for c in chans)
        await asyncio.sleep(SETTLE)
        result["after_stop"] = {"connected": {"caller": cleg.connected, "agent": aleg.connected},
                                "heard": await hear("after-stop")}
        result["dtmf_reached"] = {"caller": cleg.dtmf_received, "agent": aleg.dtmf_received}
        result["spy_stops"] = [(e.agent_extension, e.reason) for e in rec.of(ev.SpyDidStop)]
        cleg.hangup()
    finally:
        await voice.close()
        await sup.close()
        code = await engine.stop()
        result["engine_exit"] = code
        stop.set()
        await pumping
        ph.close()
    return result


if __name__ == "__main__":
    outdir = Path(sys.argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    with contextlib.suppress(KeyboardInterrupt):
        print(json.dumps(asyncio.run(run(outdir))))
