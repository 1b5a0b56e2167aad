"""The hotline menu: each choice (and a timeout) lands in the right queue with CSD_MENU and CSD_POLICY."""

from __future__ import annotations

from pathlib import Path

import pytest
from labkit import dial_hotline
from labsim.ami import AmiClient
from labsim.labinfo import LabInfo
from labsim.phone import Phones

pytestmark = pytest.mark.lab


@pytest.mark.parametrize(("caller_id", "digit", "queue", "menu", "policy"), [
    ("13900000201", "2", "claims-life", "2", "7700112233"),
    ("13900000301", "3", "service", "3", ""),
    ("13900000001", "0", "service", "0", "5"),
    ("13900000901", "", "service", "0", ""),  # no key at all: the menu times out into service
])
def test_menu_choice_joins_its_queue(lab: LabInfo, ami: AmiClient, phones: Phones, speech: Path,
                                     caller_id: str, digit: str, queue: str, menu: str, policy: str) -> None:
    leg, join = dial_hotline(phones, ami, caller_id, digit, policy, speech)
    assert join["Queue"] == queue
    assert join.chanvars()["CSD_MENU"] == menu
    assert join.chanvars()["CSD_QUEUE"] == queue
    assert join.chanvars().get("CSD_POLICY", "") == policy
    leg.hangup()
    ami.wait(lambda m: m.get("Event") == "QueueCallerAbandon" and m.get("Uniqueid") == join["Uniqueid"], 15,
             "the caller to leave the queue")
