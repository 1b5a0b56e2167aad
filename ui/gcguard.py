"""Collect Python's cyclic garbage on the GUI thread only.

CPython runs its cyclic collector in whichever thread happens to allocate when a threshold is crossed: in the
desk that is often the database worker thread. A Qt object caught in a reference cycle is then destroyed off
the GUI thread, and Qt's timer list keeps a dangling pointer to it (seen here as a segmentation fault in
``QTimerInfoList::activateTimers`` when two desk windows had lived in one process). So the desk turns automatic
collection off and collects from a GUI-thread timer instead, with the interpreter's own generational thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


def collect_like_the_interpreter(threshold: tuple[int, int, int]) -> int | None:
    """Run the collection the interpreter would run now, if any; return the generation collected."""
    c0, c1, c2 = gc.get_count()
    if c0 <= threshold[0]:
        return None
    gen = 2 if c2 > threshold[2] else 1 if c1 > threshold[1] else 0
    gc.collect(gen)
    return gen


class MainThreadGc(QObject):
    """Disable automatic collection and collect every ``interval_ms`` on the thread this object lives on."""

    def __init__(self, *, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> int | None:
        return collect_like_the_interpreter(self.threshold)

    @staticmethod
    def settle() -> None:
        """Move every object alive now (modules, the ORM, the windows just built) out of the collector's sight,
        so a full collection later on scans only what the shift creates: tens of milliseconds less each time
        it runs on the GUI thread. Call it once the main window is up."""
        gc.freeze()

    def stop(self) -> None:
        """Hand collection back to the interpreter."""
        self._timer.stop()
        gc.enable()
