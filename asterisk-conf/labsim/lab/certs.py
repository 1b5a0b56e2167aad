"""Make the lab CA and a server certificate for one instance with the openssl CLI (stdlib only)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def _run(args: list[str], cwd: Path) -> None:
    res = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"lab: openssl {args[0]} failed: {res.stderr.strip()[-400:]}")


def ensure_certs(tls_dir: Path, host: str, instance: str) -> dict[str, Path]:
    """Create (once) a lab CA and a server cert for ``host``; return their paths."""
    if shutil.which("openssl") is None:
        raise SystemExit("lab: openssl is missing (apt-get install openssl)")
    tls_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(tls_dir, 0o700)
    paths = {
        "ca_cert": tls_dir / "ca.crt",
        "ca_key": tls_dir / "ca.key",
        "server_cert": tls_dir / "server.crt",
        "server_key": tls_dir / "server.key",
    }
    if all(p.exists() for p in paths.values()):
        return paths
    for p in paths.values():
        p.unlink(missing_ok=True)
    _run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
          "-keyout", "ca.key", "-out", "ca.crt", "-subj", f"/O=csdesk lab/CN=csdesk lab CA {instance}",
          "-addext", "basicConstraints=critical,CA:TRUE",
          "-addext", "keyUsage=critical,keyCertSign,cRLSign"], tls_dir)
    _run(["req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", "server.key",
          "-out", "server.csr", "-subj", f"/O=csdesk lab/CN={host}"], tls_dir)
    ext = tls_dir / "server.ext"
    ext.write_text(
        f"subjectAltName=IP:{host},DNS:localhost\n"
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
    )
    _run(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-sha256", "-days", "825", "-out", "server.crt", "-extfile", "server.ext"], tls_dir)
    for name in ("server.csr", "server.ext", "ca.srl"):
        (tls_dir / name).unlink(missing_ok=True)
    for key in ("ca_key", "server_key"):
        os.chmod(paths[key], 0o600)
    return paths
