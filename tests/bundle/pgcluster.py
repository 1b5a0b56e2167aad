"""A throwaway PostgreSQL cluster of a test's own, so a test can take *its* database down (``pg_ctl stop -m
immediate``, as a crash would) without touching the shared test server (scripts/pg.sh) other tests use.

Debian's postgresql binaries, a data directory in a temporary directory, 127.0.0.1 on a free port, a
generated superuser password (scram), stopped and deleted at the end."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def available() -> bool:
    return _bin() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, root: Path, port: int, password: str) -> None:
        self.root = root
        self.data = root / "data"
        self.port = port
        self.password = password
        self.bin = _bin()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

    def _as_pg(self, *argv: str) -> subprocess.CompletedProcess[str]:
        cmd = list(argv)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        assert self.bin is not None
        out = self._as_pg(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                          "-t", "60", "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} "
                          f"-c unix_socket_directories={self.root} -c fsync=off -c max_connections=50", "start")
        if out.returncode != 0:
            raise RuntimeError(f"throwaway PostgreSQL did not start: {out.stdout}{out.stderr}"
                               f"{(self.root / 'server.log').read_text(errors='replace')[-2000:]}")

    def crash(self) -> None:
        """Stop the server the hard way (``-m immediate``): clients see their connections die."""
        assert self.bin is not None
        out = self._as_pg(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        if out.returncode != 0:
            raise RuntimeError(f"throwaway PostgreSQL did not stop: {out.stdout}{out.stderr}")

    def running(self) -> bool:
        assert self.bin is not None
        return self._as_pg(str(self.bin / "pg_ctl"), "-D", str(self.data), "status").returncode == 0


@contextmanager
def cluster() -> Iterator[Cluster]:
    """initdb a new cluster, start it, yield it; stop it and delete its files at the end."""
    binary = _bin()
    if binary is None:
        raise RuntimeError("Debian's postgresql is not installed (scripts/setup.sh)")
    root = Path(tempfile.mkdtemp(prefix="csdesk-pg-"))
    password = secrets.token_urlsafe(18)
    pwfile = root / "pw"
    pwfile.write_text(password)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(pwfile, "postgres")
    os.chmod(pwfile, 0o600)
    c = Cluster(root, _free_port(), password)
    out = c._as_pg(str(binary / "initdb"), "-D", str(c.data), "-U", "postgres", "--auth-local=peer",
                   "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8")
    pwfile.unlink()
    if out.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {out.stdout}{out.stderr}")
    try:
        c.start()
        yield c
    finally:
        if c.running():
            c._as_pg(str(binary / "pg_ctl"), "-D", str(c.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
