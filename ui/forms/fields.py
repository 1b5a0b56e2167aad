"""One field = an input widget and the message line under it; live checks use the data layer's validators."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.validation import FieldError
from ui.forms.messages import tr_message

Validator = Callable[[str], object]


def parse_local_datetime(text: str) -> datetime:
    """Read ``YYYY-MM-DD HH:MM`` in the desk's local time; return naive UTC, as the data layer stores it."""
    try:
        local = datetime.strptime(" ".join(text.split()), "%Y-%m-%d %H:%M")
    except ValueError:
        raise FieldError("use the form YYYY-MM-DD HH:MM") from None
    return local.astimezone(UTC).replace(tzinfo=None)


def parse_date(text: str) -> date:
    """Read ``YYYY-MM-DD``."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise FieldError("use the form YYYY-MM-DD") from None


def format_local(value: datetime) -> str:
    """Show a naive-UTC time from the data layer in the desk's local time."""
    return value.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def text_of(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return str(widget.currentData() or "")
    return ""


def restyle(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


@dataclass
class Field:
    """An input, the label under it that says what is wrong, and an optional live validator."""

    name: str
    widget: QWidget
    error: QLabel
    validator: Validator | None = None

    def set_error(self, message: str | None) -> None:
        self.error.setText(tr_message(message) if message else "")
        self.error.setVisible(bool(message))
        if not isinstance(self.widget, QAbstractButton):
            self.widget.setProperty("invalid", bool(message))
            restyle(self.widget)

    def check_now(self) -> None:
        """Run the live validator on the current text; an empty field is left to the submit check."""
        if self.validator is None:
            return
        value = text_of(self.widget)
        if not value.strip():
            self.set_error(None)
            return
        try:
            self.validator(value)
        except FieldError as exc:
            self.set_error(str(exc))
        else:
            self.set_error(None)


class FieldSet:
    """The named fields of one form; routes the service's ``ValidationError.fields`` to them."""

    def __init__(self) -> None:
        self.fields: dict[str, Field] = {}

    def add(self, name: str, widget: QWidget, validator: Validator | None = None) -> QWidget:
        """Register ``widget`` as field ``name``; return the box (widget + message line) to lay out."""
        error = QLabel(objectName=f"error_{name}")
        error.setProperty("fieldError", True)
        error.setWordWrap(True)
        error.setVisible(False)
        field = Field(name, widget, error, validator)
        self.fields[name] = field
        if validator is not None:
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(field.check_now)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(field.check_now)
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(1)
        col.addWidget(widget)
        col.addWidget(error)
        return box

    def remove(self, name: str) -> None:
        self.fields.pop(name, None)

    def clear_errors(self) -> None:
        for field in self.fields.values():
            field.set_error(None)

    def show_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        """Show each error on its field; return the ones no field here is named for."""
        rest: dict[str, str] = {}
        for name, message in errors.items():
            field = self.fields.get(name)
            if field is None:
                rest[name] = message
            else:
                field.set_error(message)
        return rest

    def error_of(self, name: str) -> str:
        field = self.fields[name]
        return field.error.text() if not field.error.isHidden() else ""
