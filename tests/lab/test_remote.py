"""The remote-desk profile: r10NN registers over TLS (server verified with the lab CA) and must use SRTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from labsim.labinfo import LabInfo
from labsim.phone import Phones

pytestmark = pytest.mark.lab


def test_remote_endpoint_over_tls_with_srtp_reaches_echo(lab: LabInfo, phones: Phones, speech: Path) -> None:
    remote = phones.line("r1001", transport="tls")
    assert remote.registered
    leg = remote.call("9196")
    leg.play(speech)
    phones.wait(lambda: leg.connected or leg.ended, 15, "the echo test over TLS")
    assert leg.connected, f"SIP {leg.last_code}"
    phones.wait(lambda: min(leg.rtp_packets()) > 20, 15, "SRTP both ways")


def test_remote_endpoint_refuses_plain_rtp(lab: LabInfo, phones: Phones) -> None:
    plain = phones.line("r1002", transport="tls", srtp=False)
    leg = plain.call("9196")
    phones.wait(lambda: leg.ended or leg.connected, 15, "the plain-RTP call to be refused")
    assert leg.ended
    assert not leg.connected
    assert leg.last_code >= 400
