"""Inbound and outbound calls through the engine process, with a far-end pjsua2 phone (real SIP and RTP)."""

from __future__ import annotations

import pytest

from cti.events import (
    CallDidAnswer,
    CallDidEnd,
    CallDidFail,
    CallDidHold,
    CallDidOffer,
    CallDidUnhold,
    CallQualityDidUpdate,
)
from cti.softphone import SoftphoneError

CSD = {"X-CSD-Queue": "8001", "X-CSD-Linkedid": "1700000000.42", "X-CSD-Uniqueid": "1700000000.43",
       "X-CSD-Policy": "P2024001", "X-CSD-Menu": "2"}


async def engine_uri(client) -> str:
    info = await client.info()
    return f"sip:1001@127.0.0.1:{info['ports']['udp']}"


async def test_offer_carries_caller_and_ivr_headers_and_answer_connects(engine, peers) -> None:
    client, rec = engine
    peer = await peers()
    await peer.do("call", uri=await engine_uri(client), headers=CSD)
    offer = await rec.next(CallDidOffer)
    assert offer.caller_id == "peer"
    assert (offer.queue, offer.linkedid, offer.uniqueid) == ("8001", "1700000000.42", "1700000000.43")
    assert dict(offer.ivr_vars) == {"CSD_POLICY": "P2024001", "CSD_MENU": "2"}
    await client.answer(offer.call_ref)
    await rec.next(CallDidAnswer, lambda e: e.call_ref == offer.call_ref)
    await peer.until(lambda s: s["state"] == 5)  # CONFIRMED at the far end
    await client.hangup(offer.call_ref)
    end = await rec.next(CallDidEnd, lambda e: e.call_ref == offer.call_ref)
    assert end.talk_seconds > 0
    await peer.saw(lambda e: e.get("evt") == "state" and e["state"] == 6)


async def test_reject_sends_busy_to_the_caller(engine, peers) -> None:
    client, rec = engine
    peer = await peers()
    await peer.do("call", uri=await engine_uri(client))
    offer = await rec.next(CallDidOffer)
    await client.reject(offer.call_ref)
    ended = await peer.saw(lambda e: e.get("evt") == "state" and e["state"] == 6)
    assert ended["status"] == 486
    await rec.next(CallDidEnd, lambda e: e.call_ref == offer.call_ref)


async def test_hold_and_unhold_are_seen_by_the_far_end(engine, peers) -> None:
    client, rec = engine
    peer = await peers("--answer")
    ref = await client.dial(peer.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
    await client.hold(ref)
    await rec.next(CallDidHold, lambda e: e.call_ref == ref)
    await peer.until(lambda s: s["remote_hold"])
    await client.unhold(ref)
    await rec.next(CallDidUnhold, lambda e: e.call_ref == ref)
    await peer.until(lambda s: not s["remote_hold"] and 1 in s["media"])
    await client.hangup(ref)
    await rec.next(CallDidEnd, lambda e: e.call_ref == ref)


async def test_dtmf_reaches_the_far_end(engine, peers) -> None:
    client, rec = engine
    peer = await peers("--answer")
    ref = await client.dial(peer.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
    await client.dtmf(ref, "12#")
    await peer.until(lambda s: s["dtmf"] == "12#")
    await client.hangup(ref)


async def test_failed_dial_reports_sip_status(engine, peers) -> None:
    client, rec = engine
    peer = await peers()  # rings, never answers
    ref = await client.dial(peer.uri())
    await peer.saw(lambda e: e.get("evt") == "incoming")
    await peer.do("hangup")  # declines the ringing call
    fail = await rec.next(CallDidFail, lambda e: e.call_ref == ref)
    assert fail.sip_status >= 400
    await rec.next(CallDidEnd, lambda e: e.call_ref == ref)


async def test_commands_on_unknown_calls_fail_readably(engine) -> None:
    client, _ = engine
    with pytest.raises(SoftphoneError) as err:
        await client.hold("nope")
    assert err.value.sip_status == 481
    assert "no such call" in err.value.reason


async def test_quality_is_reported_during_a_call(engine, peers) -> None:
    client, rec = engine
    peer = await peers("--answer")
    ref = await client.dial(peer.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
    q = await rec.next(CallQualityDidUpdate, lambda e: e.call_ref == ref)
    assert 1.0 <= q.mos <= 4.5
    assert q.loss_pct >= 0
    assert q.codec == "G722"
    await client.hangup(ref)
