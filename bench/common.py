"""Shared bench helpers: percentiles, result rows, and writing rows for the runner to collect.

Benchmarks live apart from the tests. Each bench module measures, prints its figures, and writes its rows
(JSON) to the file named by ``--out``; ``bench/run.py`` runs them all and prints one table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def percentile(samples: Sequence[float], q: float) -> float:
    """Return the q-th percentile (0..100) by linear interpolation between closest ranks."""
    if not samples:
        raise ValueError("no samples")
    xs = sorted(samples)
    k = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] if lo == hi else xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


@dataclass
class Row:
    """One line of the bench table. ``target`` is e.g. ('p99', '<', 10.0) or ('ratio', '<=', 0.6)."""

    key: str
    figure: str
    unit: str
    target_text: str
    value: float | None = None  # the figure compared with the target (p99 for latencies)
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    n: int = 0
    spread: str = ""  # e.g. "stdev 0.4 ms over 5 runs"
    peer: str | None = None
    peer_value: float | None = None
    ratio: float | None = None
    passed: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def latency(self, samples: Sequence[float], *, compare: str = "p99") -> Row:
        """Fill n, p50/p95/p99 and the compared value from ``samples``."""
        self.n = len(samples)
        self.p50, self.p95, self.p99 = (percentile(samples, q) for q in (50, 95, 99))
        self.value = {"p50": self.p50, "p95": self.p95, "p99": self.p99}[compare]
        if len(samples) > 1:
            self.spread = f"stdev {statistics.stdev(samples):.3g} {self.unit}"
        return self

    def check(self, op: str, limit: float, *, on: str = "value") -> Row:
        """Set ``passed`` by comparing ``value`` (or ``ratio``) with ``limit``."""
        x = self.value if on == "value" else self.ratio
        if x is None:
            self.passed = None
        else:
            self.passed = {"<": x < limit, "<=": x <= limit, "==": x == limit}[op]
        return self


def bench_args(description: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--out", type=Path, help="write rows as JSON here (the runner collects them)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke run)")
    return p.parse_known_args()[0]


def emit(rows: Sequence[Row], out: Path | None) -> None:
    """Print the rows and write them to ``out`` for the runner."""
    for r in rows:
        print(f"  {r.figure}: value={r.value} p50={r.p50} p95={r.p95} p99={r.p99} n={r.n} "
              f"target {r.target_text} -> {'PASS' if r.passed else 'FAIL' if r.passed is False else '—'} {r.note}"
              + (f" [peer {r.peer}: {r.peer_value:.4g}, ratio {r.ratio:.3f}]" if r.peer and r.peer_value and r.ratio else ""))
    if out is not None:
        out.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")


def pg_url() -> str:
    """The bench PostgreSQL's admin URL: $CSDESK_BENCH_PG_URL (scripts/bench.sh), $CSDESK_TEST_PG_URL, else
    ``scripts/pg.sh url``. Raises CalledProcessError when no private PostgreSQL is set up."""
    url = os.environ.get("CSDESK_BENCH_PG_URL") or os.environ.get("CSDESK_TEST_PG_URL")
    if not url:
        url = subprocess.run([str(ROOT / "scripts/pg.sh"), "url"], capture_output=True, text=True,
                             check=True).stdout.strip()
    return url


def pg_database(name: str) -> str:
    """The URL of database ``name`` on the bench PostgreSQL, created empty if it is missing."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from app.db import make_engine

    admin_url = pg_url()
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)
