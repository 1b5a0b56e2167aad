"""A desk that stops in wrap-up without signing out (killed, crashed) comes back in wrap-up, against the real lab:
the same wrap-up clock runs on, timed by the PBX's LastPause, and the PBX keeps the agent paused for wrap-up. The
CSR's extensions of that wrap-up come back too (from the audit trail: the PBX does not keep them)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import time
from typing import Any

from labsim.labinfo import LabInfo

from app.config import CentreConfig, PbxServer
from app.demo_data.generate import demo_caller_numbers
from app.desk import Desk
from cti.ami.actions import MemberStatus, PbxActions
from cti.ami.link import AmiLink, PbxAddress
from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.state_types import WRAP_UP_REASON
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_desk_lab import simulator, until

AGENT = "1005"  # demo skills: claims-auto and service
WRAP_UP_SECONDS = 120
DOWN_SECONDS = 4.0  # how long the first desk works in wrap-up and then lies dead before the restart
EXTEND = (30, 15)  # the CSR extends the wrap-up twice before the desk dies


def at_this_lab(centre: CentreConfig, lab: LabInfo) -> CentreConfig:
    """The centre with this lab instance as its only PBX, and a wrap-up long enough for a restart."""
    pbx = PbxServer(host=lab.host, ami_port=lab.ami_port, ami_tls_port=lab.ami_tls_port, sip_port=lab.sip_port,
                    sip_tls_port=lab.sip_tls_port)
    return dataclasses.replace(centre, pbx=(pbx,), wrap_up_seconds=WRAP_UP_SECONDS)


def new_desk(config: CentreConfig, parts: dict[str, Any], lab: LabInfo, bus: EventBus) -> Desk:
    return Desk(config=config, profile=config.profiles["onsite"], desk_id="e2e-desk", bus=bus,
                worker=parts["worker"], session_factory=parts["session_factory"], credentials=parts["credentials"],
                softphone=EngineClient(bus), ca_file=str(lab.ca_cert))


async def members(admin: PbxActions) -> list[MemberStatus]:
    snap = await admin.queue_status(member=f"PJSIP/{AGENT}")
    return [m for m in snap.members if m.interface == f"PJSIP/{AGENT}"]


async def test_a_desk_stopped_in_wrap_up_comes_back_in_wrap_up_with_the_time_it_had_left(
    desk_parts: dict[str, Any], centre: CentreConfig, lab: LabInfo
) -> None:
    config = at_this_lab(centre, lab)
    admin_link = AmiLink(addresses=[PbxAddress(lab.host, lab.ami_port)], username="admin",
                         secret=lab.ami_secret("admin"), action_timeout=10)
    admin_link.start()
    await admin_link.wait_up(30)
    admin = PbxActions(admin_link)  # the tests-only admin AMI user: what the PBX really has
    first = new_desk(config, desk_parts, lab, desk_parts["bus"])
    second = new_desk(config, desk_parts, lab, EventBus())
    caller = demo_caller_numbers(5)[3]
    sim = simulator(caller, "--survey", "none")
    try:
        await first.sign_in(AGENT, PASSWORD)
        assert first.session is not None
        await until(lambda: first.session.state.status.value in ("ready", "ringing"), "ready")
        await until(lambda: first.session.state.status.value == "ringing", "the simulator's call", within=60)
        await first.answer()
        await until(lambda: first.session.state.status.value == "talking", "talking")
        await asyncio.sleep(1.0)
        await first.hangup()
        await until(lambda: first.session.state.status.value == "wrap_up", "wrap-up after hang-up")
        plain = first.wrap_up_deadline()
        for step in EXTEND:
            await first.extend_wrap_up(step)
        deadline = first.wrap_up_deadline()
        assert plain is not None
        assert deadline is not None
        assert deadline - plain == sum(EXTEND)
        for _ in range(100):  # the desk pauses the agent for wrap-up by a service call, just after the state
            kept = await members(admin)
            if kept and all(m.paused and m.reason == WRAP_UP_REASON for m in kept):
                break
            await asyncio.sleep(0.1)
        assert kept
        assert all(m.paused and m.reason == WRAP_UP_REASON and m.last_pause > 0 for m in kept), kept
        await asyncio.sleep(DOWN_SECONDS / 2)

        # The desk dies in wrap-up: its engine is killed and its session stops without signing out.
        engine = first.softphone
        assert engine.pid is not None
        os.kill(engine.pid, signal.SIGKILL)
        await first.session.close()
        await engine.stop()
        await asyncio.sleep(DOWN_SECONDS / 2)
        assert [(m.queue, m.paused, m.reason, m.last_pause) for m in await members(admin)] == \
            [(m.queue, m.paused, m.reason, m.last_pause) for m in kept], "the PBX kept the agent as it was"

        await second.sign_in(AGENT, PASSWORD)  # a new desk process would do exactly this
        session = second.session
        assert session is not None
        assert (session.state.status.value, session.state.reason) == ("wrap_up", WRAP_UP_REASON)
        left = second.wrap_up_deadline()
        assert left is not None
        expected = deadline - time.monotonic()  # what the first desk's clock has left now
        assert abs((left - time.monotonic()) - expected) <= 2.0, (left - time.monotonic(), expected)
        assert expected < WRAP_UP_SECONDS + sum(EXTEND) - DOWN_SECONDS + 1, "not a fresh wrap-up"
        assert expected > WRAP_UP_SECONDS, "the extensions were kept"
        assert session.resumed is not None
        assert session.resumed.ran_out is False
        now = await members(admin)
        assert sorted(m.queue for m in now) == sorted(m.queue for m in kept)
        assert all(m.paused and m.reason == WRAP_UP_REASON for m in now), "still paused for wrap-up"
        assert {m.last_pause for m in now} == {m.last_pause for m in kept}, "the wrap-up's start still stands"

        await second.finish_wrap_up()  # the desk's timer or the CSR ends it as ever
        await until(lambda: session.state.status.value == "ready", "ready after wrap-up")
        assert not any(m.paused for m in await members(admin))
        await second.sign_out()
        assert await members(admin) == []
    finally:
        if first._alert_timer is not None:  # the dead desk's own timer (a killed process has none left)
            first._alert_timer.cancel()
        with contextlib.suppress(Exception):
            await second.close()
        with contextlib.suppress(Exception):
            await first.softphone.stop()
        for m in await members(admin):  # never leave the agent in a queue for the next test
            with contextlib.suppress(Exception):
                await admin.queue_remove(queue=m.queue, interface=m.interface)
        await admin_link.stop()
        if sim.poll() is None:
            sim.kill()
        sim.wait(timeout=30)
