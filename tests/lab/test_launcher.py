"""The launcher on a throwaway instance: up, up, down, down all succeed and nothing is left listening.

It uses its own instance name (own loopback address), so the primary lab that other tests use stays up.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from labsim.labinfo import LabInfo, LabNotUp, load

from tests.conftest import need

pytestmark = pytest.mark.lab

LAB = Path(__file__).resolve().parents[2] / "asterisk-conf" / "lab"
# Unique per run, so two people running the suite on one machine do not race for the same instance.
NAME = f"launchtest-{os.getpid()}"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LAB), "--instance", NAME, *args], capture_output=True, text=True, timeout=240)


def listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def udp_bound(host: str, port: int) -> bool:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind((host, port))
        return False
    except OSError:
        return True
    finally:
        s.close()


@pytest.fixture
def throwaway() -> Iterator[str]:
    """The test instance's name; it is stopped and purged afterwards even when the test fails."""
    yield NAME
    run("down")
    run("purge")


def test_up_up_down_down_leaves_nothing_listening(lab: LabInfo, throwaway: str) -> None:
    need(LAB.exists(), "asterisk-conf/lab")
    first = run("up")
    assert first.returncode == 0, first.stdout + first.stderr
    info = load(NAME)
    assert info.host != lab.host, "the test instance must not share the primary's address"
    ports = [info.sip_port, info.sip_tls_port, info.ami_port, info.ami_tls_port]
    assert all(listening(info.host, p) for p in ports), first.stdout
    assert udp_bound(info.host, info.sip_port)
    assert oct(info.info_path.stat().st_mode & 0o777) == "0o600"
    # Nothing of the instance lands on the machine itself outside the root and the state dir.
    assert not Path(f"/run/asterisk-{NAME}").exists()
    assert not Path(f"/etc/asterisk-{NAME}").exists()
    secrets_before = json.loads(info.info_path.read_text())["ami_users"]

    second = run("up")
    assert second.returncode == 0, second.stdout + second.stderr
    assert load(NAME).pid == info.pid, "a second `up` must keep the running Asterisk"

    assert run("down").returncode == 0
    again = run("down")
    assert again.returncode == 0, again.stdout + again.stderr
    assert not any(listening(info.host, p) for p in ports)
    assert not udp_bound(info.host, info.sip_port)
    with pytest.raises(LabNotUp):
        load(NAME)
    assert json.loads(info.info_path.read_text())["ami_users"] == secrets_before, "secrets are kept"

    purge = run("purge")  # the throwaway instance's state (secrets, CA) and its dirs inside the root
    assert purge.returncode == 0, purge.stdout + purge.stderr
    assert not info.info_path.exists()

    # The primary lab is untouched and still answers.
    assert load(lab.instance).pid == lab.pid
    assert listening(lab.host, lab.ami_port)
