"""Keyring backends that the desk's keyring broker (a child process) can load in tests.

Named by PYTHON_KEYRING_BACKEND with this folder on PYTHONPATH, as a desk's OS keyring would be chosen.
``FileKeyring`` keeps its store in the JSON file $CSDESK_TEST_KEYRING_FILE (a test stand-in for the OS store)
and, when $CSDESK_TEST_KEYRING_WITNESS is set, appends the broker's own argv and environment to that file so a
test can check that no secret reached them. ``SilentKeyring`` never answers.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["CSDESK_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        self._witness()
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def _witness(self) -> None:
        witness = os.environ.get("CSDESK_TEST_KEYRING_WITNESS")
        if witness:
            with open(witness, "ab") as f:
                f.write(Path("/proc/self/cmdline").read_bytes() + b"\n" + Path("/proc/self/environ").read_bytes())

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        if password.startswith("refuse-"):
            raise RuntimeError(f"the store refused {password!r}")  # a backend that quotes what it was given
        store = self._load()
        store[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(store))

    def delete_password(self, service: str, username: str) -> None:
        store = self._load()
        store.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(store))


class SilentKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(120)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        time.sleep(120)

    def delete_password(self, service: str, username: str) -> None:
        time.sleep(120)
