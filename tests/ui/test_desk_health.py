"""The desk says on its state bar, without a dialog or a sound, whatever keeps calls or voice from reaching the
CSR, and clears each warning when that part recovers: the PBX link, the softphone (engine crash and restart,
registration), the headset and the ringer (S-8.2.1b)."""

from __future__ import annotations

from typing import Any

from cti.bus import EventBus
from cti.events import (
    AgentDidChangeState,
    AudioDeviceDidChange,
    EngineDidCrash,
    EngineDidRestart,
    LinkDidConnect,
    LinkDidDrop,
    RegistrationDidChange,
    StateDidResync,
)
from ui.bridge import QtEventBridge
from ui.mainwindow import MainWindow

REASONS = ["小休", "用餐", "培训", "会议", "事务处理"]


class Desk:
    def wrap_up_deadline(self) -> None:
        return None


def _window(qtbot: Any) -> tuple[MainWindow, EventBus]:
    bus = EventBus()
    window = MainWindow(desk=Desk(), bridge=QtEventBridge(bus=bus), reasons=REASONS)
    qtbot.addWidget(window)
    window.show()
    window.apply_state(AgentDidChangeState(old="signing_in", new="ready", cause="signed in"))
    return window, bus


def _shown(window: MainWindow) -> str:
    label = window.state_bar.warning_label
    return label.text() if label.isVisibleTo(window) else ""


def test_each_degradation_is_shown_until_its_own_recovery(qtbot: Any) -> None:
    window, bus = _window(qtbot)
    assert _shown(window) == ""
    bus.publish(AudioDeviceDidChange(role="headset_out", state="unavailable"))
    qtbot.waitUntil(lambda: "Headset not available" in _shown(window), timeout=2000)
    bus.publish(EngineDidCrash(exit_code=-9))
    qtbot.waitUntil(lambda: "Softphone stopped; restarting it" in _shown(window), timeout=2000)
    bus.publish(LinkDidDrop(address="127.0.0.1:15038", reason="connection lost"))
    qtbot.waitUntil(lambda: "PBX link lost" in _shown(window), timeout=2000)
    assert "Headset not available" in _shown(window), "one recovery does not hide another warning"

    bus.publish(LinkDidConnect(address="127.0.0.1:15038"))
    qtbot.waitUntil(lambda: "PBX link lost" not in _shown(window), timeout=2000)
    assert "Softphone stopped" in _shown(window)
    bus.publish(EngineDidRestart())
    bus.publish(RegistrationDidChange(registered=False, sip_status=408, reason="Request Timeout"))
    qtbot.waitUntil(lambda: "Softphone not registered with the PBX" in _shown(window), timeout=2000)
    assert "Request Timeout" in _shown(window)
    assert "Softphone stopped" not in _shown(window)
    bus.publish(RegistrationDidChange(registered=True, sip_status=200, reason="OK"))
    bus.publish(AudioDeviceDidChange(role="headset_out", state="open"))
    qtbot.waitUntil(lambda: _shown(window) == "", timeout=2000)


def test_resync_note_and_ringer_and_microphone(qtbot: Any) -> None:
    window, bus = _window(qtbot)
    bus.publish(StateDidResync(changes=("not ready on the PBX",)))
    bus.publish(AudioDeviceDidChange(role="ringer_out", state="unavailable"))
    bus.publish(AudioDeviceDidChange(role="headset_in", state="unavailable"))
    qtbot.waitUntil(lambda: "Ringer speaker not available" in _shown(window), timeout=2000)
    text = _shown(window)
    assert "Resynced with the PBX: not ready on the PBX" in text
    assert "Headset microphone not available" in text
    assert window.state_bar.warning_label.toolTip() == text  # the whole text, should the bar cut it


def test_an_unregistered_softphone_is_no_warning_once_signed_out(qtbot: Any) -> None:
    window, bus = _window(qtbot)
    window.apply_state(AgentDidChangeState(old="ready", new="signed_out", cause="signed out"))
    bus.publish(RegistrationDidChange(registered=False, sip_status=0, reason="unregistered"))
    bus.publish(AudioDeviceDidChange(role="headset_out", state="unavailable"))  # a marker that events arrived
    qtbot.waitUntil(lambda: "Headset not available" in _shown(window), timeout=2000)
    assert "not registered" not in _shown(window)
