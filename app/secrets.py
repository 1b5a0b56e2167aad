"""Keep credentials in the OS keyring; with no usable keyring, ask once per session and hold them in memory.

Never writes a secret to a file, and refuses keyrings.alt's plaintext backends even when they are the default.
The keyring library itself never loads in the desk: a short-lived child, app/keyring_broker.py, reads the
keyring for one sign-in and exits (it carried 7.9 MB for the whole shift when the desk imported it).
"""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol

log = logging.getLogger(__name__)
SERVICE = "csdesk"
BROKER_TIMEOUT = 20.0  # seconds: room to unlock a locked keyring at its prompt, yet no hang when the broker is stuck
BROKER_ARGV = (sys.executable, "-m", "app.keyring_broker")  # the frozen bundle dispatches this too (installer/entry.py)


class Credentials(Protocol):
    def prefetch(self, *, sip: Sequence[str] = (), ami: Sequence[str] = ()) -> None: ...
    def sip_password(self, extension: str) -> str: ...
    def ami_secret(self, ami_user: str) -> str: ...


class MissingSecret(LookupError):
    """A credential is in neither the keyring nor the session, and nobody could be asked."""

    def __init__(self, what: str) -> None:
        super().__init__(f"no {what} is stored for this desk; ask the administrator to provision it")


class KeyringUnavailable(Exception):
    """The keyring broker could not start, stopped, failed or did not answer in time; the text says which."""


def _redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def ask_broker(requests: Sequence[dict[str, Any]], *, argv: Sequence[str] = BROKER_ARGV,
               timeout: float = BROKER_TIMEOUT) -> list[dict[str, Any]]:
    """Run the broker for these requests and return its answers; it exits once they are answered.

    Blocks for a process start (a few hundred ms): off the event loop. Raise KeyringUnavailable on any failure."""
    secrets = [str(r["value"]) for r in requests if r.get("value")]
    payload = "".join(json.dumps(r) + "\n" for r in requests)  # on the pipe only: never argv, env or a file
    try:
        proc = subprocess.Popen(list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    except OSError as exc:
        raise KeyringUnavailable(f"The keyring helper could not start: {exc.strerror or exc}") from None
    try:
        out, err = proc.communicate(payload, timeout=timeout)  # closes stdin: the broker exits after answering
    except subprocess.TimeoutExpired:
        proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # reap it; bounded, should a grandchild hold the pipes
            proc.communicate(timeout=2)
        raise KeyringUnavailable(f"The OS keyring did not answer within {timeout:g} s (is it locked?); "
                                 "sign in again, or ask the administrator") from None
    answers: list[dict[str, Any]] = []
    with contextlib.suppress(ValueError):  # not JSON: reported below as a broker that stopped
        answers = [json.loads(line) for line in out.splitlines() if line.strip()]
    if len(answers) != len(requests) or not all(isinstance(a, dict) for a in answers):
        last = _redact(err.strip().splitlines()[-1], secrets) if err.strip() else ""
        raise KeyringUnavailable(f"The keyring helper stopped (exit code {proc.returncode})"
                                 + (f": {last[:200]}" if last else ""))
    for answer in answers:
        if not answer.get("ok"):
            raise KeyringUnavailable(f"The OS keyring failed: {_redact(str(answer.get('error')), secrets)[:200]}")
    return answers


class KeyringCredentials:
    """Credentials from the OS keyring, else from ``ask`` (once per session, kept in memory only).

    Each keyring read or write runs the broker (app/keyring_broker.py) for just that exchange. ``prefetch``
    reads what a sign-in needs in one run; it blocks, so the desk calls it on its worker thread, then reads
    the values on the event loop (where ``ask`` may show a dialog)."""

    def __init__(self, *, ask: Callable[[str], str | None] | None = None, broker: Sequence[str] = BROKER_ARGV,
                 timeout: float = BROKER_TIMEOUT) -> None:
        self._ask = ask
        self._broker = tuple(broker)
        self._timeout = timeout
        self._memory: dict[str, str] = {}
        self._looked_up: set[str] = set()  # asked of the keyring this session, found or not
        self._safe: bool | None = None  # whether a safe keyring exists; None until the broker said

    @property
    def persistent(self) -> bool:
        """Whether secrets are kept in a safe keyring (asks the broker the first time)."""
        if self._safe is None:
            self._fetch([])
        return bool(self._safe)

    def prefetch(self, *, sip: Sequence[str] = (), ami: Sequence[str] = ()) -> None:
        """Read these secrets from the keyring in one broker run. Blocks: call it off the event loop."""
        keys = [f"sip:{e}" for e in sip] + [f"ami:{u}" for u in ami]
        missing = [k for k in keys if k not in self._memory]
        if missing:
            self._fetch(missing)

    def _fetch(self, keys: list[str]) -> None:
        if self._safe is False:  # no safe keyring on this desk: nothing to read, no process to start
            self._looked_up.update(keys)
            return
        requests: list[dict[str, Any]] = [{"op": "probe"}]
        requests += [{"op": "get", "service": SERVICE, "key": k} for k in keys]
        answers = ask_broker(requests, argv=self._broker, timeout=self._timeout)
        self._safe = bool(answers[0].get("safe"))
        for key, answer in zip(keys, answers[1:], strict=True):
            value = answer.get("value")
            if isinstance(value, str) and value:
                # Kept for the session, like an asked secret: the engine and the AMI link hold it in memory
                # for the whole shift anyway, and a re-sign-in or engine restart then starts no broker.
                self._memory[key] = value
        self._looked_up.update(keys)

    def get(self, key: str, what: str) -> str:
        if key not in self._memory and key not in self._looked_up:
            self._fetch([key])  # blocks for the broker: on an event loop, prefetch() first
        if key in self._memory:
            return self._memory[key]
        if self._ask is not None:
            value = self._ask(what)
            if value:
                self._memory[key] = value
                return value
        raise MissingSecret(what)

    def put(self, key: str, value: str) -> None:
        """Store in the keyring when there is a safe one; otherwise only for this session."""
        if self.persistent:
            ask_broker([{"op": "set", "service": SERVICE, "key": key, "value": value}], argv=self._broker,
                       timeout=self._timeout)
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

    def prefetch(self, *, sip: Sequence[str] = (), ami: Sequence[str] = ()) -> None:
        """Nothing to read: the secrets are already in memory."""

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
