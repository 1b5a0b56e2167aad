"""Helpers of the bundle smoke test: a private lab instance, a centre config pointing at it, processes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "asterisk-conf" / "lab"


@contextmanager
def lab_instance(name: str) -> Iterator[Any]:
    """Bring up lab instance ``name`` (its own loopback address, so no other test's call reaches it)."""
    from labsim.labinfo import load

    up = subprocess.run([str(LAB), "--instance", name, "up"], capture_output=True, text=True, timeout=600)
    if up.returncode != 0:
        raise RuntimeError(f"lab instance {name} did not come up:\n{(up.stdout + up.stderr)[-2000:]}")
    try:
        yield load(name)
    finally:
        subprocess.run([str(LAB), "--instance", name, "down"], capture_output=True, timeout=120)


def centre_config_for(lab: Any, source: Path, target: Path) -> Path:
    """Write ``source`` (a centre.toml) to ``target`` with its PBX list replaced by the lab instance alone."""
    text = source.read_text(encoding="utf-8")
    server = (f'servers = [\n  {{ host = "{lab.host}", ami_port = {lab.ami_port}, ami_tls_port = {lab.ami_tls_port}, '
              f'sip_port = {lab.sip_port}, sip_tls_port = {lab.sip_tls_port} }},\n]')
    new, n = re.subn(r"(?ms)^servers = \[.*?^\]", server, text)
    if n != 1:
        raise RuntimeError(f"expected one 'servers = [...]' block in {source}, found {n}")
    target.write_text(new, encoding="utf-8")
    return target


def audio_up() -> bool:
    if not shutil.which("pactl"):
        return False
    return subprocess.run(["pactl", "info"], capture_output=True, timeout=5).returncode == 0


def free_display() -> int:
    for n in range(90, 97):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display in :90-:96")


def _ppid(proc: Path) -> int:
    return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])


def children_running(parent: int, exe: Path) -> list[tuple[int, list[str]]]:
    """Return (pid, argv) of the processes whose parent is ``parent`` and whose executable is ``exe``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if _ppid(proc) != parent or Path(os.readlink(proc / "exe")) != exe:
                continue
            argv = [a.decode() for a in (proc / "cmdline").read_bytes().split(b"\0") if a]
        except (OSError, ValueError, IndexError):
            continue
        found.append((int(proc.name), argv))
    return found


def wait_for(cond: Callable[[], object], what: str, within: float,
             alive: subprocess.Popen[bytes] | None = None) -> None:
    """Poll ``cond`` until true; fail when ``alive`` exits first or after ``within`` seconds."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if cond():
            return
        if alive is not None and alive.poll() is not None:
            raise AssertionError(f"the bundle exited with {alive.returncode} before {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")


def own_lines(stderr: str) -> list[str]:
    """Return the desk's and the engine's own lines: not the DEBUG echo of AMI messages (PBX text)."""
    return [line for line in stderr.splitlines() if " DEBUG cti.ami." not in line]


def tail(stderr: str) -> str:
    return "\n".join(line[:300] for line in own_lines(stderr)[-60:])


def keep(run_dir: Path) -> None:
    """Copy the run's screenshots and stderr to out/bundle-smoke/ (kept after pytest prunes its tmp dirs)."""
    dest = ROOT / "out" / "bundle-smoke"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    if (run_dir / "desk.stderr").is_file():
        shutil.copy(run_dir / "desk.stderr", dest)
    if (run_dir / "shots").is_dir():
        shutil.copytree(run_dir / "shots", dest / "shots")
