"""Start, watch and stop one Asterisk process of the lab (stdlib only)."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

from .instance import Instance


def command(inst: Instance, binary: str, *args: str) -> list[str]:
    """Return the argv that runs ``asterisk`` with the instance's config (inside the root if any)."""
    argv = [binary, "-C", inst.conf_file, *args]
    if inst.root is not None:
        return ["chroot", str(inst.root), *argv]
    return argv


def pid_file(inst: Instance) -> Path:
    return inst.state_dir / "asterisk.pid"


def running_pid(inst: Instance) -> int | None:
    """Return the pid of this instance's Asterisk if it runs, else None."""
    try:
        pid = int(pid_file(inst).read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    if inst.conf_file.encode() in cmdline and any(a.endswith(b"asterisk") for a in cmdline):
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        return None if state == "Z" else pid
    return None


def start(inst: Instance, binary: str) -> int:
    """Start Asterisk in the foreground mode as a detached child; return its pid."""
    log = inst.state_dir / "asterisk.out"
    with log.open("ab") as out, open(os.devnull, "rb") as devnull:
        proc = subprocess.Popen(command(inst, binary, "-f", "-n"), stdin=devnull, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
    pid_file(inst).write_text(f"{proc.pid}\n")
    return proc.pid


def stop(inst: Instance, binary: str, timeout: float = 20.0) -> None:
    """Stop Asterisk cleanly (core stop now), then by signal if it does not go."""
    pid = running_pid(inst)
    if pid is None:
        pid_file(inst).unlink(missing_ok=True)
        return
    subprocess.run(command(inst, binary, "-rx", "core stop now"), capture_output=True, timeout=15, check=False)
    if not _wait_gone(pid, timeout):
        os.kill(pid, signal.SIGTERM)
        if not _wait_gone(pid, 10):
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 5)
    pid_file(inst).unlink(missing_ok=True)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                return True
        except ChildProcessError:
            pass
        if not Path(f"/proc/{pid}").exists():
            return True
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def wait_fully_booted(host: str, port: int, user: str, secret: str, pid: int, timeout: float = 90.0) -> None:
    """Log in to AMI and wait for FullyBooted; raise SystemExit if Asterisk dies or it takes too long."""
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            raise SystemExit("lab: asterisk exited during start-up (see `lab logs`)")
        try:
            if _ami_booted(host, port, user, secret, deadline):
                return
            last_error = "login refused"
        except OSError as exc:
            last_error = str(exc)
        time.sleep(0.3)
    raise SystemExit(f"lab: asterisk did not report FullyBooted within {timeout:.0f} s ({last_error})")


def _ami_booted(host: str, port: int, user: str, secret: str, deadline: float) -> bool:
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.settimeout(max(1.0, deadline - time.monotonic()))
        sock.sendall(f"Action: Login\r\nUsername: {user}\r\nSecret: {secret}\r\nEvents: on\r\n\r\n".encode())
        buf = b""
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                return False
            buf += chunk
            if b"Authentication failed" in buf:
                return False
            if b"Event: FullyBooted" in buf:
                sock.sendall(b"Action: Logoff\r\n\r\n")
                return True
    return False


def tcp_listening(host: str, port: int, tls_ca: Path | None = None) -> bool:
    """Return True if something accepts TCP (and, given a CA, a verified TLS handshake) at host:port."""
    try:
        with socket.create_connection((host, port), timeout=2) as sock:
            if tls_ca is None:
                return True
            ctx = ssl.create_default_context(cafile=str(tls_ca))
            with ctx.wrap_socket(sock, server_hostname=host):
                return True
    except (OSError, ssl.SSLError):
        return False


def udp_bound(host: str, port: int) -> bool:
    """Return True if some socket already holds UDP host:port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((host, port))
        return False
    except OSError:
        return True
    finally:
        sock.close()


def busy_ports(host: str, tcp: list[int], udp: list[int]) -> list[str]:
    """Return 'proto/port' for each port on host that something else already uses."""
    taken = [f"tcp/{p}" for p in tcp if tcp_listening(host, p)]
    return taken + [f"udp/{p}" for p in udp if udp_bound(host, p)]
