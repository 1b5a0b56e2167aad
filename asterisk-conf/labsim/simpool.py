"""Run the simulator as several processes: the pjsua2 wheel allows only 4 calls per process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections import Counter


def _share(total: int, n: int, i: int) -> int:
    if total <= 0:
        return total
    return total // n + (1 if i < total % n else 0)


def run_pool(argv: list[str], workers: int, interval: float, calls: int, seed: int) -> int:
    """Start ``workers`` simulator processes sharing the rate and the calls; relay output; sum summaries."""
    procs: list[subprocess.Popen[str]] = []
    for i in range(workers):
        extra = ["--workers", "1", "--seed", str(seed + i), "--rate", f"1/{interval * workers:g}s",
                 "--calls", str(_share(calls, workers, i))]
        if i > 0:
            extra.append("--no-answer-outbound")  # one process registers as the network side
        procs.append(subprocess.Popen([sys.executable, "-m", "labsim.sim", *argv, *extra],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    totals: Counter[str] = Counter()
    lock = threading.Lock()

    def relay(i: int, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("{"):
                with lock:
                    totals.update(json.loads(line))
            else:
                print(f"[w{i}] {line}", end="", flush=True)

    readers = [threading.Thread(target=relay, args=(i, p), daemon=True) for i, p in enumerate(procs)]
    for t in readers:
        t.start()

    def halt(signum: int, frame: object) -> None:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, halt)
    signal.signal(signal.SIGTERM, halt)
    codes = [p.wait() for p in procs]
    for t in readers:
        t.join(timeout=5)
    print(json.dumps(dict(sorted(totals.items())), sort_keys=True), flush=True)
    return max(codes)
