"""A real queue call from the lab's customer simulator to the engine, and transfers observed on AMI.

The caller is a pjsua2 phone (own process) presenting as a mobile through the ``pstn`` endpoint: it dials
the 95500 hotline, picks menu 1 and keys a policy number; the queue rings the engine (1007). What the
desk sees (X-CSD-* data, audio both ways on G.722) and what the PBX reports on AMI are both checked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from audiokit import Speaker, dominant, record
from conftest import DESK, FAR
from enginekit import Peer

from cti.events import CallDidAnswer, CallDidEnd, CallDidHold, CallDidOffer, CallQualityDidUpdate

pytestmark = [pytest.mark.lab, pytest.mark.audio]
QUEUE, MOBILE, POLICY = "claims-auto", "13912340009", "880012345"


@pytest.fixture
def ami(lab: Any) -> Iterator[Any]:
    from labsim.ami import AmiClient

    with AmiClient.for_lab(lab, "admin") as client:
        iface = f"PJSIP/{DESK}"
        client.action("QueueRemove", Queue=QUEUE, Interface=iface)
        res = client.action("QueueAdd", Queue=QUEUE, Interface=iface, MemberName=f"engine{DESK}",
                            StateInterface=iface, Paused="false")
        assert res.get("Response") == "Success", res
        try:
            yield client
        finally:
            client.action("QueueRemove", Queue=QUEUE, Interface=iface)


async def hotline_call(lab: Any, peers: Any) -> Peer:
    """Dial 95500 as a mobile caller, choose menu 1 and key the policy number."""
    caller: Peer = await peers("--account", f"{MOBILE}@{lab.host}:{lab.sip_port}", "--auth-user", "pstn",
                               "--codec", "G722", password=lab.sip_password("pstn"))
    await caller.do("call", uri=f"sip:95500@{lab.host}:{lab.sip_port}")
    await caller.until(lambda s: s["state"] == 5)
    await asyncio.sleep(1.5)
    await caller.do("dtmf", digits="1")
    await asyncio.sleep(1.5)
    await caller.do("dtmf", digits=POLICY + "#")
    return caller


async def ami_event(ami: Any, name: str, start: int, **match: str) -> dict[str, str]:
    def pred(m: dict[str, str]) -> bool:
        return m.get("Event") == name and all(m.get(k) == v for k, v in match.items())

    msg: dict[str, str] = await asyncio.to_thread(ami.wait, pred, 60, f"AMI {name}", start)
    return msg


async def answered_queue_call(lab: Any, ami: Any, desk: Any, peers: Any) -> tuple[Peer, str, dict[str, str]]:
    client, rec = desk
    start = len(ami.messages)
    caller = await hotline_call(lab, peers)
    join = await ami_event(ami, "QueueCallerJoin", start, CallerIDNum=MOBILE)
    offer = await rec.next(CallDidOffer, lambda e: e.linkedid == join["Linkedid"], within=60)
    assert offer.caller_id == MOBILE
    assert offer.queue == QUEUE
    assert offer.linkedid == join["Linkedid"]
    assert dict(offer.ivr_vars) == {"CSD_POLICY": POLICY, "CSD_MENU": "1"}
    await client.answer(offer.call_ref)
    await rec.next(CallDidAnswer, lambda e: e.call_ref == offer.call_ref)
    # The PBX bridges the customer after its connect routine; a REFER before that is refused (400).
    await ami_event(ami, "AgentConnect", start, Interface=f"PJSIP/{DESK}")
    return caller, offer.call_ref, join


async def test_queue_call_screen_pops_and_carries_tones_both_ways_on_g722(lab, ami, desk, peers) -> None:
    client, rec = desk
    caller, ref, _ = await answered_queue_call(lab, ami, desk, peers)
    await caller.do("tone", freq=1000)  # the customer's tone reaches the CSR's headset device
    heard = await record("headset.monitor", 1.5)
    freq, rms = dominant(heard[len(heard) // 3 :])
    assert abs(freq - 1000) < 25, (freq, rms)
    mic = await Speaker.tone("mic", 700)  # the CSR's microphone reaches the customer
    try:
        reply: dict[str, Any] = {}
        for _ in range(40):
            reply = await caller.do("peak")
            if abs(reply["freq"] - 700) < 25 and reply["rms"] > 300:
                break
        assert abs(reply["freq"] - 700) < 25, reply
    finally:
        await mic.close()
    q = await rec.next(CallQualityDidUpdate, lambda e: e.call_ref == ref)
    assert q.codec == "G722"  # the agent leg is wideband
    await client.hangup(ref)
    await rec.next(CallDidEnd, lambda e: e.call_ref == ref)


async def test_blind_transfer_from_the_softphone_is_seen_on_ami(lab, ami, desk, peers) -> None:
    client, rec = desk
    target: Peer = await peers("--register", f"{FAR}@{lab.host}:{lab.sip_port}", "--answer",
                               password=lab.sip_password(FAR))
    await target.saw(lambda e: e.get("evt") == "reg" and 200 <= e["code"] < 300)
    _, ref, join = await answered_queue_call(lab, ami, desk, peers)
    start = len(ami.messages)
    await client.blind_transfer(ref, FAR)
    xfer = await ami_event(ami, "BlindTransfer", start)
    assert xfer.get("Result") == "Success", xfer
    assert xfer.get("Extension") == FAR
    await target.until(lambda s: s["state"] == 5)  # the customer now talks to the target
    await rec.next(CallDidEnd, lambda e: e.call_ref == ref)
    _ = join


async def test_attended_transfer_from_the_softphone_is_seen_on_ami(lab, ami, desk, peers) -> None:
    client, rec = desk
    target: Peer = await peers("--register", f"{FAR}@{lab.host}:{lab.sip_port}", "--answer",
                               password=lab.sip_password(FAR))
    await target.saw(lambda e: e.get("evt") == "reg" and 200 <= e["code"] < 300)
    _, ref, _ = await answered_queue_call(lab, ami, desk, peers)
    await client.hold(ref)
    await rec.next(CallDidHold, lambda e: e.call_ref == ref)
    consult = await client.dial(FAR)
    await rec.next(CallDidAnswer, lambda e: e.call_ref == consult)
    start = len(ami.messages)
    await client.attended_transfer(ref, consult)
    xfer = await ami_event(ami, "AttendedTransfer", start)
    assert xfer.get("Result") == "Success", xfer
    await rec.next(CallDidEnd, lambda e: e.call_ref == ref)
    await rec.next(CallDidEnd, lambda e: e.call_ref == consult)
