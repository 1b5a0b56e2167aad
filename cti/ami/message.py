"""Turn AMI messages into immutable, typed values at the edge of panoramisk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from panoramisk.message import Message

EOL = "\r\n"


def _freeze(headers: Mapping[str, Any]) -> Mapping[str, str | tuple[str, ...]]:
    out: dict[str, str | tuple[str, ...]] = {}
    for k, v in headers.items():
        out[k.lower()] = tuple(str(x) for x in v) if isinstance(v, list | tuple) else str(v)
    return MappingProxyType(out)


@dataclass(frozen=True, slots=True)
class AmiMessage:
    """One AMI event or response; header names are case-insensitive."""

    headers: Mapping[str, str | tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, headers: Mapping[str, Any]) -> AmiMessage:
        return cls(_freeze(headers))

    @classmethod
    def from_panoramisk(cls, msg: Message) -> AmiMessage:
        return cls(_freeze({k: v for k, v in msg.items()}))

    @classmethod
    def parse(cls, text: str) -> AmiMessage | None:
        """Parse one message block (lines separated by CRLF or LF) as the wire carries it."""
        msg = Message.from_line(text.strip().replace("\r\n", "\n").replace("\n", EOL))
        return None if msg is None else cls.from_panoramisk(msg)

    @property
    def event(self) -> str:
        return self.get("event")

    @property
    def response(self) -> str:
        return self.get("response")

    @property
    def ok(self) -> bool:
        return self.response in ("Success", "Follows", "Goodbye")

    @property
    def message(self) -> str:
        return self.get("message")

    def get(self, key: str, default: str = "") -> str:
        """Return a header's (first) value, or ``default``."""
        v = self.headers.get(key.lower())
        if v is None:
            return default
        return v[0] if isinstance(v, tuple) else v

    def all(self, key: str) -> tuple[str, ...]:
        """Return every value of a repeated header."""
        v = self.headers.get(key.lower())
        if v is None:
            return ()
        return v if isinstance(v, tuple) else (v,)

    def chanvars(self, prefix: str = "") -> dict[str, str]:
        """Return the channel variables (``ChanVariable: K=V`` or ``DestChanVariable`` with prefix ``Dest``)."""
        out: dict[str, str] = {}
        for item in self.all(f"{prefix}ChanVariable"):
            k, _, v = item.partition("=")
            out[k] = v
        return out

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self.headers


def parse_transcript(text: str) -> list[AmiMessage]:
    """Parse a recorded AMI stream (messages separated by blank lines)."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [m for b in blocks if b.strip() and (m := AmiMessage.parse(b)) is not None]
