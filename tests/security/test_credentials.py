"""Credentials live in the OS keyring; with none, the desk asks once per session and writes no file (issue 7)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.secrets import KeyringCredentials, MissingSecret, StaticCredentials, usable_keyring

ROOT = Path(__file__).resolve().parents[2]


class MemoryKeyring(KeyringBackend):
    """A keyring held in this process's memory: stands in for the OS store in tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    before = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(before)


def test_secrets_come_from_a_working_keyring(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("csdesk", "sip:1001", "s1p-secret")
    creds = KeyringCredentials(ask=lambda what: pytest.fail(f"asked for {what} although the keyring has it"))
    assert creds.persistent
    assert creds.sip_password("1001") == "s1p-secret"
    creds.put("ami:desk1001", "ami-secret")
    assert memory_keyring.store[("csdesk", "ami:desk1001")] == "ami-secret"
    assert creds.ami_secret("desk1001") == "ami-secret"


def test_plaintext_and_failing_backends_are_never_used() -> None:
    from keyring.backends import fail, null

    before = keyring.get_keyring()
    try:
        for backend in (fail.Keyring(), null.Keyring()):
            keyring.set_keyring(backend)
            assert usable_keyring() is None
        try:
            from keyrings.alt.file import PlaintextKeyring
        except ImportError:
            pass  # keyrings.alt is not a dependency; when present its plaintext file must be refused too
        else:
            keyring.set_keyring(PlaintextKeyring())
            assert usable_keyring() is None
    finally:
        keyring.set_keyring(before)


def test_without_a_keyring_the_desk_asks_once_and_writes_nothing(tmp_path: Path) -> None:
    secret = "only-in-memory-7Hq2"
    home = tmp_path / "home"
    home.mkdir()
    script = textwrap.dedent(f"""
        from app.secrets import KeyringCredentials
        asked = []
        def ask(what):
            asked.append(what)
            return {secret!r}
        c = KeyringCredentials(ask=ask)
        assert not c.persistent, "a usable keyring was found"
        assert c.sip_password("1001") == {secret!r}
        assert c.sip_password("1001") == {secret!r}
        assert c.sip_password("1001") == {secret!r}
        c.put("ami:desk1001", {secret!r})
        print(len(asked))
    """)
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local/share"), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"  # asked exactly once for the whole session
    leaked = [p for p in (*home.rglob("*"), *tmp_path.glob("*")) if p.is_file()
              and secret.encode() in p.read_bytes()]
    assert leaked == []


def test_missing_secret_says_what_to_do() -> None:
    creds = StaticCredentials(sip={}, ami={})
    with pytest.raises(MissingSecret, match=r"SIP password for extension 1001.*administrator"):
        creds.sip_password("1001")


def test_credentials_repr_hides_secrets() -> None:
    from cti.softphone import SipAccount

    account = SipAccount(extension="1001", password="hunter2-secret", registrars=("127.0.0.1:15060",))
    assert "hunter2" not in repr(account)


def test_ami_protocol_logs_keep_no_message_content(caplog: pytest.LogCaptureFixture) -> None:
    """panoramisk logs raw AMI messages and actions; the link's redacting logger keeps only their first words."""
    import logging

    from cti.ami.link import RedactingLog

    red = RedactingLog(logging.getLogger("cti.ami.link"))
    with caplog.at_level(logging.DEBUG, logger="cti.ami.link"):
        red.debug("message interpreted: %r", {"CallerIDNum": "13812345678", "Event": "Newchannel"})
        red.info('Adding action "%s" to awaiting list: %s', "login", "{'Secret': 's3cr3t-value'}")
        red.exception("Fail to send {'Action': 'Login', 'Secret': 's3cr3t-value'}")
    text = caplog.text
    assert "13812345678" not in text
    assert "s3cr3t-value" not in text
    assert "message interpreted:" in text
    assert "Fail to send" in text
