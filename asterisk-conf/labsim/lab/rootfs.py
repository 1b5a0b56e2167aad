"""Build, cache and mount the Debian-sid root that Asterisk runs in (stdlib only)."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .instance import cache_base

PACKAGES = "asterisk,asterisk-core-sounds-en,asterisk-moh-opsound-wav"
ROOT_NAME = "sid-root"
MOUNTS = ("proc",)


def root_path() -> Path:
    """Return the path of the cached root."""
    return cache_base() / ROOT_NAME


def debian_mirror(sources_dir: Path = Path("/etc/apt/sources.list.d"),
                  sources_list: Path = Path("/etc/apt/sources.list")) -> str:
    """Return the Debian mirror of this machine's own apt sources (never a hard-coded host)."""
    for path in sorted(glob.glob(str(sources_dir / "*.sources"))):
        text = Path(path).read_text(errors="replace")
        for block in re.split(r"\n\s*\n", text):
            uris = re.search(r"^URIs:\s*(\S+)", block, re.M)
            suites = re.search(r"^Suites:\s*(.+)$", block, re.M)
            if uris and not (suites and "security" in suites.group(1)):
                return uris.group(1)
    try:
        lines = sources_list.read_text(errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:
        m = re.match(r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)", line)
        if m and "security" not in m.group(2):
            return m.group(1)
    raise SystemExit(f"lab: no Debian mirror found in {sources_dir}/*.sources or {sources_list}")


def ensure_root() -> Path:
    """Return the cached root, building it with debootstrap first if there is none."""
    root = root_path()
    if (root / "usr/sbin/asterisk").exists():
        return root
    if shutil.which("debootstrap") is None:
        raise SystemExit("lab: no asterisk binary and no debootstrap (apt-get install debootstrap)")
    cache = cache_base()
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f"{ROOT_NAME}.building-{os.getpid()}"
    _remove_stale_builds(cache)
    mirror = debian_mirror()
    print(f"lab: building the sid root once (debootstrap, about a minute) into {root}", flush=True)
    t0 = time.monotonic()
    cmd = ["debootstrap", "--variant=minbase", f"--include={PACKAGES}", "sid", str(tmp), mirror]
    log = cache / "debootstrap.log"
    with log.open("w") as out:
        rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT)
    if rc != 0 or not (tmp / "usr/sbin/asterisk").exists():
        unmount_all(tmp)
        raise SystemExit(f"lab: debootstrap failed (exit {rc}); see {log}; partial tree left at {tmp}")
    unmount_all(tmp)
    tmp.rename(root)
    print(f"lab: sid root ready in {time.monotonic() - t0:.0f} s", flush=True)
    return root


def _remove_stale_builds(cache: Path) -> None:
    for old in cache.glob(f"{ROOT_NAME}.building-*"):
        pid = old.name.rsplit("-", 1)[-1]
        if pid.isdigit() and Path(f"/proc/{pid}").exists():
            continue
        if mounts_under(old):
            print(f"lab: leaving {old} alone: something is still mounted in it", file=sys.stderr)
            continue
        shutil.rmtree(old, ignore_errors=True)


def mounts_under(path: Path) -> list[str]:
    """Return the mount points at or below ``path``, deepest first."""
    prefix = str(path.resolve())
    points: list[str] = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = line.split()[4].replace("\\040", " ")
            if point == prefix or point.startswith(prefix + "/"):
                points.append(point)
    return sorted(points, key=len, reverse=True)


def mount_root(root: Path) -> None:
    """Mount what Asterisk needs inside the root (proc), once."""
    have = set(mounts_under(root))
    for name in MOUNTS:
        target = root / name
        if str(target.resolve()) in have:
            continue
        target.mkdir(exist_ok=True)
        subprocess.run(["mount", "-t", name, name, str(target)], check=True)


def processes_in(root: Path) -> list[int]:
    """Return the pids of processes whose root directory is ``root`` (e.g. any instance's Asterisk)."""
    target = str(root.resolve())
    pids: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.readlink(entry / "root") == target:
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def unmount_all(root: Path) -> None:
    """Unmount everything mounted under the root; fail loudly if something stays."""
    for point in mounts_under(root):
        if subprocess.call(["umount", point]) != 0:
            subprocess.call(["umount", "-l", point])
    left = mounts_under(root)
    if left:
        raise SystemExit(f"lab: could not unmount {left}")
