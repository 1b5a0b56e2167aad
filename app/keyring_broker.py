"""The keyring broker: the only process that loads the OS keyring, and only while a sign-in needs it.

keyring imports every backend it finds through entry points (importlib_metadata, email, jeepney,
secretstorage, cryptography: 7.9 MB resident in the desk), so the desk runs this as a short-lived child,
``[sys.executable, "-m", "app.keyring_broker"]`` (app/secrets.py), instead of importing keyring itself.

One JSON request per line on stdin, one JSON answer per line on stdout, in order; exits at the end of stdin:

    {"op": "probe"}                                          -> {"ok": true, "safe": true}
    {"op": "get", "service": "csdesk", "key": "sip:1001"}    -> {"ok": true, "value": "..."}  (null: none stored)
    {"op": "set", "service": "csdesk", "key": "...", "value": "..."}  -> {"ok": true}
    anything that fails                                      -> {"ok": false, "error": "readable text"}

Only a safe keyring is used: never keyrings.alt's plaintext file, never the fail/null backends. Secrets travel
on the pipes only (never argv, environment, files or logs), and an error text never carries one.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

_PLAINTEXT_BACKENDS = ("keyrings.alt.file", "keyring.backends.fail", "keyring.backends.null")


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


class Broker:
    """Answer requests against the safe keyring, chosen once, on the first request that needs it."""

    def __init__(self) -> None:
        self._backend: Any = None
        self._chosen = False

    def _keyring(self) -> Any | None:
        if not self._chosen:
            self._backend = usable_keyring()
            self._chosen = True
        return self._backend

    def answer(self, request: Any) -> dict[str, Any]:
        if not isinstance(request, dict):
            return {"ok": False, "error": "a request must be a JSON object"}
        op = request.get("op")
        if op == "probe":
            return {"ok": True, "safe": self._keyring() is not None}
        service, key = request.get("service"), request.get("key")
        if op not in ("get", "set"):
            return {"ok": False, "error": f"unknown request {str(op)[:40]!r}"}
        if not isinstance(service, str) or not isinstance(key, str):
            return {"ok": False, "error": f"{op} needs a service and a key (strings)"}
        backend = self._keyring()
        if op == "get":
            value = backend.get_password(service, key) if backend is not None else None
            return {"ok": True, "value": value if isinstance(value, str) and value else None}
        value = request.get("value")
        if not isinstance(value, str) or not value:
            return {"ok": False, "error": "set needs a value (a non-empty string)"}
        if backend is None:
            return {"ok": False, "error": "this desk has no safe keyring to store the secret in"}
        backend.set_password(service, key, value)
        return {"ok": True}


def _failure(exc: BaseException, request: Any) -> dict[str, Any]:
    """A readable error; the request's secret is cut out in case a backend quoted it."""
    text = f"{type(exc).__name__}: {exc}"
    secret = request.get("value") if isinstance(request, dict) else None
    if isinstance(secret, str) and secret:
        text = text.replace(secret, "***")
    return {"ok": False, "error": text}


def serve(stdin: TextIO, stdout: TextIO) -> None:
    """Answer each line of ``stdin`` on ``stdout`` until ``stdin`` ends."""
    broker = Broker()
    for line in stdin:
        if not line.strip():
            continue
        request: Any = None
        try:
            request = json.loads(line)
            answer = broker.answer(request)
        except Exception as exc:  # the desk shows the text; the broker keeps answering
            answer = _failure(exc, request) if request is not None else {"ok": False, "error": "not JSON"}
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()


def main() -> int:
    out = sys.stdout
    sys.stdout = sys.stderr  # a backend that prints must not corrupt the answers
    serve(sys.stdin, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
