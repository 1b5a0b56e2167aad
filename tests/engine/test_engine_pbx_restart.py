"""Re-registration after a PBX restart, on the lab's standby instance (127.0.0.2) so the primary that
other tests share is not disturbed.

The engine registers, the standby PBX stops and starts again; the engine's registrar probe notices,
reports the registration lost, re-registers by itself once the PBX is back, and takes a call.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DESK, FAR, pulse_up
from enginekit import Recorder

from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import CallDidAnswer, CallDidOffer, RegistrationDidChange
from cti.softphone import SipAccount
from tests.conftest import need

pytestmark = [pytest.mark.lab]
LAB = str(Path(__file__).resolve().parents[2] / "asterisk-conf" / "lab")
PROBE = 2.0  # seconds between registrar probes in this test (the desk default is 30)
TIMER_F = 32  # a REGISTER over UDP to a stopped PBX fails by transaction timeout (pjsip ignores ICMP)
LOST_WITHIN = PROBE + TIMER_F + 10  # probe interval + the failing REGISTER + slack (shared 2-core machine)
BACK_WITHIN = 5 + TIMER_F + 10  # pjsua's 5 s retry; a retry sent just before the PBX came back may time out


def standby_cmd(*args: str, timeout: float = 180) -> str:
    r = subprocess.run([LAB, "--instance", "standby", *args], capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"lab --instance standby {' '.join(args)}: {r.stdout[-600:]} {r.stderr[-600:]}"
    return r.stdout


@pytest.fixture
def standby() -> Any:
    from labsim.labinfo import LabNotUp, load

    standby_cmd("up")  # idempotent; the standby is not shared with the other suites' calls
    try:
        return load("standby")
    except LabNotUp as exc:
        need(False, f"the standby Asterisk lab: {exc}")


@pytest.fixture
async def desk(standby: Any) -> AsyncIterator[tuple[EngineClient, Recorder]]:
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker",
                          registrar_probe=PROBE)
    await client.start()
    await client.register(SipAccount(extension=DESK, password=standby.sip_password(DESK),
                                     registrars=(f"{standby.host}:{standby.sip_port}",)))
    await rec.next(RegistrationDidChange, lambda e: e.registered)
    yield client, rec
    assert await client.stop() == 0, "\n".join(client.stderr_tail)


async def test_re_registers_by_itself_after_a_pbx_restart_and_takes_a_call(standby, desk, peers) -> None:
    client, rec = desk
    mark = len(rec.events)
    try:
        await asyncio.to_thread(standby_cmd, "cli", "core stop now")
        lost = await rec.next(RegistrationDidChange, lambda e: not e.registered, after=mark, within=LOST_WITHIN)
        assert lost.registrar == f"{standby.host}:{standby.sip_port}"
    finally:
        await asyncio.to_thread(standby_cmd, "up")  # the PBX comes back (and stays up for later tests)
    mark = len(rec.events)
    back = await rec.next(RegistrationDidChange, lambda e: e.registered, after=mark, within=BACK_WITHIN)
    assert back.sip_status == 200

    peer = await peers("--register", f"{FAR}@{standby.host}:{standby.sip_port}",
                       password=standby.sip_password(FAR))
    reg = await peer.saw(lambda e: e.get("evt") == "reg")
    assert 200 <= reg["code"] < 300
    await peer.do("call", uri=f"sip:{DESK}@{standby.host}:{standby.sip_port}")
    offer = await rec.next(CallDidOffer, within=30)
    assert offer.caller_id == FAR
    await client.answer(offer.call_ref)
    await rec.next(CallDidAnswer, lambda e: e.call_ref == offer.call_ref)
    await peer.until(lambda s: s["state"] == 5)
    await client.hangup(offer.call_ref)
