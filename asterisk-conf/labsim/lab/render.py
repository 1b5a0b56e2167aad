"""Render the committed config templates into an instance's Asterisk config dir (stdlib only)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from . import instance as ins
from .secrets import DESKS, LEADS, write_private

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PLAIN = ["asterisk.conf", "modules.conf", "logger.conf", "features.conf", "musiconhold.conf", "rtp.conf",
         "confbridge.conf", "queues.conf", "extensions.conf", "cdr.conf", "cel.conf", "acl.conf", "udptl.conf",
         "pjproject.conf", "ccss.conf", "indications.conf", "queuerules.conf"]
SECRET_FILES = ["pjsip.conf", "manager.conf"]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace every @@KEY@@ with its value; refuse to leave one unfilled."""
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        start = text.index("@@")
        raise SystemExit(f"lab: unfilled placeholder near {text[start:start + 40]!r}")
    return text


def _template(name: str) -> str:
    return (TEMPLATES / name).read_text()


def _endpoints(sip: dict[str, str]) -> str:
    out: list[str] = []
    block = _template("pjsip-endpoint.conf")

    def add(ident: str, ext: str, role: str, label: str, context: str, extra: str, password: str) -> None:
        callerid = f'callerid = "{label}" <{ext}>' if label else "; caller ID: whatever the From header says"
        out.append(fill(block, {"ID": ident, "ROLE": role, "CALLERID": callerid, "CONTEXT": context,
                                "EXTRA": extra, "PASSWORD": password}))

    for ext in DESKS:
        add(ext, ext, "CSR", f"CSR {ext}", "from-agents", "", sip[ext])
    for ext in LEADS:
        add(ext, ext, "team lead", f"Lead {ext}", "from-leads", "", sip[ext])
    remote = "transport = transport-tls\nmedia_encryption = sdes\nmedia_encryption_optimistic = no\n"
    for ext in DESKS:
        add(f"r{ext}", ext, "remote CSR over TLS, SRTP required", f"CSR {ext}", "from-agents", remote, sip[ext])
    info = "dtmf_mode = info\n"  # no telephone-event in its SDP: a softphone must fall back to SIP INFO
    for ext in DESKS:
        add(f"i{ext}", ext, "CSR whose DTMF is SIP INFO only (engine tests)", f"CSR {ext}", "from-agents", info,
            sip[ext])
    for ext in DESKS:  # the desks' service calls: only [csd-service], which changes PJSIP/<ext>'s own membership
        for desk in (ext, f"r{ext}"):
            add(f"svc{desk}", ext, f"{desk}'s service calls for its own queue membership (cti.membership)",
                f"CSR {ext}", "csd-service", "", sip[ext])
    pstn = "identify_by = username,auth_username\n"
    add("pstn", "pstn", "customer simulator (stands in for the public network)", "", "from-pstn", pstn,
        sip["pstn"])
    return "\n".join(out)


def _users(ami: dict[str, str]) -> str:
    parts = [fill(_template("manager-desk.conf"), {"EXT": e, "SECRET": ami[f"desk{e}"]}) for e in DESKS]
    parts += [fill(_template("manager-lead.conf"), {"EXT": e, "SECRET": ami[f"lead{e}"]}) for e in LEADS]
    parts.append(fill(_template("manager-simulator.conf"), {"SECRET": ami["simulator"]}))
    parts.append(fill(_template("manager-admin.conf"), {"SECRET": ami["admin"]}))
    return "\n".join(parts)


def base_values(inst: ins.Instance, moddir: str, datadir: str) -> dict[str, str]:
    """Return the placeholder values every template may use."""
    rtp_start, rtp_end = inst.rtp_range
    return {
        "INSTANCE": inst.name, "HOST": inst.host,
        "SIP_PORT": str(ins.SIP_PORT), "SIP_TLS_PORT": str(ins.SIP_TLS_PORT),
        "AMI_PORT": str(ins.AMI_PORT), "AMI_TLS_PORT": str(ins.AMI_TLS_PORT),
        "RTP_START": str(rtp_start), "RTP_END": str(rtp_end),
        "ETC": inst.ast_dir("etc"), "RUN": inst.ast_dir("run"), "SPOOL": inst.ast_dir("spool"),
        "LIB": inst.ast_dir("lib"), "LOG": inst.ast_dir("log"), "MODDIR": moddir, "DATADIR": datadir,
    }


def render(inst: ins.Instance, secrets: dict[str, Any], tls_dir: Path, moddir: str, datadir: str) -> None:
    """Write every config file, the TLS files and the directories Asterisk needs."""
    values = base_values(inst, moddir, datadir)
    etc = inst.host_path(inst.ast_dir("etc"))
    etc.mkdir(parents=True, exist_ok=True)
    os.chmod(etc, 0o700)
    for kind in ("run", "spool", "lib", "log"):
        path = inst.host_path(inst.ast_dir(kind))
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # recordings and queue_log hold callers' voices and numbers
    inst.host_path(inst.ast_dir("spool") + "/monitor").mkdir(parents=True, exist_ok=True)
    inst.host_path(inst.ast_dir("lib") + "/cache").mkdir(parents=True, exist_ok=True)
    inst.host_path(inst.ast_dir("lib") + "/keys").mkdir(parents=True, exist_ok=True)
    for name in PLAIN:
        (etc / name).write_text(fill(_template(name), values))
    pjsip = fill(_template("pjsip.conf"), {**values, "ENDPOINTS": _endpoints(secrets["sip_passwords"])})
    write_private(etc / "pjsip.conf", pjsip)
    manager = fill(_template("manager.conf"), {**values, "USERS": _users(secrets["ami_users"])})
    write_private(etc / "manager.conf", manager)
    keys = etc / "keys"
    keys.mkdir(exist_ok=True)
    os.chmod(keys, 0o700)
    for name in ("ca.crt", "server.crt", "server.key"):
        shutil.copyfile(tls_dir / name, keys / name)
        os.chmod(keys / name, 0o600)
