"""Credentials live in the OS keyring; with none, the desk asks once per session and writes no file (issue 7)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.keyring_broker import usable_keyring
from app.secrets import KeyringCredentials, KeyringUnavailable, MissingSecret, StaticCredentials

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = Path(__file__).resolve().parent / "keyring_backends"  # loadable by the broker, a child process
KEYRING_MODULES = ("keyring", "cryptography", "secretstorage", "jeepney")


class FileStore:
    """The test keyring's store (tests/security/keyring_backends), as the broker process sees it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def seed(self, key: str, value: str) -> None:
        self.path.write_text(json.dumps({**self.read(), f"csdesk/{key}": value}))


def use_test_backend(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make the broker (and anything else started from here) choose ``name`` from keyring_backends/."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, (str(BACKENDS), os.environ.get("PYTHONPATH")))))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"csdesk_test_keyring.{name}")


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FileStore:
    use_test_backend(monkeypatch, "FileKeyring")
    monkeypatch.setenv("CSDESK_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    return FileStore(tmp_path / "keyring.json")


@pytest.fixture
def brokers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[str]]]:
    """Every broker process the credentials start, as the desk starts it."""
    started: list[subprocess.Popen[str]] = []

    class Recorded(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            started.append(self)

    monkeypatch.setattr("app.secrets.subprocess.Popen", Recorded)
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()


def _children_running(module: str) -> list[int]:
    """Processes of this test whose command line names ``module`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and module.encode() in cmdline:
            found.append(int(stat.parent.name))
    return found


def test_secrets_come_from_a_working_keyring(file_keyring: FileStore) -> None:
    file_keyring.seed("sip:1001", "s1p-secret")
    creds = KeyringCredentials(ask=lambda what: pytest.fail(f"asked for {what} although the keyring has it"))
    assert creds.persistent
    assert creds.sip_password("1001") == "s1p-secret"
    creds.put("ami:desk1001", "ami-secret")
    assert file_keyring.read()["csdesk/ami:desk1001"] == "ami-secret"
    assert creds.ami_secret("desk1001") == "ami-secret"
    assert KeyringCredentials().ami_secret("desk1001") == "ami-secret"  # a new session reads it back


def test_plaintext_and_failing_backends_are_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
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
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")  # the same rule in the broker
    creds = KeyringCredentials(ask=lambda what: "typed")
    assert not creds.persistent
    assert creds.sip_password("1001") == "typed"


def test_the_desk_never_loads_the_keyring_and_the_broker_is_gone_after_the_fetch(
        file_keyring: FileStore, tmp_path: Path) -> None:
    """A desk-like process (the desk and lead services, the credentials) reads its secrets through the
    broker: keyring, cryptography, secretstorage and jeepney never load in it, and no broker outlives the
    fetch. The broker's own argv and environment never carry a secret."""
    file_keyring.seed("sip:1001", "sip-secret-Zq81")
    file_keyring.seed("ami:desk1001", "ami-secret-Wd44")
    witness = tmp_path / "broker-argv-env"
    script = textwrap.dedent("""
        import json, os, sys
        import app.desk, app.lead
        from app.secrets import KeyringCredentials
        c = KeyringCredentials(ask=lambda what: sys.exit("asked for " + what))
        c.prefetch(sip=["1001"], ami=["desk1001"])
        assert c.sip_password("1001") == "sip-secret-Zq81"
        assert c.ami_secret("desk1001") == "ami-secret-Wd44"
        c.put("sip:1002", "put-secret-Kk20")
        assert c.persistent
        children = [p for p in os.listdir("/proc") if p.isdigit() and
                    open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid())]
        print(json.dumps({"modules": sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[1:]),
                          "children": children}))
    """)
    out = subprocess.run([sys.executable, "-c", script, *KEYRING_MODULES], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, CSDESK_TEST_KEYRING_WITNESS=str(witness)))
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout)
    assert seen == {"modules": [], "children": []}
    assert file_keyring.read()["csdesk/sip:1002"] == "put-secret-Kk20"
    broker_sides = witness.read_bytes()
    assert b"app.keyring_broker" in broker_sides  # the witness did run inside the broker
    for secret in (b"sip-secret-Zq81", b"ami-secret-Wd44", b"put-secret-Kk20"):
        assert secret not in broker_sides


def test_one_broker_per_fetch_started_as_the_bundle_expects_and_gone_after_it(
        file_keyring: FileStore, brokers: list[subprocess.Popen[str]], caplog: pytest.LogCaptureFixture) -> None:
    file_keyring.seed("sip:1001", "sip-secret-Pp02")
    file_keyring.seed("ami:desk1001", "ami-secret-Pp03")
    creds = KeyringCredentials()
    with caplog.at_level("DEBUG"):
        creds.prefetch(sip=["1001"], ami=["desk1001"])
        assert len(brokers) == 1
        assert brokers[0].args == [sys.executable, "-m", "app.keyring_broker"]  # installer/entry.py dispatches it
        assert brokers[0].returncode == 0  # it answered, saw the end of its stdin, exited and was reaped
        assert _children_running("app.keyring_broker") == []
        assert creds.sip_password("1001") == "sip-secret-Pp02"
        assert creds.ami_secret("desk1001") == "ami-secret-Pp03"
        creds.prefetch(sip=["1001"], ami=["desk1001"])  # a second sign-in in the session: from memory
        assert len(brokers) == 1
    assert "secret-Pp0" not in caplog.text


def test_a_silent_keyring_gives_a_readable_error_within_the_timeout(
        monkeypatch: pytest.MonkeyPatch, brokers: list[subprocess.Popen[str]]) -> None:
    use_test_backend(monkeypatch, "SilentKeyring")
    creds = KeyringCredentials(timeout=3.0)
    t0 = time.monotonic()
    with pytest.raises(KeyringUnavailable, match=r"did not answer within 3 s"):
        creds.prefetch(sip=["1001"])
    assert time.monotonic() - t0 < 3.0 + 3.0
    assert brokers[0].returncode is not None  # killed and reaped, not left behind
    assert _children_running("app.keyring_broker") == []


@pytest.mark.parametrize(("broker", "says"), [
    ([sys.executable, "-c", "import sys; sys.stderr.write('Traceback: boom\\n'); sys.exit(3)"],
     r"keyring helper stopped \(exit code 3\): Traceback: boom"),
    (["/nonexistent/csdesk-python"], r"keyring helper could not start: No such file"),
])
def test_a_broker_that_cannot_start_or_dies_says_so(broker: list[str], says: str) -> None:
    with pytest.raises(KeyringUnavailable, match=says):
        KeyringCredentials(broker=broker, timeout=10).sip_password("1001")


def test_a_keyring_error_comes_back_without_the_secret(file_keyring: FileStore) -> None:
    creds = KeyringCredentials()
    with pytest.raises(KeyringUnavailable) as failed:
        creds.put("sip:1001", "refuse-Xs93")  # the test backend raises quoting the value it was given
    assert "RuntimeError: the store refused" in str(failed.value)
    assert "Xs93" not in str(failed.value)


async def test_sign_in_with_a_silent_keyring_fails_in_words_and_the_desk_stays_live(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The broker starts off the event loop (the window keeps painting), and a stuck keyring ends the sign-in
    with a message for the sign-in window instead of a hang."""
    from app.actor import Actor
    from app.config import load_config
    from app.db import make_engine, make_session_factory, upgrade_to_head
    from app.desk import Desk, SignInError
    from app.services.agents import create_agent
    from app.worker import DbWorker
    from cti.bus import EventBus

    use_test_backend(monkeypatch, "SilentKeyring")
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    with sessions() as s:
        create_agent(s, actor=Actor(agent_id="admin", desk_id="test"), agent_id="1001", display_name="Li Na",
                     role="csr", team="A", skills=["service"], password="pass-word-1")
    centre = load_config(ROOT / "resources" / "centre.toml")
    worker = DbWorker()
    desk = Desk(config=centre, profile=centre.profiles["onsite"], desk_id="keyring-desk", bus=EventBus(),
                worker=worker, session_factory=sessions, credentials=KeyringCredentials(timeout=2.0), softphone=None)
    gaps: list[float] = []

    async def tick() -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.02)
            gaps.append(time.monotonic() - last)
            last = time.monotonic()

    ticker = asyncio.ensure_future(tick())
    try:
        t0 = time.monotonic()
        with pytest.raises(SignInError, match=r"OS keyring did not answer within 2 s"):
            await desk.sign_in("1001", "pass-word-1")
        assert time.monotonic() - t0 < 2.0 + 4.0
    finally:
        ticker.cancel()
        worker.shutdown()
        engine.dispose()
    assert max(gaps) < 1.0, f"the event loop stalled {max(gaps):.2f} s"
    assert desk.session is None


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
