"""The quiet "saved locally, N waiting" indicator in the state bar's degraded area, and the texts the forms
show when a write went into the desk's outbox (app.outbox) instead of the database. Never a dialog."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from app.events import OutboxDidChange

CTX = "OutboxIndicator"
QUEUED = {
    "claim": QT_TRANSLATE_NOOP("OutboxIndicator",
                               "Claim saved on this desk; it is written to the database when it is back."),
    "wrapup": QT_TRANSLATE_NOOP("OutboxIndicator",
                                "Wrap-up saved on this desk; it is written to the database when it is back."),
    "transfer": QT_TRANSLATE_NOOP("OutboxIndicator",
                                  "Transfer order saved on this desk; it is sent when the database is back."),
    "outbound": QT_TRANSLATE_NOOP("OutboxIndicator",
                                  "Call result saved on this desk; it is written to the database when it is back."),
}
_WAITING = QT_TRANSLATE_NOOP("OutboxIndicator", "Saved locally, %1 waiting")
_REFUSED = QT_TRANSLATE_NOOP("OutboxIndicator", "%1 saved item(s) refused by the database; ask your team lead")
_WRITTEN = QT_TRANSLATE_NOOP("OutboxIndicator", "Database back: %1 saved item(s) written.")
_RENUMBERED = QT_TRANSLATE_NOOP("OutboxIndicator", "Claim report %1 was written as %2; tell the customer.")


def tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def queued_text(form: str) -> str:
    """What a form says after its submit was queued on the desk."""
    return tr(QUEUED[form])


class OutboxIndicator(QLabel):
    """Hidden while nothing waits; otherwise e.g. "saved locally, 3 waiting" (and refusals, if any)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OutboxIndicator")
        self.setStyleSheet("#OutboxIndicator { background: #e3f2fd; color: #0d47a1; padding: 2px 8px; "
                           "border-radius: 3px; }")
        self.setVisible(False)

    def show_counts(self, event: OutboxDidChange) -> str | None:
        """Update the indicator; return a one-off notice (items written, a renumbered report) or None."""
        parts = []
        if event.waiting:
            parts.append(tr(_WAITING).replace("%1", str(event.waiting)))
        if event.refused:
            parts.append(tr(_REFUSED).replace("%1", str(event.refused)))
        self.setText(" · ".join(parts))
        self.setVisible(bool(parts))
        notes = [tr(_RENUMBERED).replace("%1", old).replace("%2", new) for old, new in event.renumbered]
        if event.written and not event.waiting:
            notes.insert(0, tr(_WRITTEN).replace("%1", str(event.written)))
        return " ".join(notes) or None
