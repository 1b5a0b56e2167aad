"""Sign-in (S-8.2.1a): agent ID and password; the desk profile is the centre's, shown, not chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SignInWindow(QDialog):
    """Ask for agent ID and password; emit ``sign_in_requested(agent_id, password)``."""

    sign_in_requested = Signal(str, str)

    def __init__(self, *, profile: str, remembered_agent_id: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignInWindow")
        self.setWindowTitle(self.tr("csdesk: sign in"))
        self.agent_id = QLineEdit(remembered_agent_id, objectName="AgentId")
        self.agent_id.setMaxLength(16)
        self.agent_id.setPlaceholderText(self.tr("Agent ID"))
        self.password = QLineEdit(objectName="Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.profile = QLabel(self.tr("Remote (masked data)") if profile == "remote" else self.tr("On-site"),
                              objectName="DeskProfile")
        self.message = QLabel(objectName="SignInMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(self.tr("Sign in"), objectName="SignInButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.agent_id.returnPressed.connect(self.password.setFocus)

        heading = QLabel(self.tr("csdesk agent desk"), objectName="SignInHeading")
        self.setMinimumWidth(380)
        form = QFormLayout()
        form.addRow(self.tr("Agent ID"), self.agent_id)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Desk profile"), self.profile)
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 20, 24, 20)
        col.setSpacing(12)
        col.addWidget(heading)
        col.addLayout(form)
        col.addWidget(self.message)
        col.addWidget(self.button)
        (self.password if remembered_agent_id else self.agent_id).setFocus()

    def _submit(self) -> None:
        agent_id = self.agent_id.text().strip()
        if not agent_id.isdigit():
            self.show_error(self.tr("Enter your agent ID (digits only)."))
            self.agent_id.setFocus()
            return
        if not self.password.text():
            self.show_error(self.tr("Enter your password."))
            self.password.setFocus()
            return
        self.set_busy(True)
        self.sign_in_requested.emit(agent_id, self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.agent_id.setEnabled(not busy)
        self.password.setEnabled(not busy)
        if busy:
            self.message.setText(self.tr("Signing in…"))
            self.message.setProperty("error", False)

    def show_error(self, text: str) -> None:
        """Show why sign-in failed and let the CSR try again."""
        self.set_busy(False)
        self.password.clear()
        self.message.setText(text)
        self.message.setProperty("error", True)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
