"""The in-form "restore draft?" bar: offered after a crash, never a modal dialog."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class RestoreBar(QFrame):
    """Say that an unsaved draft exists; emit ``restore_requested`` or ``discard_requested``."""

    restore_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RestoreBar")
        # Here rather than in resources/style.qss (the shell's) so the bar stands out wherever it is used.
        self.setStyleSheet("#RestoreBar { background: #fff8e1; border: 1px solid #ffb300; border-radius: 4px; }")
        self.label = QLabel(objectName="RestoreBarText")
        self.label.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("Restore draft"), objectName="RestoreDraft")
        self.discard_button = QPushButton(self.tr("Discard"), objectName="DiscardDraft")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.discard_button)
        self.restore_button.clicked.connect(self.restore_requested)
        self.discard_button.clicked.connect(self.discard_requested)
        self.setVisible(False)

    def offer(self, saved_at: str) -> None:
        self.label.setText(self.tr("An unsaved draft of this form was found (saved %1). Restore it?").replace(
            "%1", saved_at or "?"))
        self.setVisible(True)
