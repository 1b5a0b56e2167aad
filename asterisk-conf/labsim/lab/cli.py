"""The `lab` command: up, down, status, logs, cli, env (stdlib only)."""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import time
from typing import Any

from . import instance as ins
from . import proc, rootfs
from .lock import exclusive
from .render import render
from .secrets import ensure_tls, load_or_create, write_private


def _runtime(name: str) -> tuple[ins.Instance, str]:
    """Return the instance and the asterisk binary as it is called (inside the root if any)."""
    native = ins.native_asterisk()
    index = ins.index_for(name)
    if native:
        return ins.Instance(name, index, None), native
    return ins.Instance(name, index, rootfs.root_path()), "/usr/sbin/asterisk"


def _dirs(inst: ins.Instance) -> tuple[str, str]:
    """Return (module dir, data dir) as Asterisk sees them."""
    prefix = str(inst.root) if inst.root else ""
    mods = sorted(glob.glob(f"{prefix}/usr/lib/*/asterisk/modules/chan_pjsip.so"))
    mods += sorted(glob.glob(f"{prefix}/usr/lib/asterisk/modules/chan_pjsip.so"))
    if not mods:
        raise SystemExit("lab: cannot find Asterisk's modules (chan_pjsip.so)")
    moddir = os.path.dirname(mods[0])[len(prefix):]
    for data in ("/usr/share/asterisk", "/var/lib/asterisk"):
        if os.path.isdir(f"{prefix}{data}/sounds"):
            return moddir, data
    raise SystemExit("lab: cannot find Asterisk's sounds (install asterisk-core-sounds-en)")


def _info(inst: ins.Instance, secrets: dict[str, Any], pid: int | None, version: str) -> dict[str, Any]:
    rtp_start, rtp_end = inst.rtp_range
    return {
        "instance": inst.name, "index": inst.index, "mode": "chroot" if inst.root else "native",
        "root": str(inst.root) if inst.root else None, "host": inst.host,
        "ports": {"sip_udp": ins.SIP_PORT, "sip_tcp": ins.SIP_PORT, "sip_tls": ins.SIP_TLS_PORT,
                  "ami": ins.AMI_PORT, "ami_tls": ins.AMI_TLS_PORT},
        "rtp": {"start": rtp_start, "end": rtp_end},
        "ca_cert": str(inst.state_dir / "tls" / "ca.crt"),
        "monitor_dir": str(inst.host_path(inst.ast_dir("spool") + "/monitor")),
        "log_dir": str(inst.host_path(inst.ast_dir("log"))),
        "queue_log": str(inst.host_path(inst.ast_dir("log") + "/queue_log")),
        "asterisk_version": version, "pid": pid, "started_at": time.time() if pid else None,
        **secrets,
    }


def _save(inst: ins.Instance, data: dict[str, Any]) -> None:
    write_private(inst.info_path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _version(inst: ins.Instance, binary: str) -> str:
    argv = ["chroot", str(inst.root), binary, "-V"] if inst.root else [binary, "-V"]
    return subprocess.run(argv, capture_output=True, text=True, check=False).stdout.strip()


RESTART_FOR = {"modules.conf", "asterisk.conf", "rtp.conf", "logger.conf"}


def _keep_secrets(inst: ins.Instance, secrets: dict[str, Any]) -> None:
    """Write secrets just generated for a user added since the last `up` into lab.json, keeping the rest."""
    data = json.loads(inst.info_path.read_text()) if inst.info_path.exists() else {}
    if all(data.get(key) == value for key, value in secrets.items()):
        return
    data.update(secrets)
    _save(inst, data)


def _refresh(inst: ins.Instance, binary: str) -> set[str]:
    """Re-render a running instance's configs (e.g. after a pull); reload if they changed; return what changed."""
    etc = inst.host_path(inst.ast_dir("etc"))
    before = {p.name: p.read_bytes() for p in etc.glob("*.conf")}
    moddir, datadir = _dirs(inst)
    secrets = load_or_create(inst)
    _keep_secrets(inst, secrets)
    render(inst, secrets, ensure_tls(inst), moddir, datadir)
    after = {p.name: p.read_bytes() for p in etc.glob("*.conf")}
    changed = {n for n in after if before.get(n) != after[n]}
    if not changed:
        print(f"lab: instance {inst.name} is already up, configs unchanged")
    elif not changed & RESTART_FOR:
        subprocess.run(proc.command(inst, binary, "-rx", "core reload"), capture_output=True, check=False)
        print(f"lab: instance {inst.name} is already up; reloaded changed {', '.join(sorted(changed))}")
    return changed


def cmd_up(name: str) -> int:
    inst, binary = _runtime(name)
    inst.state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(inst.state_dir, 0o700)
    if proc.running_pid(inst) is not None:
        changed = _refresh(inst, binary)
        if not changed & RESTART_FOR:
            return cmd_status([name])
        print(f"lab: {', '.join(sorted(changed & RESTART_FOR))} changed: restarting {name}")
        cmd_down([name])
    if inst.root is not None:
        inst = ins.Instance(name, inst.index, rootfs.ensure_root())
        rootfs.mount_root(inst.root)
    secrets = load_or_create(inst)
    version = _version(inst, binary)
    _save(inst, _info(inst, secrets, None, version))
    tls = ensure_tls(inst)
    moddir, datadir = _dirs(inst)
    render(inst, secrets, tls, moddir, datadir)
    for stale in ("asterisk.ctl", "asterisk.pid"):
        inst.host_path(f"{inst.ast_dir('run')}/{stale}").unlink(missing_ok=True)
    taken = proc.busy_ports(inst.host, [ins.SIP_PORT, ins.SIP_TLS_PORT, ins.AMI_PORT, ins.AMI_TLS_PORT],
                            [ins.SIP_PORT])
    if taken:
        _release_root(inst)
        raise SystemExit(f"lab: {', '.join(taken)} on {inst.host} already in use by something else "
                         f"(see `ss -ltnup`); instance {name} not started")
    pid = proc.start(inst, binary)
    try:
        proc.wait_fully_booted(inst.host, ins.AMI_PORT, "admin", secrets["ami_users"]["admin"], pid)
    except SystemExit:
        proc.stop(inst, binary)
        _release_root(inst)
        raise
    _save(inst, _info(inst, secrets, pid, version))
    print(f"lab: {name} is up ({version}, {'in ' + str(inst.root) if inst.root else 'native'})")
    return cmd_status([name])


def _release_root(inst: ins.Instance) -> None:
    """Unmount the root unless a process (another instance, whatever its state dir) still runs in it."""
    if inst.root is None or not inst.root.exists():
        return
    busy = rootfs.processes_in(inst.root)
    if busy:
        print(f"lab: leaving {inst.root} mounted: still in use by pid {', '.join(map(str, busy))}")
        return
    rootfs.unmount_all(inst.root)


def cmd_down(names: list[str]) -> int:
    last: ins.Instance | None = None
    for name in names:
        inst, binary = _runtime(name)
        was = proc.running_pid(inst)
        proc.stop(inst, binary)
        if inst.info_path.exists():
            data = json.loads(inst.info_path.read_text())
            data.update(pid=None, started_at=None)
            _save(inst, data)
        print(f"lab: {name} is down" + ("" if was else " (it was not running)"))
        last = inst
    if last is not None:
        _release_root(last)
    return 0


def cmd_status(names: list[str]) -> int:
    rc = 0
    for name in names:
        inst, _ = _runtime(name)
        pid = proc.running_pid(inst)
        if pid is None:
            print(f"{name}: down")
            rc = 3
            continue
        lo, hi = inst.rtp_range
        ca = inst.state_dir / "tls" / "ca.crt"
        rows = [("SIP udp+tcp", ins.SIP_PORT, None), ("SIP tls", ins.SIP_TLS_PORT, ca),
                ("AMI", ins.AMI_PORT, None), ("AMI tls", ins.AMI_TLS_PORT, ca)]
        print(f"{name}: up, pid {pid}, state {inst.info_path}")
        for label, port, tls_ca in rows:
            ok = proc.tcp_listening(inst.host, port, tls_ca)
            if tls_ca is None and port == ins.SIP_PORT:
                ok = ok and proc.udp_bound(inst.host, port)
            print(f"  {label:12} {inst.host}:{port}  {'listening' if ok else 'NOT LISTENING'}")
            rc = rc if ok else 1
        print(f"  {'RTP':12} {inst.host}:{lo}-{hi}")
    return rc


def cmd_reload(name: str) -> int:
    inst, binary = _runtime(name)
    if proc.running_pid(inst) is None:
        print(f"lab: instance {name} is not up", file=sys.stderr)
        return 3
    secrets = load_or_create(inst)
    moddir, datadir = _dirs(inst)
    render(inst, secrets, ensure_tls(inst), moddir, datadir)
    rc = subprocess.call(proc.command(inst, binary, "-rx", "core reload"))
    print(f"lab: {name} re-rendered its configs and reloaded" if rc == 0 else "lab: reload failed")
    return rc


def cmd_purge(name: str) -> int:
    inst, _ = _runtime(name)
    if proc.running_pid(inst) is not None:
        print(f"lab: instance {name} is up; run `lab --instance {name} down` first", file=sys.stderr)
        return 3
    if inst.root is not None and inst.root.exists():
        for kind in ("etc", "run", "spool", "lib", "log"):
            shutil.rmtree(inst.host_path(inst.ast_dir(kind)), ignore_errors=True)
    shutil.rmtree(inst.state_dir, ignore_errors=True)
    print(f"lab: {name} purged (its secrets, CA, recordings and logs are gone)")
    return 0


def cmd_logs(name: str, lines: int, follow: bool) -> int:
    inst, _ = _runtime(name)
    files = [inst.state_dir / "asterisk.out", inst.host_path(inst.ast_dir("log") + "/messages.log")]
    files = [f for f in files if f.exists()]
    if not files:
        print(f"lab: no logs for {name} yet")
        return 0
    argv = ["tail", "-n", str(lines), *(["-F"] if follow else []), *map(str, files)]
    return subprocess.call(argv)


def cmd_cli(name: str, args: list[str]) -> int:
    inst, binary = _runtime(name)
    if proc.running_pid(inst) is None:
        print(f"lab: instance {name} is not up", file=sys.stderr)
        return 3
    if args:
        return subprocess.call(proc.command(inst, binary, "-rx", " ".join(args)))
    return subprocess.call(proc.command(inst, binary, "-r"))


def cmd_env(name: str) -> int:
    inst, _ = _runtime(name)
    print(f"export CSDESK_LAB_INFO={inst.info_path}")
    print(f"export CSDESK_LAB_INSTANCE={name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the lab command line."""
    p = argparse.ArgumentParser(prog="lab", description="The csdesk Asterisk contact-centre lab.")
    p.add_argument("--instance", default="primary", help="instance name (primary, standby, ...)")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("up", help="render configs, start Asterisk, wait for FullyBooted")
    sub.add_parser("reload", help="re-render the configs of a running instance and reload them")
    down = sub.add_parser("down", help="stop Asterisk and unmount what the lab mounted")
    down.add_argument("--all", action="store_true", help="stop every instance")
    st = sub.add_parser("status", help="show what listens where")
    st.add_argument("--all", action="store_true")
    lg = sub.add_parser("logs", help="show the instance's logs")
    lg.add_argument("-n", type=int, default=60)
    lg.add_argument("-f", "--follow", action="store_true")
    cl = sub.add_parser("cli", help="run an Asterisk CLI command (or an interactive CLI)")
    cl.add_argument("args", nargs=argparse.REMAINDER)
    sub.add_parser("env", help="print shell exports for this instance")
    sub.add_parser("purge", help="delete a stopped instance's state, secrets, recordings and logs")
    for sp in sub.choices.values():  # accept --instance after the command too
        sp.add_argument("--instance", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if os.geteuid() != 0 and a.cmd in ("up", "down"):
        print("lab: must run as root (chroot, mount)", file=sys.stderr)
        return 2
    if a.cmd == "up":
        with exclusive():
            return cmd_up(a.instance)
    if a.cmd == "down":
        with exclusive():
            return cmd_down(sorted(set(ins.known_instances()) | {a.instance}) if a.all else [a.instance])
    if a.cmd == "status":
        return cmd_status(ins.known_instances() if a.all else [a.instance])
    if a.cmd == "reload":
        with exclusive():
            return cmd_reload(a.instance)
    if a.cmd == "purge":
        with exclusive():
            return cmd_purge(a.instance)
    if a.cmd == "logs":
        return cmd_logs(a.instance, a.n, a.follow)
    if a.cmd == "cli":
        return cmd_cli(a.instance, a.args)
    return cmd_env(a.instance)


if __name__ == "__main__":
    sys.exit(main())
