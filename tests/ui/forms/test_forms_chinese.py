"""Chinese by default: no English is left on the five forms in the Chinese UI, placeholders included.

scripts/i18n.py check proves every ``tr()`` text has a translation; this proves every text the CSR sees went
through ``tr()`` (a bare "YYYY-MM-DD" placeholder was visible on the claim and query forms)."""

from __future__ import annotations

import re
from typing import Any

from formkit import Env, show
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from ui.forms.panel import FormsPanel
from ui.i18n import install_translator, remove_translator

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text a CSR can read on ``root``: labels, buttons, titles, placeholders, items."""
    out: list[tuple[str, str]] = []
    for w in root.findChildren(QLabel):
        out.append((f"label {w.objectName()}", w.text()))
    for w in root.findChildren(QAbstractButton):
        out += [(f"button {w.objectName()}", w.text()), (f"tooltip {w.objectName()}", w.toolTip())]
    for w in root.findChildren(QGroupBox):
        out.append((f"group {w.objectName()}", w.title()))
    for w in root.findChildren(QLineEdit):
        out.append((f"placeholder {w.objectName()}", w.placeholderText()))
    for w in root.findChildren(QTextEdit) + root.findChildren(QPlainTextEdit):
        out.append((f"placeholder {w.objectName()}", w.placeholderText()))
    for w in root.findChildren(QComboBox):
        out += [(f"item {w.objectName()}", w.itemText(i)) for i in range(w.count())]
    for w in root.findChildren(QTableWidget):
        out += [(f"column {w.objectName()}", h.text()) for i in range(w.columnCount())
                if (h := w.horizontalHeaderItem(i)) is not None]
    return out


def english_in(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(where, t) for where, t in texts if ENGLISH_WORD.search(t)]


def test_the_forms_show_no_english_in_the_chinese_ui(env: Env, qtbot: Any, qapp: Any) -> None:
    translator = install_translator(qapp, "zh_CN")
    try:
        panel = FormsPanel(ctx=env.ctx)
        show(panel, qtbot)
        env.settle()
        texts = visible_texts(panel)
        assert len(texts) > 150  # the walk reached the forms' fields, not just the tabs
        assert english_in(texts) == []
    finally:
        remove_translator(qapp, translator)


def test_the_walk_finds_an_untranslated_placeholder(qtbot: Any) -> None:
    """The control: the check above does see a bare English placeholder."""
    edit = QLineEdit()
    edit.setPlaceholderText("YYYY-MM-DD")
    qtbot.addWidget(edit)
    holder = QWidget()
    qtbot.addWidget(holder)
    edit.setParent(holder)
    assert english_in(visible_texts(holder)) == [("placeholder ", "YYYY-MM-DD")]
