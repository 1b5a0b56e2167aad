"""Describe one lab instance: its name, loopback address, ports and directories (stdlib only)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

SIP_PORT = 15060
SIP_TLS_PORT = 15061
AMI_PORT = 15038
AMI_TLS_PORT = 15039
RTP_BLOCK = 1000
RTP_FIRST = 20000

# Fixed addresses for the instances others rely on; any other name gets 127.0.0.N, N >= 10.
KNOWN_HOSTS = {"primary": 1, "standby": 2}
NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


def state_base() -> Path:
    """Return the directory that holds one state dir per instance."""
    return Path(os.environ.get("CSDESK_LAB_STATE", "/var/lib/csdesk-lab"))


def cache_base() -> Path:
    """Return the directory that holds the cached sid root."""
    return Path(os.environ.get("CSDESK_LAB_CACHE", "/var/cache/csdesk-lab"))


def native_asterisk() -> str | None:
    """Return the path of a native asterisk binary, or None (CSDESK_LAB_FORCE_ROOT=1 ignores it)."""
    if os.environ.get("CSDESK_LAB_FORCE_ROOT") == "1":
        return None
    return shutil.which("asterisk")


@dataclass(frozen=True)
class Instance:
    """One Asterisk of the lab, with everything derived from its name and host index."""

    name: str
    index: int  # the N of 127.0.0.N
    root: Path | None  # the sid root it runs in, or None for a native asterisk

    @property
    def host(self) -> str:
        return f"127.0.0.{self.index}"

    @property
    def rtp_range(self) -> tuple[int, int]:
        start = RTP_FIRST + (self.index - 1) * RTP_BLOCK
        return start, start + RTP_BLOCK - 1

    @property
    def state_dir(self) -> Path:
        return state_base() / self.name

    @property
    def info_path(self) -> Path:
        return self.state_dir / "lab.json"

    def ast_dir(self, kind: str) -> str:
        """Return a directory as Asterisk sees it (inside the root, or under the state dir natively)."""
        if self.root is None:
            return str(self.state_dir / "asterisk" / kind)
        inside = {
            "etc": f"/etc/asterisk-{self.name}",
            # Not /var/run: in the sid root that is an absolute symlink to /run, which on this machine
            # would lead out of the root into the host's own /run.
            "run": f"/run/asterisk-{self.name}",
            "spool": f"/var/spool/asterisk-{self.name}",
            "lib": f"/var/lib/asterisk-{self.name}",
            "log": f"/var/log/asterisk-{self.name}",
        }
        return inside[kind]

    def host_path(self, ast_path: str) -> Path:
        """Map a path as Asterisk sees it to the same file as this machine sees it."""
        if self.root is None:
            return Path(ast_path)
        path = self.root / ast_path.lstrip("/")
        root = self.root.resolve()
        real = path.resolve()
        if real != root and root not in real.parents:
            raise SystemExit(f"lab: {ast_path} in the root leads out of it to {real} (an absolute symlink?)")
        return path

    @property
    def conf_file(self) -> str:
        return f"{self.ast_dir('etc')}/asterisk.conf"


def _used_indexes() -> dict[int, str]:
    used: dict[int, str] = {}
    base = state_base()
    if not base.is_dir():
        return used
    for info in base.glob("*/lab.json"):
        try:
            data = json.loads(info.read_text())
            used[int(data["index"])] = str(data["instance"])
        except (OSError, ValueError, KeyError):
            continue
    return used


def _address_in_use(host: str) -> bool:
    """Return True if something (e.g. an instance of another state base) holds the lab's AMI port there."""
    try:
        with socket.create_connection((host, AMI_PORT), timeout=0.5):
            return True
    except OSError:
        return False


def index_for(name: str) -> int:
    """Return the host index for an instance name, allocating a free one for a new name."""
    if not NAME_RE.match(name):
        raise SystemExit(f"lab: bad instance name {name!r} (lowercase letters, digits, '-')")
    if name in KNOWN_HOSTS:
        return KNOWN_HOSTS[name]
    used = _used_indexes()
    for idx, owner in used.items():
        if owner == name:
            return idx
    for idx in range(10, 40):
        if idx not in used and not _address_in_use(f"127.0.0.{idx}"):
            return idx
    raise SystemExit("lab: no free loopback address left for another instance")


def known_instances() -> list[str]:
    """Return the names of all instances that have a state dir."""
    base = state_base()
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob("*/lab.json"))
