"""The engine's OS audio: ringer on the speaker while the headset stays quiet, auto-answer, device choice,
and surviving a headset unplug and replug (a PulseAudio null sink that goes away and comes back)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator

import pytest
from audiokit import Speaker, dominant, record
from conftest import DIRECT, pulse_up
from enginekit import Recorder

from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import AudioDeviceDidChange, CallDidAnswer, CallDidEnd, CallDidOffer
from tests.conftest import need

pytestmark = [pytest.mark.audio]


def pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
async def own_sinks() -> AsyncIterator[tuple[str, str]]:
    """A headset and a speaker sink of this test's own, so no other process's audio mixes in."""
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    tag = os.getpid()
    names = (f"csdtest_hs_{tag}", f"csdtest_spk_{tag}")
    modules = [await asyncio.to_thread(pactl, "load-module", "module-null-sink", f"sink_name={n}") for n in names]
    try:
        yield names
    finally:
        for m in modules:
            await asyncio.to_thread(subprocess.run, ["pactl", "unload-module", m], capture_output=True)


@pytest.fixture
async def quiet_engine(own_sinks: tuple[str, str]) -> AsyncIterator[tuple[EngineClient, Recorder]]:
    """An engine in direct mode whose headset and ringer are the test's own sinks."""
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out=own_sinks[0], headset_in="mic.monitor", ringer_out=own_sinks[1])
    await client.start()
    await client.register(DIRECT)
    yield client, rec
    assert await client.stop() == 0, "\n".join(client.stderr_tail)


async def engine_uri(client) -> str:
    return f"sip:1001@127.0.0.1:{(await client.info())['ports']['udp']}"


async def test_ringtone_plays_on_the_speaker_and_not_in_the_headset(quiet_engine, own_sinks, peers) -> None:
    client, rec = quiet_engine
    headset_sink, speaker_sink = own_sinks
    peer = await peers()
    await peer.do("call", uri=await engine_uri(client))
    offer = await rec.next(CallDidOffer)
    speaker, headset = await asyncio.gather(record(f"{speaker_sink}.monitor", 0.8),
                                            record(f"{headset_sink}.monitor", 0.8))
    freq, rms = dominant(speaker)
    assert abs(freq - 450) < 25, (freq, rms)
    assert rms > 300
    assert dominant(headset)[1] < 50  # the headset stays quiet while ringing
    await client.answer(offer.call_ref)
    await rec.next(CallDidAnswer)
    assert dominant(await record(f"{speaker_sink}.monitor", 0.5))[1] < 50  # the ringer stops on answer
    await client.hangup(offer.call_ref)


async def test_auto_answer_answers_by_itself(engine, peers) -> None:
    client, rec = engine
    await client.set_auto_answer(True)
    peer = await peers()
    await peer.do("call", uri=await engine_uri(client))
    offer = await rec.next(CallDidOffer)
    await rec.next(CallDidAnswer, lambda e: e.call_ref == offer.call_ref)
    await peer.until(lambda s: s["state"] == 5)
    await client.hangup(offer.call_ref)
    await rec.next(CallDidEnd)


async def test_devices_are_listed_and_a_headset_unplug_and_replug_is_survived(engine, peers) -> None:
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    client, rec = engine
    names = {d["name"] for d in (await client.devices())["devices"]}
    assert {"headset", "speaker", "mic.monitor"} <= names
    module = await asyncio.to_thread(pactl, "load-module", "module-null-sink", "sink_name=usbheadset")
    try:
        await client.select_device("headset_out", "usbheadset")
        peer = await peers("--answer")
        ref = await client.dial(peer.uri())
        await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
        await peer.do("tone", freq=1000)
        assert abs(dominant(await record("usbheadset.monitor", 1.0))[0] - 1000) < 25
        mark = len(rec.events)
        await asyncio.to_thread(pactl, "unload-module", module)  # unplug
        await rec.next(AudioDeviceDidChange, lambda e: e.role == "headset_out" and e.state == "unavailable",
                       after=mark)
        module = await asyncio.to_thread(pactl, "load-module", "module-null-sink", "sink_name=usbheadset")  # replug
        await rec.next(AudioDeviceDidChange, lambda e: e.role == "headset_out" and e.state == "open", after=mark)
        freq, rms = dominant(await record("usbheadset.monitor", 1.0))
        assert abs(freq - 1000) < 25, (freq, rms)  # the call's audio is back in the replugged headset
        await client.hangup(ref)
    finally:
        await asyncio.to_thread(subprocess.run, ["pactl", "unload-module", module], capture_output=True)


async def far_end_hears(peer, want, at: float | None = None) -> dict:
    reply: dict = {}
    for _ in range(50):
        reply = await peer.do("peak", at=at)
        if want(reply):
            return reply
        await asyncio.sleep(0.1)
    raise AssertionError(f"far end heard {reply}")


async def test_mute_silences_the_microphone_and_volume_scales_the_headset(quiet_engine, own_sinks,
                                                                          peers) -> None:
    client, rec = quiet_engine
    headset_sink = own_sinks[0]
    peer = await peers("--answer")
    ref = await client.dial(peer.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
    mic = await Speaker.tone("mic", 700)
    try:
        await far_end_hears(peer, lambda r: abs(r["freq"] - 700) < 25 and r["rms"] > 300)
        await asyncio.sleep(1.1)  # a whole second of the tone in the far end's window
        talking = await peer.do("peak", at=700)
        assert talking["band"] > 0.7 * talking["rms"], talking  # the mic tone is what the far end hears
        await client.mute(ref, True)
        # Muted: the tone is gone (40 dB down at 700 Hz) and what is left is a faint floor, not speech. The floor
        # is the codec's: G.722 decodes digital silence to an RMS of about 3, and on a loaded machine its
        # high band was once seen to settle into a faint 8 kHz hiss (RMS 56), which a CSR's caller cannot hear
        # as speech; a leaking microphone keeps the 700 Hz band near its talking level.
        await far_end_hears(peer, lambda r: r["band"] < talking["band"] / 100 and r["rms"] < 150, at=700)
        await client.mute(ref, False)
        await far_end_hears(peer, lambda r: abs(r["freq"] - 700) < 25 and r["rms"] > 300)
    finally:
        await mic.close()
    await peer.do("tone", freq=1000)
    loud = dominant(await record(f"{headset_sink}.monitor", 0.8))
    assert abs(loud[0] - 1000) < 25
    await client.set_volume(output=0.25)
    await asyncio.sleep(0.3)
    quiet = dominant(await record(f"{headset_sink}.monitor", 0.8))
    assert quiet[1] < loud[1] * 0.5  # a quarter of the amplitude, give or take the sink's mixing
    await client.hangup(ref)
