"""Read a running lab instance's lab.json: where it listens and its generated secrets."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labsim.lab.instance import state_base

DESKS = tuple(str(n) for n in range(1001, 1011))
LEADS = ("2001", "2002")
SIM_ENDPOINT = "pstn"
HOTLINE = "95500"


class LabNotUp(RuntimeError):
    """The lab instance is not running (or was never brought up)."""


@dataclass(frozen=True)
class LabInfo:
    """One running lab instance, as the launcher wrote it into lab.json."""

    instance: str
    host: str
    sip_port: int
    sip_tls_port: int
    ami_port: int
    ami_tls_port: int
    rtp_start: int
    rtp_end: int
    ca_cert: Path
    monitor_dir: Path
    log_dir: Path
    queue_log: Path
    asterisk_version: str
    pid: int
    info_path: Path
    ami_users: dict[str, str] = field(repr=False)
    sip_passwords: dict[str, str] = field(repr=False)

    def ami_secret(self, user: str) -> str:
        """Return the AMI secret of ``user`` (desk1001, lead2001, admin, ...)."""
        try:
            return self.ami_users[user]
        except KeyError:
            raise KeyError(f"no AMI user {user!r} in {self.info_path}") from None

    def sip_password(self, ext: str) -> str:
        """Return the SIP password of endpoint ``ext`` (1001, 2001, pstn; r1001 uses 1001's)."""
        key = ext[1:] if ext.startswith("r") and ext[1:] in DESKS else ext
        try:
            return self.sip_passwords[key]
        except KeyError:
            raise KeyError(f"no SIP endpoint {ext!r} in {self.info_path}") from None

    def sip_uri(self, user: str = "", transport: str = "udp") -> str:
        """Return a SIP URI at this instance, e.g. sip:1001@127.0.0.1:15060;transport=tcp."""
        port = self.sip_tls_port if transport == "tls" else self.sip_port
        scheme = "sip"
        at = f"{user}@" if user else ""
        suffix = "" if transport == "udp" else f";transport={transport}"
        return f"{scheme}:{at}{self.host}:{port}{suffix}"

    @property
    def registrar(self) -> str:
        """Return the registrar URI for UDP."""
        return self.sip_uri()


def info_path(instance: str = "primary") -> Path:
    """Return where the instance's lab.json lives (CSDESK_LAB_INFO overrides it for primary)."""
    env = os.environ.get("CSDESK_LAB_INFO")
    if env and instance == "primary":
        return Path(env)
    return state_base() / instance / "lab.json"


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def load(instance: str = "primary") -> LabInfo:
    """Return the running instance's info; raise LabNotUp with a readable reason otherwise."""
    path = info_path(instance)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise LabNotUp(f"lab instance {instance!r} was never brought up ({path} missing): "
                       f"run asterisk-conf/lab --instance {instance} up") from None
    except PermissionError:
        raise LabNotUp(f"cannot read {path} (it is 0600, owned by the user who ran `lab up`)") from None
    if not _alive(data.get("pid")):
        raise LabNotUp(f"lab instance {instance!r} is down: run asterisk-conf/lab --instance {instance} up")
    ports = data["ports"]
    return LabInfo(
        instance=data["instance"],
        host=data["host"],
        sip_port=int(ports["sip_udp"]),
        sip_tls_port=int(ports["sip_tls"]),
        ami_port=int(ports["ami"]),
        ami_tls_port=int(ports["ami_tls"]),
        rtp_start=int(data["rtp"]["start"]),
        rtp_end=int(data["rtp"]["end"]),
        ca_cert=Path(data["ca_cert"]),
        monitor_dir=Path(data["monitor_dir"]),
        log_dir=Path(data["log_dir"]),
        queue_log=Path(data["queue_log"]),
        asterisk_version=data.get("asterisk_version", ""),
        pid=int(data["pid"]),
        info_path=path,
        ami_users=dict(data["ami_users"]),
        sip_passwords=dict(data["sip_passwords"]),
    )
