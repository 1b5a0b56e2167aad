"""INVITE received by the engine -> CallDidOffer published at the desk (EngineClient on asyncio).

A far-end pjsua2 phone (its own process) calls the engine directly, N times in a row; the desk rejects
each call. Two figures: from the moment pjsip handed the parsed INVITE to the engine (the engine stamps
CLOCK_MONOTONIC, which is system-wide) to the bus publish in the desk process; and from the far end's
makeCall() to the same publish (includes the far end's SIP stack and the loopback network).
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "engine"))

from enginekit import Peer, Recorder

from bench.common import Row, bench_args, emit
from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import CallDidEnd, CallDidOffer
from cti.softphone import SipAccount


async def measure(n: int) -> tuple[list[float], list[float]]:
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    await client.register(SipAccount(extension="1001", password="-", registrars=()))
    port = (await client.info())["ports"]["udp"]
    peer = await Peer.start()
    end_to_end: list[float] = []
    try:
        for i in range(n + 5):  # the first 5 warm up
            mark = len(rec.events)
            reply = await peer.do("call", uri=f"sip:1001@127.0.0.1:{port}")
            offer = await rec.next(CallDidOffer, after=mark)
            if i >= 5:
                end_to_end.append((offer.at - reply["sent_at"]) * 1000)
            await client.reject(offer.call_ref)
            await rec.next(CallDidEnd, lambda e, ref=offer.call_ref: e.call_ref == ref, after=mark)
            await peer.saw(lambda e: e.get("evt") == "state" and e["state"] == 6)
            peer.events.clear()
    finally:
        await peer.close()
        await client.stop()
    engine_side = [x * 1000 for x in list(client.offer_latency)[5:]]
    return engine_side, end_to_end


def main() -> int:
    args = bench_args(__doc__ or "")
    os.environ.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    n = 50 if args.quick else 300
    engine_side, end_to_end = asyncio.run(measure(n))
    rows = [
        Row("invite_to_offer", "INVITE received → call_did_offer at the desk", "ms", "p99 < 10 ms",
            note="engine stamps the parsed INVITE; desk stamps the bus publish").latency(engine_side).check("<", 10.0),
        Row("invite_sent_to_offer", "Far end makeCall() → call_did_offer at the desk", "ms", "report",
            note="includes the far end's pjsip and loopback UDP").latency(end_to_end),
    ]
    emit(rows, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
