"""Each desk receives only what it needs (server-side eventfilter): measured under load with 10 agents busy."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable

import pytest
from ctilab import Desk, Party

from cti.ami.actions import PbxActions
from cti.state import Status

pytestmark = pytest.mark.lab
HERE = os.path.dirname(__file__)


async def test_a_desk_gets_a_small_share_of_the_events_under_load(
        desks: Callable[..., Awaitable[Desk]], parties: Callable[..., Awaitable[Party]], admin: PbxActions) -> None:
    d = await desks("1001")
    caller = await parties("2002")  # a lead's phone stands in for a customer of the service queue
    await d.session.sign_in("ready")
    # pjsua2 allows 4 calls per process by default: three load processes of three busy agents each
    desk0, all0 = d.session.link.events_received, admin.link.events_received
    groups = [[str(n) for n in range(first, first + 3)] for first in (1002, 1005, 1008)]
    loads = [await asyncio.create_subprocess_exec(
        sys.executable, os.path.join(HERE, "busy_agents.py"), "15", *g, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": os.getcwd()}) for g in groups]
    others = [str(n) for n in range(1002, 1011)]
    for ext in others:  # the busy agents are queue members too (paused: the test's calls go to 1001 only)
        await admin.queue_add(queue="service", interface=f"PJSIP/{ext}", member_name=f"Agent {ext}", reason="load")
    try:
        for p in loads:
            assert await asyncio.wait_for(_ready(p), 60), "the nine other agents are on calls"
        await caller.dial("8003")
        await d.until(Status.RINGING)
        await d.session.answer()  # the tenth busy agent: 1001, driven by the events it still receives
        await asyncio.sleep(4)
        await d.session.hangup()
        assert d.session.status == Status.WRAP_UP
    finally:
        for p in loads:
            await p.wait()
        await asyncio.sleep(1)
        desk_n, all_n = d.session.link.events_received - desk0, admin.link.events_received - all0
        for ext in others:
            await admin.queue_remove(queue="service", interface=f"PJSIP/{ext}")
    share = desk_n / all_n
    print(f"\nevents delivered to desk1001: {desk_n} of {all_n} ({share:.1%}) with 10 agents busy")
    assert desk_n > 0
    # The target is < 0.2 (about 0.05 measured here; bench/events_ratio.py reports it). The bound is the
    # target, not the usual figure, because other activity on the PBX moves the share from run to run.
    assert share < 0.20, f"desk1001 received {desk_n} of {all_n} events"


async def _ready(p: asyncio.subprocess.Process) -> bool:
    """Read the load process's output (pjsua2 logs too) until it says ready or ends."""
    assert p.stdout is not None
    while line := await p.stdout.readline():
        if line.strip() == b"ready":
            return True
    return False
