"""A tiny scripted AMI server on loopback, for unit tests of the link only (never a stand-in for the lab)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

Reply = list[dict[str, str]] | None  # None: never answer
Handler = Callable[[dict[str, str]], Reply]


def _encode(msg: dict[str, Any]) -> bytes:
    lines = []
    for k, v in msg.items():
        for item in v if isinstance(v, list) else [v]:
            lines.append(f"{k}: {item}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class FakeAmi:
    """Speak enough AMI for the link: banner, Login, Ping, scripted actions, pushed events, freeze, drop."""

    def __init__(self, *, secret: str = "s3cret", host: str = "127.0.0.1") -> None:
        self.secret = secret
        self.host = host
        self.port = 0
        self.handlers: dict[str, Handler] = {}
        self.received: list[dict[str, str]] = []
        self.frozen = False
        self.logins = 0
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None

    async def start(self, port: int = 0) -> FakeAmi:
        self._server = await asyncio.start_server(self._serve, self.host, port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        """Stop listening and drop every client."""
        if self._server is not None:
            self._server.close()
        self.drop()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        self._server = None

    def drop(self) -> None:
        for w in self._writers:
            w.transport.abort()
        self._writers.clear()

    def emit(self, event: dict[str, Any]) -> None:
        for w in self._writers:
            w.write(_encode(event))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        writer.write(b"Asterisk Call Manager/9.0.0\r\n")
        try:
            while True:
                block = await reader.readuntil(b"\r\n\r\n")
                if self.frozen:
                    continue
                action: dict[str, str] = {}
                for line in block.decode().split("\r\n"):
                    k, sep, v = line.partition(": ")
                    if sep:
                        action[k.lower()] = v
                self.received.append(action)
                for reply in self._reply(action) or []:
                    writer.write(_encode({**reply, "ActionID": action.get("actionid", "")}))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass

    def _reply(self, action: dict[str, str]) -> Reply:
        name = action.get("action", "").lower()
        if name == "login":
            if action.get("secret") != self.secret:
                return [{"Response": "Error", "Message": "Authentication failed"}]
            self.logins += 1
            return [{"Response": "Success", "Message": "Authentication accepted"}]
        if name == "ping":
            return [{"Response": "Success", "Ping": "Pong", "Timestamp": "1.0"}]
        if name == "logoff":
            return [{"Response": "Goodbye", "Message": "Thanks for all the fish."}]
        if name in self.handlers:
            return self.handlers[name](action)
        return [{"Response": "Error", "Message": "Invalid/unknown command"}]
