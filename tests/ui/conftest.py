from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import pytest


@pytest.fixture(autouse=True)
def qasync_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """Run asyncio on the Qt loop, as the desk does, so qtbot waits also run coroutines."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)
