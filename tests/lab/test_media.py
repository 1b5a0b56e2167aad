"""Media through the real lab: a tone sent into the echo test comes back at its frequency; hold is seen on AMI."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from labsim.ami import AmiClient
from labsim.audio import tone_wav
from labsim.labinfo import LabInfo
from labsim.phone import Phones

pytestmark = pytest.mark.lab


def rms(path: Path) -> float:
    """Return the RMS level (0..32768) of a 16-bit WAV, after its first half second."""
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float)[rate // 2 :]
    return float(np.sqrt(np.mean(data * data))) if data.size else 0.0


def dominant_hz(path: Path) -> float:
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float)
    data = data[rate // 2 :]  # skip the start (jitter buffer warm-up)
    assert data.size > rate // 2, "too little audio recorded"
    spectrum = np.abs(np.fft.rfft(data * np.hanning(data.size)))
    return float(np.fft.rfftfreq(data.size, 1 / rate)[int(np.argmax(spectrum))])


def test_tone_through_echo_comes_back_at_its_frequency(lab: LabInfo, phones: Phones, tmp_path: Path) -> None:
    tone = tone_wav(tmp_path / "tone.wav", freq=1000.0, seconds=3.0)
    heard = tmp_path / "heard.wav"
    leg = phones.line("1001").call("9196")
    leg.play(tone)
    leg.record(heard)
    phones.wait(lambda: leg.connected, 10, "the echo test to answer")
    phones.pump(3.0)
    leg.stop_recording()
    leg.hangup()
    phones.wait(lambda: leg.ended, 10, "the hangup")
    assert abs(dominant_hz(heard) - 1000.0) < 20


def test_hold_and_unhold_are_reported_on_ami(lab: LabInfo, ami: AmiClient, phones: Phones, tmp_path: Path) -> None:
    start = len(ami.messages)
    leg = phones.line("1002").call("9196")
    phones.wait(lambda: leg.connected, 10, "the echo test to answer")
    phones.pump(0.5)
    leg.hold()
    ami.wait(lambda m: m.get("Event") == "Hold" and m.get("Channel", "").startswith("PJSIP/1002-"), 10,
             "the Hold event", start)
    phones.pump(0.5)
    leg.unhold()
    ami.wait(lambda m: m.get("Event") == "Unhold" and m.get("Channel", "").startswith("PJSIP/1002-"), 10,
             "the Unhold event", start)
