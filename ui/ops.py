"""Run desk commands from widgets without blocking: failures become readable, non-modal notices."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)


class Operations:
    """Schedule coroutines on the qasync loop and route their errors to one notice callback."""

    def __init__(self, *, notify_error: Callable[[str], None]) -> None:
        self._notify_error = notify_error
        self._pending: set[asyncio.Task[Any]] = set()

    def run(
        self,
        label: str,
        coro: Awaitable[Any],
        *,
        on_ok: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> asyncio.Task[Any]:
        """Run ``coro``; on failure show ``label: reason`` without stealing focus."""

        async def wrapper() -> Any:
            try:
                result = await coro
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # every failure becomes a readable notice
                log.info("operation failed: %s (%s)", label, type(exc).__name__)
                self._notify_error(f"{label}: {exc}")
                if on_error is not None:
                    on_error(exc)
                return None
            if on_ok is not None:
                on_ok(result)
            return result

        task = asyncio.ensure_future(wrapper())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return task

    async def drain(self) -> None:
        """Wait for every running operation (used on shutdown and in tests)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
