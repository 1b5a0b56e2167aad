"""200 sequential calls through one engine: its memory stays within a stated bound, and it shuts down clean.

Bound: after 20 warm-up calls, the engine's resident memory may grow by at most 4 MiB over the next 180
calls (pjsua2 pools and Python's allocator settle during warm-up; a leak of one Call, its media port and
SDP per call would be 30 KiB+ each, i.e. over 5 MiB across 180 calls).
"""

from __future__ import annotations

from pathlib import Path

from cti.events import CallDidAnswer, CallDidEnd

WARMUP, CALLS, BOUND_KIB = 20, 200, 4096


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def test_200_calls_do_not_grow_engine_memory(engine, peers) -> None:
    client, rec = engine
    peer = await peers("--answer")
    pid = client.pid
    assert pid is not None
    base = 0
    for i in range(CALLS):
        if i == WARMUP:
            base = rss_kib(pid)
        mark = len(rec.events)
        ref = await client.dial(peer.uri())
        await rec.next(CallDidAnswer, lambda e, r=ref: e.call_ref == r, after=mark)
        await client.hangup(ref)
        await rec.next(CallDidEnd, lambda e, r=ref: e.call_ref == r, after=mark)
        if len(rec.events) > 1000:
            rec.events.clear()
    growth = rss_kib(pid) - base
    print(f"engine RSS growth over {CALLS - WARMUP} calls: {growth} KiB (bound {BOUND_KIB} KiB)")
    assert growth < BOUND_KIB
    assert (await client.info())["calls"] == []  # every call object was retired
