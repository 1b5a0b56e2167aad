"""Turn an engine event (name and data from the wire) into a typed ``cti.events`` event."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from cti.events import Event, frozen_vars

log = logging.getLogger(__name__)


def to_event(name: str, data: dict[str, Any]) -> Event | None:
    """Build the event class registered under ``name``, keeping only the fields it declares."""
    cls = Event.registry.get(name)
    if cls is None:
        log.warning("unknown engine event %s", name)
        return None
    fields = {f.name for f in dataclasses.fields(cls) if f.init} - {"at"}
    kwargs = {k: v for k, v in data.items() if k in fields}
    if "ivr_vars" in kwargs:
        kwargs["ivr_vars"] = frozen_vars(kwargs["ivr_vars"])
    try:
        return cls(**kwargs)
    except TypeError:
        log.warning("malformed engine event %s", name)
        return None
