"""Reassign an open transfer order or outbound task to another agent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.lead import WorkItem


class ReassignDialog(QDialog):
    """Pick one open item and the agent ID to give it to."""

    def __init__(self, items: list[WorkItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReassignDialog")
        self.setWindowTitle(self.tr("Reassign work"))
        self.list = QListWidget(objectName="ReassignItems")
        kinds = {"transfer": self.tr("Transfer order"), "outbound": self.tr("Outbound task")}
        for it in items:
            text = f"{kinds.get(it.kind, it.kind)} {it.label} · {it.owner or '—'} · {it.due_at:%Y-%m-%d %H:%M}"
            if it.dialling:
                text += " · " + self.tr("being dialled by %1").replace("%1", it.dialling)
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, it)
            self.list.addItem(row)
        self.target = QLineEdit(objectName="ReassignTarget")
        self.target.setPlaceholderText(self.tr("Agent ID"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(QLabel(self.tr("Open transfer orders and outbound tasks")))
        col.addWidget(self.list, 1)
        col.addWidget(self.target)
        col.addWidget(buttons)

    def choice(self) -> tuple[WorkItem, str] | None:
        item = self.list.currentItem()
        if item is None or not self.target.text().strip():
            return None
        return item.data(Qt.ItemDataRole.UserRole), self.target.text().strip()
