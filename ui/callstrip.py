"""Call controls (S-8.2.1c): each enabled only when it makes sense in the agent's state."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from ui.controls import ACTIONS, enabled_actions

LABELS = {
    "answer": QT_TRANSLATE_NOOP("CallStrip", "Answer"),
    "hangup": QT_TRANSLATE_NOOP("CallStrip", "Hang up"),
    "hold": QT_TRANSLATE_NOOP("CallStrip", "Hold"),
    "unhold": QT_TRANSLATE_NOOP("CallStrip", "Resume"),
    "mute": QT_TRANSLATE_NOOP("CallStrip", "Mute"),
    "dtmf": QT_TRANSLATE_NOOP("CallStrip", "Keypad"),
    "blind_transfer": QT_TRANSLATE_NOOP("CallStrip", "Transfer"),
    "consult": QT_TRANSLATE_NOOP("CallStrip", "Consult"),
    "complete_transfer": QT_TRANSLATE_NOOP("CallStrip", "Complete transfer"),
    "cancel_consult": QT_TRANSLATE_NOOP("CallStrip", "Cancel consult"),
    "swap": QT_TRANSLATE_NOOP("CallStrip", "Swap"),
    "conference": QT_TRANSLATE_NOOP("CallStrip", "Conference"),
    "survey": QT_TRANSLATE_NOOP("CallStrip", "To survey"),
    "rec_mute": QT_TRANSLATE_NOOP("CallStrip", "Pause recording"),
    "dial": QT_TRANSLATE_NOOP("CallStrip", "Dial"),
}


class CallStrip(QWidget):
    """A row of call buttons plus a target/number field; emits ``action_requested(name, target)``."""

    action_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CallStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.target = QLineEdit(objectName="CallTarget")
        self.target.setPlaceholderText(self.tr("Number, extension or queue"))
        self.target.setClearButtonEnabled(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        for name in ACTIONS:
            button = QPushButton(self.tr(LABELS[name]), objectName=f"call_{name}")
            button.clicked.connect(lambda _=False, n=name: self._request(n))
            self.buttons[name] = button
            if name == "dial":
                row.addWidget(self.target, 2)
            row.addWidget(button)
        self.buttons["mute"].setCheckable(True)
        self.keypad = DtmfPad(self)
        self.keypad.setVisible(False)
        self.keypad.digit_pressed.connect(lambda d: self.action_requested.emit("dtmf", d))
        self.set_state("signed_out")

    def set_state(self, state: str) -> None:
        """Enable exactly the actions that make sense in ``state``."""
        allowed = enabled_actions(state)
        for name, button in self.buttons.items():
            button.setEnabled(name in allowed)
        # Hold and resume share a place: show the one that applies.
        self.buttons["hold"].setVisible(state != "held")
        self.buttons["unhold"].setVisible(state == "held")
        if "dtmf" not in allowed:
            self.keypad.setVisible(False)
        if state not in ("talking", "held", "consulting", "conferencing"):
            self.buttons["mute"].setChecked(False)

    def _request(self, name: str) -> None:
        if name == "dtmf":
            self.keypad.setVisible(not self.keypad.isVisible())
            return
        target = self.target.text().strip()
        if name == "mute":
            target = "on" if self.buttons["mute"].isChecked() else "off"
        self.action_requested.emit(name, target)


class DtmfPad(QWidget):
    """A 12-key DTMF pad."""

    digit_pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        for i, key in enumerate("123456789*0#"):
            button = QPushButton(key, objectName=f"dtmf_{key}")
            button.clicked.connect(lambda _=False, k=key: self.digit_pressed.emit(k))
            grid.addWidget(button, i // 3, i % 3)
