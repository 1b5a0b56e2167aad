"""Repeating rows of the auto claim report: vehicles (plate, VIN, insured?) and people (role, name, injury)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.validation import mobile, plate, vin
from ui.forms.fields import FieldSet


class ClaimRow(QWidget):
    """One row; its inputs are fields ``<prefix>[<index>].<name>`` of the form's field set."""

    remove_requested = Signal(QWidget)
    prefix = ""

    def __init__(self, fieldset: FieldSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fieldset = fieldset
        self.index = -1
        self.inputs: dict[str, QWidget] = {}
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

    def add_input(self, name: str, widget: QWidget, validator: Callable[[str], object] | None = None,
                  stretch: int = 1) -> None:
        self.inputs[name] = widget
        self.row.addWidget(self.fieldset.add(self._key(name), widget, validator), stretch, Qt.AlignmentFlag.AlignTop)

    def _key(self, name: str) -> str:
        return f"{self.prefix}[{self.index}].{name}"

    def renumber(self, index: int) -> None:
        """Move this row's fields to the names of position ``index``."""
        fields = {n: self.fieldset.fields.pop(self._key(n)) for n in self.inputs if self._key(n) in self.fieldset.fields}
        self.index = index
        for n, f in fields.items():
            f.name = self._key(n)
            self.fieldset.fields[f.name] = f

    def drop_fields(self) -> None:
        for n in self.inputs:
            self.fieldset.remove(self._key(n))

    def focus_chain(self) -> list[QWidget]:
        return [*self.inputs.values(), self.remove_button]


class VehicleRow(ClaimRow):
    prefix = "vehicles"

    def __init__(self, fieldset: FieldSet, index: int, parent: QWidget | None = None) -> None:
        super().__init__(fieldset, parent)
        self.index = index
        self.plate = QLineEdit(objectName="VehiclePlate")
        self.plate.setPlaceholderText(self.tr("Plate, e.g. 粤B12345"))
        self.vin = QLineEdit(objectName="VehicleVin")
        self.vin.setPlaceholderText(self.tr("VIN (17 characters)"))
        self.vin.setMaxLength(17)
        self.insured = QCheckBox(self.tr("Insured vehicle"), objectName="VehicleInsured")
        self.add_input("plate", self.plate, plate)
        self.add_input("vin", self.vin, vin, 2)
        self.inputs["is_insured_vehicle"] = self.insured
        self.row.addWidget(self.insured, 0, Qt.AlignmentFlag.AlignTop)
        self.row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)

    def data(self) -> dict[str, Any]:
        return {"plate": self.plate.text(), "vin": self.vin.text(), "is_insured_vehicle": self.insured.isChecked()}

    def set_data(self, d: dict[str, Any]) -> None:
        self.plate.setText(str(d.get("plate", "")))
        self.vin.setText(str(d.get("vin", "")))
        self.insured.setChecked(bool(d.get("is_insured_vehicle")))


class PersonRow(ClaimRow):
    prefix = "people"

    def __init__(self, fieldset: FieldSet, index: int, parent: QWidget | None = None) -> None:
        super().__init__(fieldset, parent)
        self.index = index
        self.role = QComboBox(objectName="PersonRole")
        for text, code in ((self.tr("Driver"), "driver"), (self.tr("Third party"), "third_party"),
                           (self.tr("Injured"), "injured")):
            self.role.addItem(text, code)
        self.name = QLineEdit(objectName="PersonName")
        self.name.setPlaceholderText(self.tr("Name"))
        self.phone = QLineEdit(objectName="PersonPhone")
        self.phone.setPlaceholderText(self.tr("Mobile (optional)"))
        self.injury = QComboBox(objectName="PersonInjury")
        for text, code in ((self.tr("Not injured"), "none"), (self.tr("Minor injury"), "minor"),
                           (self.tr("Serious injury"), "serious"), (self.tr("Fatal"), "fatal")):
            self.injury.addItem(text, code)
        self.add_input("role", self.role, None, 0)
        self.add_input("name", self.name, None, 2)
        self.add_input("phone", self.phone, mobile, 2)
        self.add_input("injury_level", self.injury, None, 0)
        self.row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)

    def data(self) -> dict[str, Any]:
        return {"role": self.role.currentData(), "name": self.name.text(), "phone": self.phone.text(),
                "injury_level": self.injury.currentData()}

    def set_data(self, d: dict[str, Any]) -> None:
        self.role.setCurrentIndex(max(0, self.role.findData(d.get("role", "driver"))))
        self.name.setText(str(d.get("name", "")))
        self.phone.setText(str(d.get("phone", "")))
        self.injury.setCurrentIndex(max(0, self.injury.findData(d.get("injury_level", "none"))))


class RowList(QWidget):
    """A column of rows with an Add button; emits ``rows_changed`` when one is added or removed."""

    rows_changed = Signal()

    def __init__(self, fieldset: FieldSet, make: Callable[[FieldSet, int], ClaimRow], add_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fieldset = fieldset
        self._make = make
        self.rows: list[ClaimRow] = []
        self.col = QVBoxLayout(self)
        self.col.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.col.addWidget(self.add_button)

    def add_row(self, data: dict[str, Any] | None = None) -> ClaimRow:
        row = self._make(self.fieldset, len(self.rows))
        if data:
            row.set_data(data)
        row.remove_requested.connect(self.remove_row)
        self.col.insertWidget(len(self.rows), row)
        self.rows.append(row)
        self.rows_changed.emit()
        return row

    def remove_row(self, row: QWidget) -> None:
        assert isinstance(row, ClaimRow)
        row.drop_fields()
        self.rows.remove(row)
        row.setParent(None)  # type: ignore[call-overload]
        row.deleteLater()
        for i, r in enumerate(self.rows):
            r.renumber(i)
        self.rows_changed.emit()

    def clear(self) -> None:
        for row in list(self.rows):
            self.remove_row(row)

    def data(self) -> list[dict[str, Any]]:
        return [r.data() for r in self.rows]  # type: ignore[attr-defined]

    def set_data(self, rows: list[dict[str, Any]]) -> None:
        self.clear()
        for d in rows:
            self.add_row(d)

    def focus_chain(self) -> list[QWidget]:
        return [w for r in self.rows for w in r.focus_chain()] + [self.add_button]
