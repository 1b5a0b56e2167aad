"""The ringing banner and the customer card, shown together before the CSR answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class CardSection:
    title: str
    rows: Sequence[str]


@dataclass(frozen=True)
class CardView:
    """What the customer card shows, already masked by the data layer for this desk's profile."""

    customer: Sequence[tuple[str, str]] = ()  # (label, value) pairs
    sections: Sequence[CardSection] = field(default_factory=tuple)
    known: bool = True


class RingingBanner(QWidget):
    """Caller number, queue and IVR-entered policy number of the offered call."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RingingBanner")
        self.caller = QLabel(objectName="BannerCaller")
        self.queue = QLabel(objectName="BannerQueue")
        self.policy = QLabel(objectName="BannerPolicy")
        for label in (self.caller, self.queue, self.policy):
            label.setTextFormat(Qt.TextFormat.PlainText)  # a caller ID or an IVR entry is never markup
        form = QFormLayout(self)
        form.addRow(self.tr("Caller"), self.caller)
        form.addRow(self.tr("Queue"), self.queue)
        form.addRow(self.tr("Policy entered"), self.policy)
        self.setVisible(False)

    def show_call(self, *, caller: str, queue: str | None, policy: str | None) -> None:
        self.caller.setText(caller or self.tr("(withheld)"))
        self.queue.setText(queue or "—")
        self.policy.setText(policy or "—")
        if self.isHidden():
            self.setVisible(True)

    def blank(self) -> None:
        for label in (self.caller, self.queue, self.policy):
            label.clear()


class CustomerCard(QGroupBox):
    """The customer, active policies, open claims, open orders, due callbacks and last contacts.

    The card keeps its labels from call to call and only changes their text (and shows or hides the rows
    a view does not fill), so a screen pop creates and polishes no widgets and relays out only what changed.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerCard")
        self.setTitle(self.tr("Customer"))
        self._layout = QVBoxLayout(self)
        self._fields = QFormLayout()
        self._fields.setVerticalSpacing(4)
        self._layout.addLayout(self._fields)
        self.section_rows: dict[str, list[str]] = {}
        self._unknown_text = self.tr("Unknown caller: search by phone, ID, policy or plate")
        self._hint = QLabel(self._unknown_text, objectName="UnknownCaller")
        self._hint.setWordWrap(True)
        self._fields.addRow(self._hint)  # row 0; field i is row i + 1
        self._fields.setRowVisible(0, False)
        self._field_rows: list[tuple[QLabel, QLabel]] = []
        self._fields_shown = 0
        self._sections: list[tuple[QLabel, QLabel]] = []  # (title, body)
        self._sections_shown = 0
        self._layout.addStretch(1)
        self.setVisible(False)

    def show_view(self, view: CardView) -> None:
        """Replace the card's content with ``view``."""
        if not view.known and self._hint.text() != self._unknown_text:
            self._hint.setText(self._unknown_text)
        if self._fields.isRowVisible(0) != (not view.known):
            self._fields.setRowVisible(0, not view.known)
        self._show_fields(view.customer)
        self._show_sections(view.sections)
        self.section_rows = {section.title: list(section.rows) for section in view.sections}
        if self.isHidden():
            self.setVisible(True)

    def looking_up(self) -> None:
        """The lookup is slow (the database is busy or down): say so instead of an empty frame, until the card
        (``show_view``) or the unknown-caller search replaces it."""
        self.blank()
        self._hint.setText(self.tr("Looking up the caller…"))
        self._fields.setRowVisible(0, True)
        self._show_fields(())
        self._show_sections(())
        if self.isHidden():
            self.setVisible(True)

    def blank(self) -> None:
        """Forget the caller: empty every label, but keep the rows as they are (showing a row again costs more
        than its text; the panel covers the card while there is no call)."""
        for name, text in self._field_rows:
            name.clear()
            text.clear()
        for title, body in self._sections:
            title.clear()
            body.clear()
        self.section_rows = {}

    def _show_fields(self, fields: Sequence[tuple[str, str]]) -> None:
        for i, (label, value) in enumerate(fields):
            if i == len(self._field_rows):
                name, text = QLabel(), QLabel()
                name.setTextFormat(Qt.TextFormat.PlainText)
                text.setTextFormat(Qt.TextFormat.PlainText)  # a customer's data is never markup
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self._fields.addRow(name, text)
                self._field_rows.append((name, text))
            name, text = self._field_rows[i]
            name.setText(label)
            text.setText(value)
        for i in range(len(self._field_rows)):
            visible = i < len(fields)
            if i >= self._fields_shown or not visible:  # only rows whose visibility changes
                self._fields.setRowVisible(i + 1, visible)
        self._fields_shown = len(fields)

    def _show_sections(self, sections: Sequence[CardSection]) -> None:
        # Plain text (a bold title label over a wrapped body): laying out five rich-text labels cost ~2 ms more
        # per ringing call, and nothing from the database is ever read as markup.
        for i, section in enumerate(sections):
            if i == len(self._sections):
                title = QLabel(objectName="CardSectionTitle")
                title.setTextFormat(Qt.TextFormat.PlainText)
                body = QLabel(objectName="CardSection")
                body.setTextFormat(Qt.TextFormat.PlainText)
                body.setWordWrap(True)
                self._layout.insertWidget(1 + 2 * i, title)
                self._layout.insertWidget(2 + 2 * i, body)
                self._sections.append((title, body))
            title, body = self._sections[i]
            rows = list(section.rows)
            title.setText(f"{section.title} ({len(rows)})")
            body.setText("\n".join(rows) if rows else self.tr("none"))
        for i, (title, body) in enumerate(self._sections):
            visible = i < len(sections)
            if body.isHidden() == visible:  # only sections whose visibility changes
                title.setVisible(visible)
                body.setVisible(visible)
        self._sections_shown = len(sections)


class QuickSearch(QWidget):
    """Find an unknown caller by phone, ID number, policy number or plate; choose one to show their card."""

    search_requested = Signal(str, str)  # kind, text
    customer_chosen = Signal(int)

    KINDS = (("phone", QT_TRANSLATE_NOOP("QuickSearch", "Phone")),
             ("id_number", QT_TRANSLATE_NOOP("QuickSearch", "ID number")),
             ("policy_number", QT_TRANSLATE_NOOP("QuickSearch", "Policy number")),
             ("plate", QT_TRANSLATE_NOOP("QuickSearch", "Plate")))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QuickSearch")
        self.kind = QComboBox(objectName="SearchKind")
        for key, label in self.KINDS:
            self.kind.addItem(QCoreApplication.translate("QuickSearch", label), key)
        self.text = QLineEdit(objectName="SearchText")
        self.text.setPlaceholderText(self.tr("Search the caller"))
        self.text.returnPressed.connect(self._search)
        self.button = QPushButton(self.tr("Search"), objectName="SearchButton")
        self.button.clicked.connect(self._search)
        self.results = QListWidget(objectName="SearchResults")
        self.results.setMaximumHeight(120)
        self.results.itemActivated.connect(lambda item: self.customer_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole))))
        self.message = QLabel(objectName="SearchMessage")
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(row)
        col.addWidget(self.message)
        col.addWidget(self.results)
        self.results.setVisible(False)

    def _search(self) -> None:
        text = self.text.text().strip()
        if not text:
            self.message.setText(self.tr("Type what to search for."))
            return
        if "*" in text:
            self.message.setText(self.tr("A masked value finds nobody: type what the caller tells you."))
            return
        self.message.setText(self.tr("Searching…"))
        self.search_requested.emit(str(self.kind.currentData()), text)

    def show_results(self, cards: Sequence[Any]) -> None:
        """List the (masked) customers found; Enter or double-click chooses one."""
        self.results.clear()
        for c in cards:
            item = QListWidgetItem(f"{c.name or ''}  {c.mobile or ''}  {c.id_number or ''}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.results.addItem(item)
        self.results.setVisible(bool(cards))
        self.message.setText(self.tr("%1 found").replace("%1", str(len(cards))) if cards
                             else self.tr("No customer found."))
        if cards:
            self.results.setCurrentRow(0)


class ScreenPopPanel(QWidget):
    """Banner and card in one panel; ``show_offer`` paints both in the same event-loop turn.

    Between calls a plain cover lies over banner and card instead of hiding them: showing a hidden widget tree
    (show events, layout activation of every row) cost about 5 ms of the GUI thread per ringing call, while
    raising the content over the cover costs nothing. ``clear`` empties every label, so no caller's data stays
    in the widgets under the cover."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._content = QWidget(self)
        self.banner = RingingBanner(self._content)
        self.card = CustomerCard()
        scroll = QScrollArea(self._content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.card)
        self.search = QuickSearch(self._content)
        self.search.setVisible(False)
        col = QVBoxLayout(self._content)
        col.addWidget(self.banner)
        col.addWidget(self.search)
        col.addWidget(scroll, 1)
        self._cover = QWidget(self, objectName="ScreenPopIdle")
        self._cover.setAutoFillBackground(True)  # opaque: Qt paints nothing of the content under it
        idle = QLabel(self.tr("No call. When a call rings, the caller and their customer card show here."),
                      self._cover, objectName="ScreenPopIdleText")
        idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        idle.setWordWrap(True)
        QVBoxLayout(self._cover).addWidget(idle)
        self._stack = QStackedLayout(self)
        self._stack.setStackingMode(QStackedLayout.StackingMode.StackAll)  # raise, never hide or show
        self._stack.addWidget(self._content)
        self._stack.addWidget(self._cover)
        self._stack.setCurrentWidget(self._cover)

    @property
    def showing(self) -> bool:
        """Whether a call's banner is on screen (the content is over the cover)."""
        return self._stack.currentWidget() is self._content and not self.banner.isHidden()

    def show_offer(self, *, caller: str, queue: str | None, policy: str | None, view: CardView) -> None:
        self.banner.show_call(caller=caller, queue=queue, policy=policy)
        self.card.show_view(view)
        if self.search.isHidden() == (not view.known):
            self.search.setVisible(not view.known)
        if not view.known:
            self.search.results.clear()
            self.search.results.setVisible(False)
            self.search.message.clear()
            # A remote desk shows the number masked; a masked number finds nobody, so the box starts empty there.
            self.search.text.setText("" if "*" in (caller or "") else caller or "")
        self._stack.setCurrentWidget(self._content)

    def show_banner(self, *, caller: str, queue: str | None, policy: str | None) -> None:
        """The banner alone (the card is on its way): the card says it is looking the caller up until ``show_offer``."""
        self.card.looking_up()
        self.banner.show_call(caller=caller, queue=queue, policy=policy)
        self._stack.setCurrentWidget(self._content)

    def warm(self) -> None:
        """Show a sample pop once, render it off screen and clear it, all in this event-loop turn (so nothing
        reaches the screen): the first caller's pop then costs what later ones do (widgets made, polished and
        laid out, rich text and CJK glyphs cached). Call it right after the window is shown."""
        self.show_sample()
        self.grab()
        self.clear()

    def show_sample(self) -> None:
        """Fill the banner and card with a made-up pop (for ``warm``: never left on screen)."""
        sample = CardView(
            customer=[(_tr(k), "张*三 VIP1 110101********123X 138****0000") for k in _FIELDS],
            sections=[CardSection(_tr(k), ["P00000000  安心驾车险  有效  京A*****  11-25 10:00  ×1"] * 3)
                      for k in _SECTIONS])
        self.show_offer(caller="", queue=None, policy=None, view=CardView(known=False, sections=sample.sections[:1]))
        self.show_offer(caller="13800000000", queue="claims-auto", policy="P00000000", view=sample)

    def clear(self) -> None:
        """No call: the cover over the content, every label emptied, the search out of the tab chain."""
        self._stack.setCurrentWidget(self._cover)
        self.banner.blank()
        self.card.blank()
        if not self.search.isHidden():
            self.search.setVisible(False)
        self.search.text.clear()
        self.search.results.clear()


def card_view_from_pop(pop: Any) -> CardView:
    """Turn the data layer's (already masked) ``ScreenPop`` into what the card shows."""
    from ui.forms.codes import name_of

    c = pop.customer
    if c is None:
        rows = [f"{k.name or ''}  {k.mobile or ''}" for k in pop.candidates]
        sections = [CardSection(_tr("Possible matches"), rows)] if rows else []
        return CardView(known=False, sections=sections)
    vip = f" VIP{c.vip_level}" if c.vip_level else ""
    customer = [
        (_tr("Name"), f"{c.name or ''}{vip}"),
        (_tr("ID"), f"{name_of(c.id_type)} {c.id_number or ''}"),
        (_tr("Birth date"), c.birth_date or ""),
        (_tr("Mobile"), c.mobile or ""),
        (_tr("Address"), c.address or ""),
        (_tr("Language"), name_of(c.preferred_language)),
    ]
    sections = [
        CardSection(_tr("Active policies"), [
            f"{p.number}  {p.product_name}  {name_of(p.status)}" + (f"  {p.plate}" if p.plate else "")
            for p in pop.policies
        ]),
        CardSection(_tr("Open claims"), [
            f"{x.number}  {x.policy_number}  {name_of(x.status)}" for x in pop.open_claims
        ]),
        CardSection(_tr("Open transfer orders"), [
            f"{t.number}  {t.department_code}  {name_of(t.status)}  {t.due_at:%m-%d %H:%M}" for t in pop.open_transfers
        ]),
        CardSection(_tr("Due callbacks"), [
            f"{name_of(o.kind)}  {o.due_at:%m-%d %H:%M}  ×{o.attempts}" for o in pop.due_outbound
        ]),
        CardSection(_tr("Last contacts"), [
            f"{x.offered_at:%m-%d %H:%M}  {name_of(x.direction)}  {x.queue or ''}  {x.agent_id}" for x in pop.last_contacts
        ]),
    ]
    return CardView(customer=customer, sections=sections, known=True)


_TRANSLATABLE = (  # listed so that lupdate extracts them; _tr looks them up at run time
    QT_TRANSLATE_NOOP("CustomerCard", "Possible matches"), QT_TRANSLATE_NOOP("CustomerCard", "Name"),
    QT_TRANSLATE_NOOP("CustomerCard", "ID"), QT_TRANSLATE_NOOP("CustomerCard", "Birth date"),
    QT_TRANSLATE_NOOP("CustomerCard", "Mobile"), QT_TRANSLATE_NOOP("CustomerCard", "Address"),
    QT_TRANSLATE_NOOP("CustomerCard", "Language"), QT_TRANSLATE_NOOP("CustomerCard", "Active policies"),
    QT_TRANSLATE_NOOP("CustomerCard", "Open claims"), QT_TRANSLATE_NOOP("CustomerCard", "Open transfer orders"),
    QT_TRANSLATE_NOOP("CustomerCard", "Due callbacks"), QT_TRANSLATE_NOOP("CustomerCard", "Last contacts"),
)


_FIELDS = ("Name", "ID", "Birth date", "Mobile", "Address", "Language")
_SECTIONS = ("Active policies", "Open claims", "Open transfer orders", "Due callbacks", "Last contacts")


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerCard", text)
