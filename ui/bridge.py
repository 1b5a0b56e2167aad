"""Re-emit cti events on a Qt signal: the one place where core events enter Qt.

The event bus publishes on the asyncio loop, which qasync runs on the Qt main thread, so handlers
connected here run on the GUI thread. Widgets connect to ``bridge.on(EventType, slot)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from cti.bus import EventBus
from cti.events import Event

E = TypeVar("E", bound=Event)


class QtEventBridge(QObject):
    """Forward every bus event to Qt; dispatch it to slots registered per event type."""

    event_did_arrive = Signal(object)

    def __init__(self, *, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._slots: dict[type[Event], list[Callable[[Any], None]]] = defaultdict(list)
        self._unsubscribe = bus.subscribe(Event, self._forward)
        self.event_did_arrive.connect(self._dispatch)

    def on(self, kind: type[E], slot: Callable[[E], None]) -> None:
        """Call ``slot`` on the GUI thread for every event of ``kind``."""
        self._slots[kind].append(slot)

    def _forward(self, event: Event) -> None:
        self.event_did_arrive.emit(event)

    def close(self) -> None:
        self._unsubscribe()

    def _dispatch(self, event: Event) -> None:
        for kind in type(event).__mro__:
            for slot in self._slots.get(kind, ()):  # type: ignore[call-overload]
                slot(event)
