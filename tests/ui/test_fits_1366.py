"""At 1366×768 (issue 6) every call-strip button shows its whole label, in Chinese and in English, with the
centre's style sheet applied (in English four labels used to be cut: "omplete transfe", "ause recordin")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cti.bus import EventBus
from cti.events import AgentDidChangeState
from ui.bridge import QtEventBridge
from ui.i18n import install_translator, remove_translator
from ui.mainwindow import MainWindow

STYLE = Path(__file__).resolve().parents[2] / "resources" / "style.qss"
REASONS = ["小休", "用餐", "培训", "会议", "事务处理"]


class Desk:
    def wrap_up_deadline(self) -> None:
        return None


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_call_strip_fits_1366_pixels_without_cutting_a_label(qtbot: Any, qapp: Any, language: str) -> None:
    translator = install_translator(qapp, language)
    old_style = qapp.styleSheet()
    qapp.setStyleSheet(STYLE.read_text(encoding="utf-8"))
    try:
        window = MainWindow(desk=Desk(), bridge=QtEventBridge(bus=EventBus()), reasons=REASONS)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.apply_state(AgentDidChangeState(old="signing_in", new="talking", cause="test"))
        qtbot.waitExposed(window)
        assert window.width() <= 1366
        cut = {b.text(): (b.width(), b.sizeHint().width()) for b in window.call_strip.buttons.values()
               if b.isVisible() and b.width() < b.sizeHint().width()}
        assert not cut, f"labels cut at 1366 px ({language}): {cut}"
    finally:
        qapp.setStyleSheet(old_style)
        remove_translator(qapp, translator)
