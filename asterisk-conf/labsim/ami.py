"""A tiny blocking AMI client for lab tests and the simulator (not the desk's AMI session).

A reader thread collects every message; callers send actions and wait for responses or events.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
from collections.abc import Callable

from labsim.labinfo import LabInfo


class AmiError(RuntimeError):
    """The AMI connection failed, a login was refused, or a wait timed out."""


class Msg(dict[str, str]):
    """One AMI message: first value per header as a dict, all (header, value) pairs in ``pairs``."""

    pairs: list[tuple[str, str]]

    def chanvars(self, prefix: str = "ChanVariable") -> dict[str, str]:
        """Return the channel variables carried as ``ChanVariable(NAME): value`` headers."""
        out: dict[str, str] = {}
        for key, value in self.pairs:
            if key.startswith(prefix + "(") and key.endswith(")"):
                out.setdefault(key[len(prefix) + 1 : -1], value)
            elif key == prefix and "=" in value:
                name, _, val = value.partition("=")
                out.setdefault(name, val)
        return out


def _parse(raw: bytes) -> Msg:
    msg = Msg()
    msg.pairs = []
    for line in raw.decode(errors="replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if sep:
            key, value = key.strip(), value.strip()
            msg.pairs.append((key, value))
            msg.setdefault(key, value)
    return msg


class AmiClient:
    """Log in to the lab's AMI as ``user`` and keep every message it receives."""

    def __init__(self, host: str, port: int, user: str, secret: str, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(None)
        self.messages: list[Msg] = []
        self.closed = False
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._buf = b""
        self.banner = self._read_banner()
        self._reader = threading.Thread(target=self._read_loop, name=f"ami-{user}", daemon=True)
        self._reader.start()
        res = self.action("Login", Username=user, Secret=secret, timeout=timeout)
        if res.get("Response") != "Success":
            self.close()
            raise AmiError(f"AMI login as {user} refused: {res.get('Message', '')}")

    @classmethod
    def for_lab(cls, lab: LabInfo, user: str = "admin") -> AmiClient:
        """Connect to ``lab`` as ``user`` with its generated secret."""
        return cls(lab.host, lab.ami_port, user, lab.ami_secret(user))

    def __enter__(self) -> AmiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_banner(self) -> str:
        while b"\r\n" not in self._buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise AmiError("AMI closed before its banner")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\r\n")
        return line.decode(errors="replace")

    def _read_loop(self) -> None:
        try:
            while True:
                while b"\r\n\r\n" in self._buf:
                    raw, _, self._buf = self._buf.partition(b"\r\n\r\n")
                    msg = _parse(raw)
                    with self._cond:
                        self.messages.append(msg)
                        self._cond.notify_all()
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self._buf += chunk
        except OSError:
            pass
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def send(self, action: str, **fields: str) -> str:
        """Send an action without waiting; return its ActionID."""
        aid = f"labsim-{next(self._ids)}"
        lines = [f"Action: {action}", f"ActionID: {aid}"]
        lines += [f"{k}: {v}" for k, v in fields.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return aid

    def action(self, action: str, timeout: float = 10.0, **fields: str) -> Msg:
        """Send an action and return its response message."""
        aid = self.send(action, **fields)
        return self.wait(lambda m: m.get("ActionID") == aid and "Response" in m, timeout, f"{action} response")

    def action_list(self, action: str, timeout: float = 10.0, **fields: str) -> list[Msg]:
        """Send a list action (QueueStatus, CoreShowChannels, ...); return its events up to *Complete."""
        aid = self.send(action, **fields)
        done = self.wait(lambda m: (m.get("ActionID") == aid and m.get("EventList") == "Complete")
                         or (m.get("ActionID") == aid and m.get("Response") == "Error"), timeout, f"{action} list")
        if done.get("Response") == "Error":
            raise AmiError(f"{action} refused: {done.get('Message', '')}")
        with self._cond:
            return [m for m in self.messages if m.get("ActionID") == aid and "Event" in m and m is not done]

    def find(self, pred: Callable[[Msg], bool], start: int = 0) -> Msg | None:
        """Return the first message from index ``start`` that satisfies ``pred``, or None."""
        with self._cond:
            for m in self.messages[start:]:
                if pred(m):
                    return m
        return None

    def wait(self, pred: Callable[[Msg], bool], timeout: float, what: str, start: int = 0) -> Msg:
        """Block until a message satisfies ``pred``; raise AmiError naming ``what`` on timeout."""
        end = time.monotonic() + timeout
        with self._cond:
            seen = start
            while True:
                for m in self.messages[seen:]:
                    if pred(m):
                        return m
                seen = len(self.messages)
                left = end - time.monotonic()
                if left <= 0 or self.closed:
                    raise AmiError(f"timed out after {timeout:.0f} s waiting for {what}"
                                   + (" (AMI connection closed)" if self.closed else ""))
                self._cond.wait(min(left, 0.5))

    def events(self, name: str) -> list[Msg]:
        """Return every received event called ``name``."""
        with self._cond:
            return [m for m in self.messages if m.get("Event") == name]

    def close(self) -> None:
        """Log off and close the socket."""
        if not self.closed:
            with contextlib.suppress(OSError):
                self.send("Logoff")
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self._reader.join(timeout=2)
