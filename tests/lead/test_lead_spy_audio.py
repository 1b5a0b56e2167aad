"""Listen, whisper and barge verified by audio (tones on each leg) against the lab: the lead hears both parties;
in whisper mode the agent hears the lead and the caller does not; in barge mode both hear the lead.

The spying is cti.supervisor.SupervisorSession (the lead desk's own session) with the lab's lead2002 AMI user; the
three phones are pjsua2 (labsim) in a child process, because pjsua2 runs once per process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.conftest import need

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parents[2]
HEARD, SILENT = 100.0, 20.0  # tone peak over the spectral floor: heard ≫ 100, absent ≈ 2


def test_listen_whisper_barge_by_ear(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "asterisk-conf"))
    from labsim.labinfo import LabNotUp, load

    try:
        load("primary")
    except (LabNotUp, OSError) as exc:
        need(False, f"the Asterisk lab (asterisk-conf/lab up): {exc}")
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("spyaudio.py")), str(tmp_path)],
                          capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    heard = json.loads(proc.stdout.strip().splitlines()[-1])

    def hears(mode: str, leg: str, tone: str) -> bool:
        level = heard[mode][leg][tone]
        assert level >= HEARD or level <= SILENT, f"{mode}: {leg} hears {tone} at an unclear level {level}"
        return level >= HEARD

    for mode in ("listen", "whisper", "barge"):
        assert hears(mode, "lead", "caller"), f"{mode}: the lead hears the caller"
        assert hears(mode, "lead", "agent"), f"{mode}: the lead hears the agent"
        assert hears(mode, "caller", "agent"), f"{mode}: the call goes on"
        assert hears(mode, "agent", "caller"), f"{mode}: the call goes on"
    assert not hears("listen", "agent", "lead")
    assert not hears("listen", "caller", "lead")
    assert hears("whisper", "agent", "lead")
    assert not hears("whisper", "caller", "lead")
    assert hears("barge", "agent", "lead")
    assert hears("barge", "caller", "lead")
