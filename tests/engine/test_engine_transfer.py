"""Blind (REFER) and attended (REFER with Replaces) transfers from the engine, observed at the far ends."""

from __future__ import annotations

from cti.events import CallDidAnswer, CallDidEnd, CallDidHold, CallTransferDidProgress


async def test_blind_transfer_sends_the_caller_to_the_target(engine, peers) -> None:
    client, rec = engine
    caller = await peers("--answer")
    target = await peers("--answer")
    ref = await client.dial(caller.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == ref)
    await client.blind_transfer(ref, target.uri())
    await caller.saw(lambda e: e.get("evt") == "refer")
    await target.saw(lambda e: e.get("evt") == "incoming")
    await target.until(lambda s: s["state"] == 5)  # caller and target now talk to each other
    final = await rec.next(CallTransferDidProgress, lambda e: e.call_ref == ref and e.final)
    assert final.sip_status == 200
    await rec.next(CallDidEnd, lambda e: e.call_ref == ref)


async def test_attended_transfer_replaces_the_consult_call(engine, peers) -> None:
    client, rec = engine
    caller = await peers("--answer")
    target = await peers("--answer")
    first = await client.dial(caller.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == first)
    await client.hold(first)
    await rec.next(CallDidHold, lambda e: e.call_ref == first)
    consult = await client.dial(target.uri())
    await rec.next(CallDidAnswer, lambda e: e.call_ref == consult)
    await client.attended_transfer(first, consult)
    await caller.saw(lambda e: e.get("evt") == "refer")
    await target.saw(lambda e: e.get("evt") == "replaced")  # the caller's INVITE replaced the consult call
    await target.until(lambda s: s["state"] == 5 and s["calls"] == 1)
    await rec.next(CallDidEnd, lambda e: e.call_ref == first)
    await rec.next(CallDidEnd, lambda e: e.call_ref == consult)
