"""The engine against the real Asterisk lab: registration, audio both ways on G.722, hold, DTMF, echo test.

The desk is 1007 (the engine under test); the far end is 1006, a pjsua2 phone in its own process.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from audiokit import Speaker, dominant, record
from conftest import DESK, FAR, pulse_up
from enginekit import Peer, Recorder

from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import (
    CallDidAnswer,
    CallDidEnd,
    CallDidHold,
    CallDidOffer,
    CallDidUnhold,
    RegistrationDidChange,
    RegistrationDidFailover,
)
from cti.softphone import SipAccount, SoftphoneError
from tests.conftest import need

pytestmark = [pytest.mark.lab, pytest.mark.audio]
INFO_DESK = "i1010"  # the lab endpoint with dtmf_mode = info (asterisk-conf/labsim/lab/render.py)


async def test_registers_and_carries_audio_both_ways_on_g722(lab, desk, peers) -> None:
    client, rec = desk
    peer = await peers_registered(lab, peers, "--codec", "G722")
    await peer.do("call", uri=f"sip:{DESK}@{lab.host}:{lab.sip_port}")
    offer = await rec.next(CallDidOffer)
    assert offer.caller_id == FAR
    await client.answer(offer.call_ref)
    await rec.next(CallDidAnswer)
    st = await peer.until(lambda s: s["state"] == 5 and s["codec"] != "")
    assert st["codec"] == "G722"

    await peer.do("tone", freq=1000)  # the caller speaks: the CSR's headset must hear 1 kHz
    heard = await record("headset.monitor", 1.5)
    freq, rms = dominant(heard[len(heard) // 3 :])
    assert abs(freq - 1000) < 25, (freq, rms)
    assert rms > 300

    mic = await Speaker.tone("mic", 700)  # the CSR speaks: the caller must hear 700 Hz
    try:
        reply: dict[str, Any] = {}
        for _ in range(40):
            reply = await peer.do("peak")
            if abs(reply["freq"] - 700) < 25 and reply["rms"] > 300:
                break
        assert abs(reply["freq"] - 700) < 25, reply
    finally:
        await mic.close()
    await client.hangup(offer.call_ref)
    await rec.next(CallDidEnd)


async def test_hold_unhold_and_dtmf_through_the_pbx(lab, desk, peers) -> None:
    client, rec = desk
    peer = await peers_registered(lab, peers, "--answer")
    ref = await client.dial(FAR)
    await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
    assert await client.send_dtmf(ref, "159") == "rfc4733"  # telephone-event negotiated with 1007
    await peer.until(lambda s: s["dtmf"] == "159")
    await client.hold(ref)
    await rec.next(CallDidHold)
    await client.unhold(ref)
    await rec.next(CallDidUnhold)
    await client.hangup(ref)
    await rec.next(CallDidEnd, lambda e: e.call_ref == ref)


async def test_echo_test_reports_round_trip_delay(desk) -> None:
    client, _ = desk
    result = await client.echo_test("9196")
    assert result["correlation"] > 0.5
    assert 0 < result["delay_ms"] < 1000
    assert result["mos"] is None or 1.0 <= result["mos"] <= 4.5


async def peers_registered(lab: Any, peers: Any, *args: str) -> Peer:
    """Start the far-end phone registered as FAR and wait for its registration."""
    peer: Peer = await peers("--register", f"{FAR}@{lab.host}:{lab.sip_port}", *args,
                             password=lab.sip_password(FAR))
    reg = await peer.saw(lambda e: e.get("evt") == "reg")
    assert 200 <= reg["code"] < 300
    return peer


async def test_registration_fails_over_to_the_next_pbx(lab) -> None:
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    try:
        dead = "127.0.0.1:9"  # nothing listens: TCP is refused at once
        await client.register(SipAccount(extension=DESK, password=lab.sip_password(DESK), transport="tcp",
                                         registrars=(dead, f"{lab.host}:{lab.sip_port}")))
        first = await rec.next(RegistrationDidChange)
        assert not first.registered
        assert first.registrar == dead
        over = await rec.next(RegistrationDidFailover, within=40)
        assert over.to_registrar.endswith(str(lab.sip_port))
        ok = await rec.next(RegistrationDidChange, lambda e: e.registered, within=40)
        assert ok.registrar == f"{lab.host}:{lab.sip_port}"
    finally:
        assert await client.stop() == 0


async def test_network_change_re_registers(desk) -> None:
    client, rec = desk
    mark = len(rec.events)
    await client.network_changed()
    again = await rec.next(RegistrationDidChange, lambda e: e.registered, after=mark)
    assert again.sip_status == 200


async def test_dtmf_falls_back_to_sip_info_and_the_pbx_receives_it(lab) -> None:
    """Against ``i1010`` (the lab's SIP-INFO-only endpoint: no telephone-event in Asterisk's SDP), RFC 4733
    cannot be used, so the engine sends SIP INFO; Asterisk's own DTMFEnd events show the digits arrived."""
    from labsim.ami import AmiClient

    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    try:
        with AmiClient.for_lab(lab, "admin") as ami:
            await client.register(SipAccount(extension=INFO_DESK, password=lab.sip_password(INFO_DESK[1:]),
                                             registrars=(f"{lab.host}:{lab.sip_port}",)))
            await rec.next(RegistrationDidChange, lambda e: e.registered)
            start = len(ami.messages)
            ref = await client.dial("9196")  # the echo extension answers at once
            await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
            assert await client.send_dtmf(ref, "7*9") == "sip-info"  # not "#": it ends Echo()
            got = ""

            def received(m: dict[str, str]) -> bool:
                return (m.get("Event") == "DTMFEnd" and m.get("Direction") == "Received"
                        and m.get("Channel", "").startswith(f"PJSIP/{INFO_DESK}-"))

            for _ in range(3):
                ev = await asyncio.to_thread(ami.wait, received, 15, "AMI DTMFEnd", start)
                got += ev["Digit"]
                start = ami.messages.index(ev) + 1
            assert got == "7*9"
            with pytest.raises(SoftphoneError):  # asking for RFC 4733 on this call is refused, not faked
                await client.send_dtmf(ref, "1", method="rfc4733")
            await client.hangup(ref)
            await rec.next(CallDidEnd, lambda e: e.call_ref == ref)
    finally:
        assert await client.stop() == 0, "\n".join(client.stderr_tail)
