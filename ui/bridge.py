"""Re-emit cti events on a Qt signal: the one place where core events enter Qt.

The event bus publishes on the asyncio loop, which qasync runs on the Qt main thread, so handlers
connected here run on the GUI thread. Widgets connect to ``bridge.on(EventType, slot)``.
"""

from __future__ import annotations

import contextlib
import weakref
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
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
        self._owned: list[tuple[weakref.ref[QObject], Callable[[], None]]] = []
        self._unsubscribe = bus.subscribe(Event, self._forward)
        self.event_did_arrive.connect(self._dispatch)

    def on(self, kind: type[E], slot: Callable[[E], None], *, owner: QObject | None = None) -> Callable[[], None]:
        """Call ``slot`` on the GUI thread for every event of ``kind`` until the returned function is called or
        ``drop`` is called for ``owner`` or one of its ancestors."""
        slots = self._slots[kind]
        slots.append(slot)

        def off() -> None:
            with contextlib.suppress(ValueError):
                slots.remove(slot)

        if owner is not None:
            self._owned.append((weakref.ref(owner), off))
        return off

    def drop(self, root: QObject) -> None:
        """Stop every slot owned by ``root`` or by any object under it (a window signed out and replaced)."""
        keep = []
        for ref, off in self._owned:
            o: QObject | None = ref()
            if o is None or not shiboken6.isValid(o):  # gone already: its slots went with it
                off()
                continue
            while o is not None and o is not root:
                o = o.parent()
            if o is root:
                off()
            else:
                keep.append((ref, off))
        self._owned = keep

    def slot_count(self) -> int:
        """How many slots are registered (for leak checks)."""
        return sum(len(v) for v in self._slots.values())

    def _forward(self, event: Event) -> None:
        self.event_did_arrive.emit(event)

    def close(self) -> None:
        self._unsubscribe()

    def _dispatch(self, event: Event) -> None:
        for kind in type(event).__mro__:
            for slot in tuple(self._slots.get(kind, ())):  # type: ignore[call-overload]  # a slot may unsubscribe
                slot(event)
