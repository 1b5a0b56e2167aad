"""Drive far-end peer phones (tests/engine/peer.py, each its own process) and collect bus events."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from cti.bus import EventBus
from cti.events import Event

PEER = Path(__file__).with_name("peer.py")
E = TypeVar("E", bound=Event)
WAIT = 20.0


class Peer:
    """One far-end phone process; ``uri()`` is how to call it, ``events`` what it saw."""

    def __init__(self, proc: asyncio.subprocess.Process, ports: dict[str, int]) -> None:
        self.proc = proc
        self.ports = ports
        self.events: list[dict[str, Any]] = []
        self._replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._changed = asyncio.Event()
        self._task = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, *args: str, password: str = "") -> Peer:
        env = {**os.environ, "PEER_PASSWORD": password}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(PEER), *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            env=env)
        assert proc.stdout is not None
        while True:
            line = await asyncio.wait_for(proc.stdout.readline(), WAIT)
            if not line:
                raise RuntimeError("peer exited at start")
            if line.startswith(b"{"):
                ready = json.loads(line)
                return cls(proc, ready["ports"])

    def uri(self, transport: str = "udp") -> str:
        scheme = "sip"
        return f"{scheme}:peer@127.0.0.1:{self.ports[transport]};transport={transport}"

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        async for line in self.proc.stdout:
            if not line.startswith(b"{"):
                continue
            msg = json.loads(line)
            if "re" in msg:
                await self._replies.put(msg)
            else:
                self.events.append(msg)
                self._changed.set()

    async def do(self, op: str, **args: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, **args}).encode() + b"\n")
        await self.proc.stdin.drain()
        reply = await asyncio.wait_for(self._replies.get(), WAIT)
        if not reply.get("ok"):
            raise AssertionError(f"peer {op} failed: {reply.get('error')}")
        return reply

    async def saw(self, pred: Callable[[dict[str, Any]], bool], within: float = WAIT) -> dict[str, Any]:
        """Wait until the peer reports an event matching ``pred``."""
        async with asyncio.timeout(within):
            while True:
                for e in self.events:
                    if pred(e):
                        return e
                self._changed.clear()
                await self._changed.wait()

    async def until(self, pred: Callable[[dict[str, Any]], bool], within: float = WAIT) -> dict[str, Any]:
        """Poll the peer's call state until ``pred`` holds."""
        async with asyncio.timeout(within):
            while True:
                with contextlib.suppress(AssertionError):
                    st = await self.do("state")
                    if pred(st):
                        return st
                await asyncio.sleep(0.1)

    async def close(self) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(Exception):
                assert self.proc.stdin is not None
                self.proc.stdin.write(b'{"op": "quit"}\n')
                await self.proc.stdin.drain()
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        self._task.cancel()


class Recorder:
    """Collect every event published on a bus and wait for particular ones."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        self._changed = asyncio.Event()
        bus.subscribe(Event, self._on)

    def _on(self, e: Event) -> None:
        self.events.append(e)
        self._changed.set()

    async def next(self, kind: type[E], pred: Callable[[E], bool] = lambda e: True,
                   within: float = WAIT, after: int = 0) -> E:
        """Return the first ``kind`` event (from index ``after``) that satisfies ``pred``."""
        async with asyncio.timeout(within):
            while True:
                for e in self.events[after:]:
                    if isinstance(e, kind) and pred(e):
                        return e
                self._changed.clear()
                await self._changed.wait()

    def of(self, kind: type[E]) -> list[E]:
        return [e for e in self.events if isinstance(e, kind)]
