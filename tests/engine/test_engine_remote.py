"""The remote profile against the lab's TLS transport: verified TLS, mandatory SRTP, no plain RTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from conftest import pulse_up
from enginekit import Recorder

from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import CallDidOffer, RegistrationDidChange
from cti.softphone import SipAccount
from tests.conftest import need

pytestmark = [pytest.mark.lab]
DESK = "1008"


@pytest.fixture(scope="module")
def lab() -> Any:
    from labsim.labinfo import LabNotUp, load

    try:
        return load()
    except LabNotUp as exc:
        need(False, f"the Asterisk lab: {exc}")


def remote_account(lab: Any, ca_file: str) -> SipAccount:
    return SipAccount(extension=f"r{DESK}", password=lab.sip_password(DESK),
                      registrars=(f"{lab.host}:{lab.sip_tls_port}",), transport="tls",
                      srtp_required=True, ca_file=ca_file)


@pytest.fixture
async def remote_desk() -> AsyncIterator[tuple[EngineClient, Recorder]]:
    need(pulse_up(), "PulseAudio null sinks (scripts/audio.sh up)")
    bus = EventBus()
    rec = Recorder(bus)
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    yield client, rec
    assert await client.stop() == 0, "\n".join(client.stderr_tail)


async def test_tls_srtp_call_succeeds_and_carries_audio(lab, remote_desk) -> None:
    client, rec = remote_desk
    await client.register(remote_account(lab, str(lab.ca_cert)))
    reg = await rec.next(RegistrationDidChange, lambda e: e.registered)
    assert reg.registrar.endswith(str(lab.sip_tls_port))
    result = await client.echo_test("9196")  # audio out and back through SRTP
    assert result["correlation"] > 0.5


async def test_server_not_signed_by_the_configured_ca_is_refused(lab, remote_desk, tmp_path) -> None:
    client, rec = remote_desk
    await client.register(remote_account(lab, "/etc/ssl/certs/ca-certificates.crt"))
    failed = await rec.next(RegistrationDidChange, lambda e: not e.registered)
    assert failed.sip_status != 200
    assert not rec.of(RegistrationDidChange)[-1].registered


async def test_plain_rtp_offer_is_refused_in_the_remote_profile(lab, remote_desk, peers) -> None:
    client, rec = remote_desk
    await client.register(remote_account(lab, str(lab.ca_cert)))
    await rec.next(RegistrationDidChange, lambda e: e.registered)
    port = (await client.info())["ports"]["udp"]
    peer = await peers("--srtp", "off")
    await peer.do("call", uri=f"sip:r{DESK}@127.0.0.1:{port}")
    ended = await peer.saw(lambda e: e.get("evt") == "state" and e["state"] == 6)
    assert ended["status"] in (488, 406)
    assert not rec.of(CallDidOffer)
