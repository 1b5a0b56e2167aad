"""Run the desk's life cycle: sign-in window → main window → sign-out, on the qasync loop."""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.prefs import Prefs
from ui.signin import SignInWindow

log = logging.getLogger(__name__)


class DeskShell:
    """Own the windows and the desk service for one run of the program."""

    def __init__(self, *, app: QApplication, args: argparse.Namespace, prefs: Prefs, signin: SignInWindow,
                 root: Path) -> None:
        self.app = app
        self.args = args
        self.prefs = prefs
        self.signin = signin
        self.root = root
        self.desk: Any = None
        self.window: Any = None
        self._done: asyncio.Future[int] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        signin.sign_in_requested.connect(self._on_sign_in)
        signin.rejected.connect(lambda: self._finish(0))

    async def run(self) -> int:
        """Run until the CSR closes the desk; return the exit code."""
        self._done = asyncio.get_running_loop().create_future()
        return await self._done

    def _finish(self, code: int) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(code)

    def _on_sign_in(self, agent_id: str, password: str) -> None:
        task = asyncio.ensure_future(self._sign_in(agent_id, password))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _sign_in(self, agent_id: str, password: str) -> None:
        try:
            from app.desk import build_desk  # imported here: the sign-in window is already painted
        except ImportError as exc:
            self.signin.show_error(self.signin.tr("The desk service is not available: ") + str(exc))
            return
        try:
            self.desk = await build_desk(args=self.args, root=self.root)
            await self.desk.sign_in(agent_id, password)
        except Exception as exc:  # every failure is shown to the CSR in words
            log.info("sign-in failed: %s", type(exc).__name__)
            self.signin.show_error(str(exc))
            return
        self.prefs.agent_id = agent_id
        self.prefs.save()
