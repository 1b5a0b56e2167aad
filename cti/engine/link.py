"""The engine's side of the desk link: a Unix socket in a private directory, or, where the OS has no Unix
sockets (Windows), a TCP socket on the loopback address; one authenticated peer either way.

The desk connects and must first send ``hello`` with the per-launch token (read from stdin at start);
anything else closes the connection. On TCP any local process can connect, so the token (256 bits, never in
argv or the environment) is the whole of the check; on a Unix socket the 0700 directory comes first. Commands go to a queue for the pjsua2 thread, which a Waker wakes
at once; replies and events are written by whichever thread produces them, under a lock.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import socket
import threading

# hmac.compare_digest without hmac: hmac (and secrets) load OpenSSL's libcrypto, 3.4 MB resident in an engine that
# never uses it (pjsua2 has its own TLS). This is the constant-time comparison hmac itself falls back to.
from _operator import _compare_digest as compare_digest
from collections.abc import Callable
from typing import Any

from cti.engine import wire

log = logging.getLogger(__name__)
HELLO_TIMEOUT = 5.0


class Link:
    """Accept the desk, check its token, feed commands to ``commands``, carry replies and events back."""

    def __init__(self, path: str | None, token: str, on_lost: Callable[[], None]) -> None:
        """Listen on the Unix socket ``path``, or with ``path`` None on 127.0.0.1 at a free port (``self.port``)."""
        self.path = path
        self.port: int | None = None
        self._token = token.encode()
        self.commands: queue.Queue[tuple[int, str, dict[str, Any]]] = queue.Queue()
        self._on_lost = on_lost
        self._conn: socket.socket | None = None
        self._lock = threading.Lock()
        if path is None:
            self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._server.bind(("127.0.0.1", 0))  # loopback only
            self.port = self._server.getsockname()[1]
        else:
            old = os.umask(0o077)
            try:
                self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self._server.bind(path)
            finally:
                os.umask(old)
            os.chmod(path, 0o600)
        self._server.listen(1)
        self._thread = threading.Thread(target=self._serve, name="desk-link", daemon=True)
        self.wake: Callable[[], None] = lambda: None  # set to a Waker once the SIP transports exist
        self.on_connect: Callable[[], None] = lambda: None  # after the desk's hello is answered (on this link's thread)


    def start(self) -> None:
        self._thread.start()

    def send(self, t: str, body: dict[str, Any]) -> None:
        """Write one message to the desk; drop it when no desk is connected."""
        frame = wire.encode(t, **body)
        with self._lock:
            conn = self._conn
            if conn is None:
                return
            try:
                conn.sendall(frame)
            except OSError:
                log.warning("desk link write failed")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        self._server.close()
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)

    def _serve(self) -> None:
        """Accept connections; the first with the token becomes the desk, every other one is closed."""
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            if self._conn is not None or not self._authenticate(conn):
                conn.close()
                continue
            with self._lock:
                self._conn = conn
            self.send("ok", {"id": 0, "result": {"version": wire.VERSION, "pid": os.getpid()}})
            self.on_connect()
            threading.Thread(target=self._desk, args=(conn,), name="desk-reader", daemon=True).start()

    def _desk(self, conn: socket.socket) -> None:
        self._read(conn)
        with self._lock:
            self._conn = None
        conn.close()
        self._on_lost()

    def _authenticate(self, conn: socket.socket) -> bool:
        conn.settimeout(HELLO_TIMEOUT)
        try:
            msg = wire.recv_message(conn)
        except (OSError, wire.WireError):
            return False
        conn.settimeout(None)
        token = str(msg.body.get("token", "")).encode()
        if msg.t != "hello" or not compare_digest(token, self._token):
            log.warning("desk link: rejected a peer without the launch token")
            return False
        return True

    def _read(self, conn: socket.socket) -> None:
        while True:
            try:
                msg = wire.recv_message(conn)
            except (OSError, wire.WireError):
                return
            if msg.t != "cmd":
                continue
            b = msg.body
            self.commands.put((b["id"], b["op"], b["args"]))
            self.wake()


class Waker:
    """Wake the pjsua2 thread out of ``libHandleEvents`` as soon as a command is queued.

    That thread sleeps in pjsip's socket poll (up to its 10 ms slice), and pjsua2 offers no other way in.
    So the link sends the engine's own UDP SIP transport an empty keep-alive (a bare CRLF, RFC 5626 §4.4.1),
    which pjsip drops without a word; the poll returns and the loop runs the command.
    Measured: answer (click) → 200 OK went from p50 25 ms to a few ms (see cti/engine/README.md).
    """

    PING = b"\r\n\r\n"

    def __init__(self, host: str, port: int) -> None:
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        self._sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.connect((host, port))

    def __call__(self) -> None:
        with contextlib.suppress(OSError):  # a lost wake-up costs one poll slice, nothing more
            self._sock.send(self.PING)

    def close(self) -> None:
        self._sock.close()
