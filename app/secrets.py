"""Keep credentials in the OS keyring; with no usable keyring, ask once per session and hold them in memory.

Never writes a secret to a file, and refuses keyrings.alt's plaintext backends even when they are the default.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)
SERVICE = "csdesk"
_PLAINTEXT_BACKENDS = ("keyrings.alt.file", "keyring.backends.fail", "keyring.backends.null")


class Credentials(Protocol):
    def sip_password(self, extension: str) -> str: ...
    def ami_secret(self, ami_user: str) -> str: ...


class MissingSecret(LookupError):
    """A credential is in neither the keyring nor the session, and nobody could be asked."""

    def __init__(self, what: str) -> None:
        super().__init__(f"no {what} is stored for this desk; ask the administrator to provision it")


def _safe(backend: Any) -> bool:
    return not type(backend).__module__.startswith(_PLAINTEXT_BACKENDS)


def usable_keyring() -> Any | None:
    """Return a keyring backend that stores secrets safely (never a plaintext file), else None."""
    try:
        import keyring
    except ImportError:
        return None
    backend = keyring.get_keyring()
    chain = getattr(backend, "backends", None)
    if chain is not None:  # a ChainerBackend: use its best safe member directly
        return next((b for b in chain if _safe(b)), None)
    return backend if _safe(backend) else None


class KeyringCredentials:
    """Credentials from the OS keyring, else from ``ask`` (once per session, kept in memory only)."""

    def __init__(self, *, ask: Callable[[str], str | None] | None = None) -> None:
        self._ask = ask
        self._memory: dict[str, str] = {}
        self._backend = usable_keyring()

    @property
    def persistent(self) -> bool:
        return self._backend is not None

    def get(self, key: str, what: str) -> str:
        if key in self._memory:
            return self._memory[key]
        if self._backend is not None:
            stored = self._backend.get_password(SERVICE, key)
            if isinstance(stored, str) and stored:
                return stored
        if self._ask is not None:
            value = self._ask(what)
            if value:
                self._memory[key] = value
                return value
        raise MissingSecret(what)

    def put(self, key: str, value: str) -> None:
        """Store in the keyring when there is a safe one; otherwise only for this session."""
        if self._backend is not None:
            self._backend.set_password(SERVICE, key, value)
        else:
            self._memory[key] = value

    def sip_password(self, extension: str) -> str:
        return self.get(f"sip:{extension}", f"SIP password for extension {extension}")

    def ami_secret(self, ami_user: str) -> str:
        return self.get(f"ami:{ami_user}", f"AMI secret for {ami_user}")


class StaticCredentials:
    """Credentials handed over in memory by the composition root (the lab, in the demo and tests)."""

    def __init__(self, *, sip: dict[str, str], ami: dict[str, str]) -> None:
        self._sip = dict(sip)
        self._ami = dict(ami)

    def sip_password(self, extension: str) -> str:
        try:
            return self._sip[extension]
        except KeyError:
            raise MissingSecret(f"SIP password for extension {extension}") from None

    def ami_secret(self, ami_user: str) -> str:
        try:
            return self._ami[ami_user]
        except KeyError:
            raise MissingSecret(f"AMI secret for {ami_user}") from None
