"""Issue 8, "switch the mode live" and "the lead's own softphone carries the audio", checked by ear against the lab.

ONE spy call, set up by the real SupervisorSession and answered by csdesk's own engine process (EngineClient, the
desk's pjsua2 softphone, on PulseAudio null sinks of the run's own), is switched listen -> whisper -> barge -> listen
(DTMF 4/5/6 into ChanSpy's 'd' option). After each switch the tones on every leg prove the mode: the lead hears
both parties; in whisper the agent hears the lead and the caller does not; in barge both hear the lead; back in
listen neither does. Then Stop ends the spy leg on the PBX while the agent and the caller go on talking.

The phones and the engine run in a child (tests/lead/spylive.py): the caller and the agent are labsim pjsua2 phones
there (pjsua2 runs once per process), and the lead's engine is that child's own engine process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.conftest import need

pytestmark = [pytest.mark.lab, pytest.mark.audio]
ROOT = Path(__file__).resolve().parents[2]
HEARD, SILENT = 100.0, 20.0  # tone peak over the spectral floor: heard is in the thousands, absent about 2
PARTIES = ("caller", "agent", "lead")


def _pulse_up() -> bool:
    os.environ.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    return bool(shutil.which("pactl")) and subprocess.run(["pactl", "info"], capture_output=True,
                                                            timeout=5).returncode == 0


@pytest.fixture(scope="module")
def spy_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "asterisk-conf"))
    from labsim.labinfo import LabNotUp, load

    try:
        load("primary")
    except (LabNotUp, OSError) as exc:
        need(False, f"the Asterisk lab (asterisk-conf/lab up): {exc}")
    need(_pulse_up(), "PulseAudio (scripts/audio.sh up)")
    out = tmp_path_factory.mktemp("spylive")
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("spylive.py")), str(out)],
                          capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["engine_exit"] == 0, "the lead's engine stopped cleanly"
    return result


def hears(heard: dict[str, dict[str, float]], who: str, tone: str, where: str) -> bool:
    level = heard[who][tone]
    assert level >= HEARD or level <= SILENT, f"{where}: {who} hears {tone} at an unclear level {level}"
    return level >= HEARD


def test_one_spy_call_answered_by_the_engine_is_switched_live(spy_run: dict[str, Any]) -> None:
    phases = spy_run["phases"]
    assert [p["mode"] for p in phases] == ["listen", "whisper", "barge", "listen"]
    assert spy_run["offers"] == 1, "the lead's engine was offered exactly one call: the switches made no new call"
    first = phases[0]
    assert first["spy_ref"]
    assert first["spy_channel"].startswith("PJSIP/2002-")
    for p in phases:
        assert (p["spy_ref"], p["spy_channel"]) == (first["spy_ref"], first["spy_channel"]), p["mode"]
        assert p["sup_mode"] == p["mode"]
    assert spy_run["spy_ends_before_stop"] == [], "the spy call stayed up through every switch"
    assert spy_run["dtmf_reached"] == {"caller": "", "agent": ""}, "ChanSpy took the switching digits"


@pytest.mark.parametrize("index", range(4), ids=["listen", "whisper", "barge", "listen-again"])
def test_each_switch_is_heard_on_every_leg(spy_run: dict[str, Any], index: int) -> None:
    phase = spy_run["phases"][index]
    mode, heard = phase["mode"], phase["heard"]
    where = f"phase {index} ({mode})"
    assert heard["captured"]["lead_seconds"] >= 2.5, "the lead's headset was recorded"
    assert hears(heard, "lead", "caller", where), f"{where}: the lead hears the caller"
    assert hears(heard, "lead", "agent", where), f"{where}: the lead hears the agent"
    assert hears(heard, "caller", "agent", where), f"{where}: the caller goes on hearing the agent"
    assert hears(heard, "agent", "caller", where), f"{where}: the agent goes on hearing the caller"
    agent_hears_lead = hears(heard, "agent", "lead", where)
    caller_hears_lead = hears(heard, "caller", "lead", where)
    expected = {"listen": (False, False), "whisper": (True, False), "barge": (True, True)}[mode]
    assert (agent_hears_lead, caller_hears_lead) == expected, \
        f"{where}: (agent, caller) hear the lead = {(agent_hears_lead, caller_hears_lead)}, want {expected}"


def test_stop_ends_the_spy_leg_and_the_call_goes_on(spy_run: dict[str, Any]) -> None:
    assert spy_run["stopped_ref"] == spy_run["phases"][0]["spy_ref"], "the engine's spy call ended"
    assert spy_run["lead_channel_gone"], "the PBX dropped the lead's channel"
    assert spy_run["agent_channel_after_stop"], "the agent's channel is still up on the PBX"
    assert spy_run["spy_stops"] == [["1008", "stopped by the lead"]]
    after = spy_run["after_stop"]
    assert after["connected"] == {"caller": True, "agent": True}
    heard = after["heard"]
    assert hears(heard, "caller", "agent", "after stop")
    assert hears(heard, "agent", "caller", "after stop")
    assert not hears(heard, "caller", "lead", "after stop")
    assert not hears(heard, "agent", "lead", "after stop")
    assert heard["captured"]["lead_seconds"] >= 2.5, "the lead's headset was recorded"
    assert not any(hears(heard, "lead", who, "after stop") for who in PARTIES), "the lead's headset is quiet"
