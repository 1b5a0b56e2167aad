"""Deliver cti events to subscribers, synchronously, in publish order."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

from cti.events import Event

log = logging.getLogger(__name__)
E = TypeVar("E", bound=Event)
Handler = Callable[[Event], None]


class EventBus:
    """Publish events to handlers subscribed by type (or to every event with ``Event``)."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)

    def subscribe(self, kind: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        """Call ``handler`` for every event of ``kind`` (subclasses included); return an unsubscribe."""
        h: Handler = handler  # type: ignore[assignment]
        self._handlers[kind].append(h)

        def unsubscribe() -> None:
            if h in self._handlers[kind]:
                self._handlers[kind].remove(h)

        return unsubscribe

    def publish(self, event: Event) -> None:
        """Deliver ``event``; a failing handler is logged (by event name only) and does not stop the rest."""
        for kind in type(event).__mro__:
            for handler in list(self._handlers.get(kind, ())):
                try:
                    handler(event)
                except Exception:
                    log.exception("handler failed for %s", event.name)
