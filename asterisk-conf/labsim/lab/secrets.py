"""Generate the lab's secrets and TLS files once per instance and keep them in its state dir (stdlib only)."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from .certs import ensure_certs
from .instance import Instance

DESKS = [str(n) for n in range(1001, 1011)]
LEADS = ["2001", "2002"]
SIM_ENDPOINT = "pstn"


def ami_users() -> list[str]:
    """Return every AMI user name the lab defines."""
    return [f"desk{d}" for d in DESKS] + [f"lead{d}" for d in LEADS] + ["simulator", "admin"]


def sip_endpoints() -> list[str]:
    """Return every SIP endpoint with a password of its own (remote r10NN share 10NN's)."""
    return DESKS + LEADS + [SIM_ENDPOINT]


def load_or_create(inst: Instance) -> dict[str, Any]:
    """Return the secrets kept in the instance's lab.json, generating any that are missing."""
    data: dict[str, Any] = {}
    if inst.info_path.exists():
        data = json.loads(inst.info_path.read_text())
    ami = dict(data.get("ami_users", {}))
    sip = dict(data.get("sip_passwords", {}))
    for user in ami_users():
        ami.setdefault(user, secrets.token_urlsafe(18))
    for ext in sip_endpoints():
        sip.setdefault(ext, secrets.token_urlsafe(18))
    return {"ami_users": ami, "sip_passwords": sip}


def write_private(path: Path, text: str) -> None:
    """Write ``text`` readable by the owner only (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def ensure_tls(inst: Instance) -> Path:
    """Create (once) the lab CA and the instance's server certificate; return their directory."""
    tls_dir = inst.state_dir / "tls"
    ensure_certs(tls_dir, inst.host, inst.name)
    return tls_dir
