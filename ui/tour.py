"""The demo's scripted tour: drive the desk through one call and save screenshots of the key moments.

Used only by ``./dev demo`` when there is no display (and by the bundle smoke test). It acts as a CSR
would: it answers a simulated call, opens the claim form, hangs up, saves the wrap-up, and looks at a
transfer order and an outbound result.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from app.events import ScreenPopDidLoad
from cti.events import AgentDidChangeState

log = logging.getLogger(__name__)


class TourStopped(Exception):
    """The tour reached its ``stop`` shot."""


class Tour:
    """Take screenshots at each step; ``done`` resolves when the tour is over (or times out)."""

    def __init__(self, *, out_dir: Path, desk: Any, window: Any, bridge: Any, stop: str | None = None) -> None:
        self.out = out_dir
        self.stop = stop  # the shot after which the tour stops and leaves the desk as it is
        self.stopped = False
        self.desk = desk
        self.window = window
        self.shots: list[Path] = []
        self._state = ""
        self._popped = asyncio.Event()
        self._state_changed = asyncio.Event()
        bridge.on(ScreenPopDidLoad, lambda _e: self._popped.set())
        bridge.on(AgentDidChangeState, self._on_state)

    def _on_state(self, event: AgentDidChangeState) -> None:
        self._state = event.new
        self._state_changed.set()

    async def _until_state(self, *states: str, within: float) -> None:
        async with asyncio.timeout(within):
            while self._state not in states:
                self._state_changed.clear()
                await self._state_changed.wait()

    def shot(self, name: str, widget: QWidget | None = None) -> Path:
        """Save a PNG of ``widget`` (the main window by default)."""
        target = widget or self.window
        path = self.out / f"{len(self.shots) + 1:02d}-{name}.png"
        target.grab().save(str(path))
        self.shots.append(path)
        log.info("tour: saved %s", path.name)
        if name == self.stop:
            self.stopped = True
            raise TourStopped(name)
        return path

    def report(self) -> None:
        """Log what the desk shows now: its state and reason, and which forms offer a draft back (no
        customer data: state names, the centre's reason labels and form names)."""
        bar = self.window.state_bar
        forms = getattr(self.window, "forms", None)
        offered = sorted(k for k, f in (forms.forms.items() if forms is not None else ())
                         if f.restore_bar.isVisibleTo(f))
        log.info("tour: desk shows %s (%s); drafts offered: %s", bar.state, bar.reason_label.text() or "-",
                 ",".join(offered) or "-")

    async def run(self) -> None:
        """Play the tour; with ``stop`` set, end quietly after that shot (``stopped`` is then True)."""
        with contextlib.suppress(TourStopped):
            await self._run()
        if self.stopped:
            await asyncio.sleep(1.0)  # let the forms finish looking for drafts to offer
            self.report()

    async def _run(self) -> None:
        await asyncio.sleep(1.0)
        self.report()
        self.shot("ready")
        async with asyncio.timeout(120):
            await self._popped.wait()
        await asyncio.sleep(0.3)
        self.shot("ringing-screen-pop")
        await self.desk.answer()
        await self._until_state("talking", within=15)
        forms = getattr(self.window, "forms", None)
        if forms is not None:
            forms.focus_form("claim")
        await asyncio.sleep(2.0)
        self.shot("talking-claim-form")
        await self.desk.hangup()
        await self._until_state("wrap_up", within=15)
        if forms is not None:
            forms.focus_form("wrapup")
            form = forms.wrapup
            form.category.set_code("claim.auto")
            form.resolved_yes.setChecked(True)
            form.notes.setPlainText("演示：客户报案，已登记。")
        await asyncio.sleep(0.5)
        self.shot("wrap-up")
        if forms is not None:
            saved = asyncio.Event()
            forms.wrap_up_saved.connect(lambda _id: saved.set())
            forms.wrapup.submit()
            async with asyncio.timeout(15):
                await saved.wait()
        if forms is not None:
            for kind, name in (("transfer", "transfer-order"), ("outbound", "outbound")):
                forms.focus_form(kind)
                await asyncio.sleep(0.5)
                self.shot(name)
        await self.desk.finish_wrap_up()
        await self._until_state("ready", "not_ready", within=15)
        await asyncio.sleep(0.5)
        self.shot("back-to-ready")
