"""The customer simulator CLI (python -m labsim.sim) against the real lab, with a pjsua2 agent in this process."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from labkit import queue_member, wait_ringing
from labsim.ami import AmiClient
from labsim.labinfo import LabInfo
from labsim.phone import PhoneError, Phones
from test_media import rms

pytestmark = pytest.mark.lab


class Sim:
    """A running simulator process and the lines it has printed so far."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "labsim.sim", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def printed(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def finish(self, timeout: float = 60) -> tuple[int, dict[str, int]]:
        """Wait for the process to end; return its exit code and JSON summary."""
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        out = "\n".join(self.lines)
        summaries = [line for line in self.lines if line.startswith("{")]
        assert summaries, out
        return code, json.loads(summaries[-1])


@contextmanager
def simulator(*args: str) -> Iterator[Sim]:
    sim = Sim(*args)
    try:
        yield sim
    finally:
        if sim.proc.poll() is None:
            sim.proc.terminate()
            sim.proc.wait(timeout=20)


def test_simulated_customer_walks_ivr_talks_and_scores_survey(
    lab: LabInfo, ami: AmiClient, phones: Phones, speech: Path, tmp_path: Path
) -> None:
    agent = phones.line("1004")
    with queue_member(ami, "claims-life", "1004"), simulator(
        "--calls", "1", "--scenario", "claims-life", "--policy", "5550001", "--survey", "2",
        "--no-answer-outbound", "--seed", "4",
    ) as sim:
        try:
            ring = wait_ringing(phones, agent.incoming, "the simulator's call to ring agent 1004",
                                lambda leg: leg.headers.get("x-csd-policy") == "5550001")
        except PhoneError as exc:
            raise AssertionError("\n".join(sim.lines[-20:])) from exc
        assert ring.headers["x-csd-queue"] == "claims-life"
        assert ring.headers["x-csd-menu"] == "2"
        assert ring.headers["x-csd-policy"] == "5550001"
        heard = tmp_path / "agent-heard.wav"
        ring.play(speech)
        ring.record(heard)
        ring.answer()
        phones.wait(lambda: ring.connected, 10, "the agent's leg to connect")
        try:
            phones.wait(lambda: min(ring.rtp_packets()) > 20, 15, "the simulator's audio")
        except PhoneError as exc:
            raise AssertionError(f"{ring.rtp_packets()} {ring.state} {ring.media_active} {sim.lines[-8:]}") from exc
        phones.pump(2.0)
        ring.stop_recording()
        assert rms(heard) > 300, "the agent hears the simulated customer's speech"
        ring.hangup()
        score = ami.wait(lambda m: m.get("UserEvent") == "CsdSurvey"
                         and m.get("Linkedid") == ring.headers["x-csd-linkedid"], 30, "the survey score")
        assert score["Score"] == "2"
        code, stats = sim.finish()
    assert code == 0, sim.lines
    assert stats["placed"] == 1
    assert stats["connected"] == 1
    assert stats["survey_scored"] == 1


def test_simulator_answers_outbound_call(lab: LabInfo, phones: Phones, speech: Path) -> None:
    with simulator("--calls", "0", "--duration", "60", "--answer-delay", "0.5", "--outbound-talk", "3") as sim:
        agent = phones.line("1003")
        phones.wait(lambda: sim.printed("answering outbound calls") or sim.proc.poll() is not None, 30,
                    "the simulator to register")
        assert sim.proc.poll() is None, sim.lines
        out = agent.call("13700137003")
        out.play(speech)
        phones.wait(lambda: out.connected or out.ended, 30, "the simulator to answer")
        assert out.connected, f"outbound call failed with SIP {out.last_code}"
        phones.wait(lambda: min(out.rtp_packets()) > 20, 15, "RTP both ways")
        phones.wait(lambda: out.ended, 20, "the simulator to hang up after its talk time")
        sim.proc.terminate()
        code, stats = sim.finish(30)
    assert code == 0, sim.lines
    assert stats["outbound_answered"] >= 1  # ours; on a shared lab another desk's call may come in too
