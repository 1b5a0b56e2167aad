"""Start a private Xvfb display (and a D-Bus session address) for benchmarks and the demo tour."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def xvfb(display: int = 97, size: str = "1366x768x24") -> Iterator[dict[str, str]]:
    """Run Xvfb on ``:display``; yield an environment that points at it (with its own runtime dir)."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed (scripts/setup.sh installs xvfb)")
    lock = f"/tmp/.X{display}-lock"
    if os.path.exists(lock):
        os.unlink(lock)
    proc = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", size, "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb")
    env.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode == 0:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("Xvfb did not start")
        yield env
    finally:
        proc.terminate()
        proc.wait(timeout=10)
