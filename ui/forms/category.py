"""A searchable two-level service-category picker: a filter line over a tree; only level 2 can be chosen."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

CODE = Qt.ItemDataRole.UserRole


def chinese_ui() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


class CategoryPicker(QWidget):
    """Type to filter by name or code; pick a second-level category. ``code()`` is '' until one is picked."""

    code_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit(objectName="CategoryFilter")
        self.filter.setPlaceholderText(self.tr("Type to filter categories"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setProperty("watched", True)  # a search aid, not form data: no draft, no submit on Enter
        self.tree = QTreeWidget(objectName="CategoryTree")
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumHeight(150)
        self.tree.setMaximumHeight(220)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(self.filter)
        col.addWidget(self.tree)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree.currentItemChanged.connect(lambda *_: self.code_changed.emit(self.code()))
        self._items: dict[str, QTreeWidgetItem] = {}
        self._pending = ""

    def set_categories(self, rows: Sequence[tuple[str, str | None, str, str]]) -> None:
        """Fill from ``(code, parent_code, name_zh, name_en)`` rows, level 1 first."""
        self.tree.clear()
        self._items.clear()
        zh = chinese_ui()
        for code, parent, name_zh, name_en in sorted(rows, key=lambda r: (r[1] is not None, r[0])):
            item = QTreeWidgetItem([name_zh if zh else name_en])
            item.setData(0, CODE, code)
            item.setToolTip(0, f"{name_zh} / {name_en}")
            if parent is None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.tree.addTopLevelItem(item)
            elif parent in self._items:
                self._items[parent].addChild(item)
            self._items[code] = item
        self.tree.expandAll()
        if self._pending:
            self.set_code(self._pending)
        self._apply_filter(self.filter.text())

    def code(self) -> str:
        item = self.tree.currentItem()
        if item is None or item.parent() is None:
            return self._pending if not self._items else ""
        return str(item.data(0, CODE))

    def set_code(self, code: str) -> None:
        """Select ``code`` (kept until the categories arrive, if they are still loading)."""
        item = self._items.get(code)
        if item is None:
            self._pending = code
            if not code:
                self.tree.setCurrentItem(None)  # type: ignore[arg-type]
            return
        self._pending = ""
        self.tree.setCurrentItem(item)

    def name_of(self, code: str) -> str:
        item = self._items.get(code)
        return item.text(0) if item else code

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            top_hit = not needle or _matches(top, needle)
            any_child = False
            for j in range(top.childCount()):
                child = top.child(j)
                hit = top_hit or _matches(child, needle)
                child.setHidden(not hit)
                any_child = any_child or hit
            top.setHidden(not any_child)
        if needle:  # one match left: pick it, so Enter after typing is enough
            visible = [c for c in self._items.values() if c.parent() is not None and not c.isHidden()]
            if len(visible) == 1:
                self.tree.setCurrentItem(visible[0])


def _matches(item: QTreeWidgetItem, needle: str) -> bool:
    return needle in item.text(0).lower() or needle in item.toolTip(0).lower() or needle in str(
        item.data(0, CODE)).lower()
