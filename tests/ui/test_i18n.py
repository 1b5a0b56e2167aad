"""Chinese by default, English as the second language; every UI string has a Chinese translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from cti.bus import EventBus
from cti.events import AgentDidChangeState
from ui.bridge import QtEventBridge
from ui.i18n import install_translator, remove_translator
from ui.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_every_source_text_is_translated() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_language_switch_changes_visible_text(qtbot: Any, qapp: Any) -> None:
    translator = install_translator(qapp, "zh_CN")
    try:
        bus = EventBus()
        window = MainWindow(desk=object(), bridge=QtEventBridge(bus=bus), reasons=["小休"])
        qtbot.addWidget(window)
        bus.publish(AgentDidChangeState(old="signed_out", new="ready", cause="test"))
        assert window.state_bar.state_label.text() == "示闲"
        assert window.call_strip.buttons["answer"].text() == "接听"
        assert QCoreApplication.translate("CustomerCard", "Active policies") == "有效保单"
    finally:
        remove_translator(qapp, translator)
    assert install_translator(qapp, "en") is None
    bus = EventBus()
    window = MainWindow(desk=object(), bridge=QtEventBridge(bus=bus), reasons=["break"])
    qtbot.addWidget(window)
    bus.publish(AgentDidChangeState(old="signed_out", new="ready", cause="test"))
    assert window.state_bar.state_label.text() == "Ready"
    assert window.call_strip.buttons["answer"].text() == "Answer"
