"""Frame, encode and check the messages between the desk and the engine process.

A frame is a 4-byte big-endian length followed by UTF-8 JSON. Every message carries ``v`` (the
protocol version) and ``t`` (its type):

- ``hello``  desk -> engine, first frame, with the per-launch ``token``;
- ``cmd``    desk -> engine, ``id`` (int), ``op`` (str), ``args`` (object);
- ``ok``     engine -> desk, ``id`` and ``result``;
- ``err``    engine -> desk, ``id``, ``reason`` and ``sip_status``;
- ``evt``    engine -> desk, ``name`` (snake_case event name) and ``data`` (object).
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any, NamedTuple

VERSION = 1
MAX_FRAME = 256 * 1024
_LEN = struct.Struct(">I")
KINDS = frozenset({"hello", "cmd", "ok", "err", "evt"})


class WireError(Exception):
    """A frame was malformed, too large, of another version, or the peer went away."""


class Message(NamedTuple):
    """One decoded message; ``body`` holds every field except ``v`` and ``t``.

    A NamedTuple, not a dataclass: the engine process imports this module, and dataclasses brings inspect, ast and
    dis with it (1.1 MB resident for nothing)."""

    t: str
    body: dict[str, Any]


def encode(t: str, **body: Any) -> bytes:
    """Return the frame for a message of type ``t``."""
    if t not in KINDS:
        raise WireError(f"unknown message type {t!r}")
    raw = json.dumps({"v": VERSION, "t": t, **body}, separators=(",", ":")).encode()
    if len(raw) > MAX_FRAME:
        raise WireError("frame too large")
    return _LEN.pack(len(raw)) + raw


def decode(raw: bytes) -> Message:
    """Parse one frame's payload and check its version, type and required fields."""
    try:
        obj = json.loads(raw)
    except ValueError as exc:
        raise WireError("frame is not JSON") from exc
    if not isinstance(obj, dict):
        raise WireError("frame is not an object")
    if obj.pop("v", None) != VERSION:
        raise WireError("protocol version mismatch")
    t = obj.pop("t", None)
    if t not in KINDS:
        raise WireError(f"unknown message type {t!r}")
    _check(t, obj)
    return Message(t, obj)


_REQUIRED: dict[str, tuple[tuple[str, type], ...]] = {
    "hello": (("token", str),),
    "cmd": (("id", int), ("op", str), ("args", dict)),
    "ok": (("id", int),),
    "err": (("id", int), ("reason", str), ("sip_status", int)),
    "evt": (("name", str), ("data", dict)),
}


def _check(t: str, body: dict[str, Any]) -> None:
    for key, kind in _REQUIRED[t]:
        if not isinstance(body.get(key), kind) or isinstance(body.get(key), bool):
            raise WireError(f"{t} message needs {key} ({kind.__name__})")


def frame_length(header: bytes) -> int:
    """Return the payload length announced by a 4-byte header."""
    n = int(_LEN.unpack(header)[0])
    if n > MAX_FRAME:
        raise WireError("frame too large")
    return n


def recv_message(sock: socket.socket) -> Message:
    """Read one message from a blocking socket."""
    n = frame_length(_recv_exact(sock, _LEN.size))
    return decode(_recv_exact(sock, n))


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise WireError("peer closed the link")
        buf += chunk
    return bytes(buf)
