"""ui/gcguard.py: with the guard installed, Python's cyclic garbage (here a Qt object in a cycle, with a running
timer) is not collected by whichever thread allocates, but on the GUI thread by the guard's timer."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from PySide6.QtCore import QObject, QTimer

from ui.gcguard import MainThreadGc


class Holder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.start(1000)
        self.me = self  # a reference cycle: only the cyclic collector can free it


def test_garbage_cycles_are_collected_on_the_gui_thread_only(qtbot: Any) -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    guard = MainThreadGc(interval_ms=20)
    try:
        assert not gc.isenabled()
        destroyed_in: list[str] = []
        holder = Holder()
        holder.destroyed.connect(lambda: destroyed_in.append(threading.current_thread().name))
        gone = weakref.ref(holder)
        del holder

        kept: list[list[object]] = []

        def churn() -> None:  # a worker thread allocating, as the database worker does: far past the threshold
            kept.extend([] for _ in range(20 * guard.threshold[0]))

        t = threading.Thread(target=churn, name="worker")
        t.start()
        t.join()
        assert gone() is not None  # the worker's allocations did not trigger a collection
        qtbot.waitUntil(lambda: gone() is None, timeout=5000)
        assert destroyed_in == [threading.main_thread().name]
    finally:
        guard.stop()
        if not was_enabled:
            gc.disable()
