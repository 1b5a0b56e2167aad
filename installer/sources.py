"""Say whether the bundle is current, and build it when it is not.

``python installer/sources.py`` prints the digest of the files the bundle is built from; installer/build.sh
writes it into the bundle as ``BUNDLE-SOURCES``, and ``ensure_built()`` (the smoke test, the benchmark)
rebuilds when the two differ. Content, not mtimes: a fresh clone or a checkout that leaves the files as
they were does not force a rebuild; any edit does.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What goes into the bundle: the code, its data, the spec, and the locked-in dependency list.
INPUTS = ("app", "cti", "ui", "asterisk-conf/labsim", "resources", "installer", "pyproject.toml")
SUFFIXES = {".py", ".qss", ".toml", ".qm", ".mako", ".spec", ".sh", ".png", ".svg", ".ico"}
BUNDLE = ROOT / "dist" / "csdesk"
EXECUTABLE = BUNDLE / ("csdesk.exe" if os.name == "nt" else "csdesk")
STAMP = BUNDLE / "BUNDLE-SOURCES"
BUILD_TIMEOUT = 1200  # seconds; about 1-2 min on 2 cores with a warm page cache


def source_files(root: Path = ROOT) -> Iterator[Path]:
    """Yield the bundle's input files in a stable order."""
    for name in INPUTS:
        top = root / name
        if top.is_file():
            yield top
            continue
        for path in sorted(top.rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                yield path


def digest(root: Path = ROOT) -> str:
    """Return a SHA-256 over the relative paths and contents of the input files."""
    h = hashlib.sha256()
    for path in source_files(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def is_current() -> bool:
    """Say whether dist/csdesk exists and was built from the sources as they are now."""
    try:
        return EXECUTABLE.is_file() and STAMP.read_text(encoding="utf-8").strip() == digest()
    except OSError:
        return False


def ensure_built() -> float:
    """Build the bundle unless it is current; return the seconds the build took (0 when none was needed).

    Raises RuntimeError with the tail of the build log when the build fails.
    """
    if is_current():
        return 0.0
    t0 = time.monotonic()
    out = subprocess.run([str(ROOT / "installer" / "build.sh")], cwd=ROOT, capture_output=True, text=True,
                         timeout=BUILD_TIMEOUT, env=dict(os.environ, PY=sys.executable))
    if out.returncode != 0 or not EXECUTABLE.is_file():  # (sources edited during the build: stale next time)
        raise RuntimeError(f"bundle build failed (exit {out.returncode}):\n{(out.stdout + out.stderr)[-3000:]}")
    return time.monotonic() - t0


if __name__ == "__main__":
    print(digest())
    sys.exit(0)
