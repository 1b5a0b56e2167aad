"""The desk's own health on the state bar: whatever keeps calls from reaching the CSR, or their voice from reaching
the caller, stays visible until it is over (S-8.2.1b: a visible warning whenever the desk is degraded).

One warning per source, each cleared by its own recovery: the PBX link, a resync just done, the SIP engine
(crashed and restarting), the softphone's registration, and each audio stream (headset out/in, ringer).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from cti.events import (
    AudioDeviceDidChange,
    EngineDidCrash,
    EngineDidRestart,
    LinkDidConnect,
    LinkDidDrop,
    RegistrationDidChange,
    StateDidResync,
)
from ui.bridge import QtEventBridge
from ui.statebar import StateBar

RESYNC_SHOWN_MS = 15000
_NOT_WORKING = ("signed_out", "signing_in", "signing_out")  # the softphone is meant to be unregistered then


class DeskHealth(QObject):
    """Turn the desk's health events into state-bar warnings (never a dialog, never a sound)."""

    def __init__(self, *, bridge: QtEventBridge, bar: StateBar, owner: QObject) -> None:
        super().__init__(owner)
        self.bar = bar
        self._resync_clear = QTimer(self, singleShot=True, interval=RESYNC_SHOWN_MS)
        self._resync_clear.timeout.connect(lambda: bar.set_warning(None, key="resync"))
        bridge.on(LinkDidDrop, lambda _e: bar.set_warning(self.tr("PBX link lost, reconnecting…"), key="link"),
                  owner=owner)
        bridge.on(LinkDidConnect, lambda _e: bar.set_warning(None, key="link"), owner=owner)
        bridge.on(StateDidResync, self._on_resync, owner=owner)
        bridge.on(EngineDidCrash, lambda _e: bar.set_warning(self.tr("Softphone stopped; restarting it…"),
                                                             key="engine"), owner=owner)
        bridge.on(EngineDidRestart, lambda _e: bar.set_warning(None, key="engine"), owner=owner)
        bridge.on(RegistrationDidChange, self._on_registration, owner=owner)
        bridge.on(AudioDeviceDidChange, self._on_audio, owner=owner)

    def _on_resync(self, event: StateDidResync) -> None:
        if event.changes:
            self.bar.set_warning(self.tr("Resynced with the PBX: ") + "; ".join(event.changes), key="resync")
            self._resync_clear.start()

    def _on_registration(self, event: RegistrationDidChange) -> None:
        if event.registered or self.bar.state in _NOT_WORKING:
            self.bar.set_warning(None, key="sip")
            return
        self.bar.set_warning(self.tr("Softphone not registered with the PBX: calls cannot reach you (%1)")
                             .replace("%1", event.reason or str(event.sip_status)), key="sip")

    def _on_audio(self, event: AudioDeviceDidChange) -> None:
        texts = {"headset_out": self.tr("Headset not available: check that it is plugged in"),
                 "headset_in": self.tr("Headset microphone not available: check that it is plugged in"),
                 "ringer_out": self.tr("Ringer speaker not available: you may not hear calls ring")}
        if event.role in texts:
            self.bar.set_warning(texts[event.role] if event.state == "unavailable" else None,
                                 key=f"audio:{event.role}")
