"""CLI: ``python -m app.demo_data --db URL [--customers N] [--add] [--seed S] [--password P] [--state-dir DIR]``.

Running it again is safe: it only adds the customers that are missing (customer i is always the same)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.db import make_engine, make_session_factory, upgrade_to_head
from app.demo_data.agents import DEFAULT_STATE_DIR, demo_password, seed_agents
from app.demo_data.generate import DEFAULT_SEED, generate


def _progress(done: int, total: int, seconds: float) -> None:
    rate = done / seconds if seconds > 0 else 0.0
    print(f"\rdemo data: {done:>9,}/{total:,} customers ({100 * done // max(total, 1)}%) "
          f"{seconds:6.1f} s, {rate:,.0f}/s", end="" if done < total else "\n", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Upgrade the schema, seed the demo agents and add demo customers."""
    ap = argparse.ArgumentParser(prog="python -m app.demo_data", description=__doc__)
    ap.add_argument("--db", required=True, help="database URL, e.g. sqlite:///demo.db")
    ap.add_argument("--customers", type=int, default=200,
                    help="fill the database up to this many customers (default 200); with --add, add this many")
    ap.add_argument("--add", action="store_true", help="add --customers more instead of filling up to it")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--password", default=None, help="demo agents' password (else $CSDESK_DEMO_PASSWORD or a file)")
    ap.add_argument("--state-dir", type=Path,
                    default=Path(os.environ.get("CSDESK_STATE_DIR", str(DEFAULT_STATE_DIR))),
                    help="where a generated demo password is kept (0600)")
    args = ap.parse_args(argv)
    engine = make_engine(args.db)
    try:
        upgrade_to_head(engine)
        password, path = demo_password(given=args.password, state_dir=args.state_dir)
        with make_session_factory(engine)() as session:
            made = seed_agents(session, password=password)
        where = f"; password in {path}" if path else ""
        print(f"demo data: agents {', '.join(made) or 'already present'} (1001-1010 csr, 2001-2002 lead){where}",
              file=sys.stderr)
        with engine.connect() as conn:
            have = int(conn.exec_driver_sql("SELECT COUNT(*) FROM customer").scalar_one())
        if have >= args.customers and not args.add:
            print(f"demo data: the database already holds {have:,} customers; nothing to add")
            return 0
        todo = args.customers if args.add else args.customers - have
        rep = generate(engine, customers=todo, seed=args.seed, first=have, progress=_progress)
    finally:
        engine.dispose()
    print(f"demo data: added {rep.customers:,} customers, {rep.policies:,} policies, {rep.claims:,} claims, "
          f"{rep.outbound_tasks:,} outbound tasks, {rep.contacts:,} contacts in {rep.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
