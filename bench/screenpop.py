"""Screen-pop lookup latency at scale, on SQLite and on PostgreSQL (not a test).

``python -m bench.screenpop [--customers N] [--lookups K] [--db sqlite,pg] [--out rows.json] [--quick]``

Builds (once, then reuses) a demo database of N customers (about 3N policies) per backend, then times
K screen pops through the real service: 80% by caller number in varied formats, 15% by IVR policy
number, 5% unknown callers. Each pop opens a session, runs the bounded queries, writes its audit row
and commits, exactly as the desk does. Prints p50/p95/p99 and writes rows for ``bench/run.py``.
Measured warm, as a centre's server runs: first the pop's tables and indexes are read into memory (pg_prewarm into
shared_buffers on PostgreSQL, which scripts/pg.sh sizes to the machine; the file into the OS cache on SQLite), then
the first 10% of lookups are untimed. The row's note says what was warmed.
Target: p99 < 5 ms. PostgreSQL comes from $CSDESK_BENCH_PG_URL (scripts/bench.sh) or scripts/pg.sh url.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from app.actor import Actor
from app.db import make_engine, make_session_factory, upgrade_to_head
from app.demo_data import DEFAULT_SEED, generate
from app.demo_data.people import mobile_of
from app.demo_data.policies import policy_lines, policy_number
from app.models import Customer
from app.screenpop import screen_pop
from bench.common import Row, emit, pg_database

STATE = Path(os.environ.get("CSDESK_BENCH_STATE", "/var/tmp/csdesk-bench"))
TARGET_MS = 5.0


def _progress(done: int, total: int, seconds: float) -> None:
    print(f"\r  generating: {done:>9,}/{total:,} customers {seconds:6.1f} s", end="" if done < total else "\n",
          flush=True)


def open_db(kind: str, customers: int, seed: int) -> Engine:
    """Return an engine on a bench database holding exactly ``customers`` demo customers (made once)."""
    if kind == "sqlite":
        STATE.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{STATE / f'screenpop-{customers}-{seed}.db'}"
    else:
        url = pg_database(f"csdesk_bench_{customers}_{seed}")
    engine = make_engine(url)
    upgrade_to_head(engine)
    with engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(Customer)).scalar_one()
    if have not in (0, customers):
        raise SystemExit(f"{url.split('@')[-1]} holds {have} customers, not {customers}; remove it and rerun")
    if have == 0:
        print(f"  {kind}: generating {customers:,} customers (once; reused by later runs)", flush=True)
        rep = generate(engine, customers=customers, seed=seed, first=0, progress=_progress)
        print(f"  {kind}: {rep.customers:,} customers, {rep.policies:,} policies in {rep.seconds:.0f} s", flush=True)
    return engine


# The tables a screen pop reads (app/screenpop.py) and the audit head it updates; warmed with all their indexes.
POP_TABLES = ("customer", "customer_phone", "policy", "vehicle", "claim", "transfer_order", "outbound_task", "contact",
              "audit_head")


def warm(engine: Engine) -> str:
    """Bring the pop's data into memory before measuring, as on a centre's server that has been running (its
    working set is in memory); return what was done, for the row's note. PostgreSQL: pg_prewarm of the pop's tables
    and every index on them into shared_buffers. SQLite: the database file read once into the OS cache."""
    if engine.dialect.name == "sqlite":
        path = Path(str(engine.url.database))
        with path.open("rb") as f:
            while f.read(1 << 20):
                pass
        return f"warm: the {path.stat().st_size / 2**20:,.0f} MB file read once into the OS cache"
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
        rels = list(POP_TABLES) + list(conn.execute(text(
            "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid::regclass::text = ANY(:t)"),
            {"t": list(POP_TABLES)}).scalars())
        blocks = sum(conn.execute(text("SELECT pg_prewarm(CAST(:r AS regclass))"), {"r": r}).scalar_one() for r in rels)
        conn.commit()
        buffers = conn.execute(text("SHOW shared_buffers")).scalar_one()
    return (f"warm: pg_prewarm of {len(POP_TABLES)} tables and {len(rels) - len(POP_TABLES)} indexes "
            f"({blocks * 8 / 1024:,.0f} MB) into shared_buffers {buffers}")


def lookups(customers: int, seed: int, k: int) -> list[tuple[str | None, str | None]]:
    """Return K (caller_number, policy_number) pairs: known callers in varied formats, IVR numbers, strangers."""
    r = random.Random(seed + k)
    out: list[tuple[str | None, str | None]] = []
    for _ in range(k):
        i = r.randrange(customers)
        roll = r.random()
        if roll < 0.80:
            m = mobile_of(seed, i)
            out.append((r.choice((m, "+86" + m, "0086" + m, "0" + m)), None))
        elif roll < 0.95:
            lines = policy_lines(seed, i)
            n = r.randrange(len(lines))
            out.append((None, policy_number(lines[n], i, n)))
        else:
            out.append((f"1700000{r.randrange(10**4):04d}", None))
    return out


def measure(engine: Engine, pairs: list[tuple[str | None, str | None]], *, warmup: int) -> tuple[list[float], int]:
    """Time each screen pop in ms; return the samples and how many found a customer."""
    sessions = make_session_factory(engine)
    actor = Actor(agent_id="1001", desk_id="bench", profile="remote", role="csr")
    samples: list[float] = []
    found = 0
    for n, (caller, policy) in enumerate(pairs):
        t0 = time.perf_counter()
        with sessions() as s:
            pop = screen_pop(s, caller_number=caller, policy_number=policy, actor=actor)
        dt = (time.perf_counter() - t0) * 1000
        if n >= warmup:
            samples.append(dt)
            found += pop.found
    return samples, found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help=f"JSON rows (default {STATE}/screenpop-N.json)")
    ap.add_argument("--quick", action="store_true", help="20,000 customers and 1,000 lookups")
    ap.add_argument("--customers", type=int, default=None, help="scale (default 1,000,000; --quick 20,000)")
    ap.add_argument("--lookups", type=int, default=None, help="timed lookups per backend (default 5,000)")
    ap.add_argument("--db", default="sqlite,pg", help="backends to measure, comma-separated")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args()
    customers = args.customers or (20_000 if args.quick else 1_000_000)
    k = args.lookups or (1_000 if args.quick else 5_000)
    warmup = max(100, k // 10)
    rows: list[Row] = []
    for kind in args.db.split(","):
        engine = open_db(kind, customers, args.seed)
        warmed = warm(engine)
        print(f"  {kind}: {warmed}", flush=True)
        samples, found = measure(engine, lookups(customers, args.seed, k + warmup), warmup=warmup)
        engine.dispose()
        row = Row(key=f"screenpop_{kind}", figure=f"Screen-pop lookup alone, {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}",
                  unit="ms", target_text=f"p99 < {TARGET_MS:g} ms")
        row.latency(samples).check("<", TARGET_MS)
        row.note = (f"{customers:,} customers; {found}/{len(samples)} found; includes the audit write and commit; "
                    + warmed)
        row.extra = {"customers": customers, "lookups": len(samples), "max_ms": max(samples)}
        rows.append(row)
    print(f"\n{'backend':<12}{'customers':>12}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}  target")
    for r in rows:
        print(f"{r.key.removeprefix('screenpop_'):<12}{r.extra['customers']:>12,}{r.n:>7}{r.p50:>9.2f}{r.p95:>9.2f}"
              f"{r.p99:>9.2f}{r.extra['max_ms']:>9.2f}  {r.target_text} {'PASS' if r.passed else 'FAIL'}")
    out = args.out or STATE / f"screenpop-{customers}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    emit(rows, out)
    print(f"rows written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
