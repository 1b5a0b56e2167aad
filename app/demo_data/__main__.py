"""CLI: ``python -m app.demo_data --db URL [--customers N] [--seed S] [--password P] [--state-dir DIR]``."""

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
    ap.add_argument("--customers", type=int, default=200, help="how many customers to add (default 200)")
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
        rep = generate(engine, customers=args.customers, seed=args.seed, progress=_progress)
    finally:
        engine.dispose()
    print(f"demo data: added {rep.customers:,} customers, {rep.policies:,} policies, {rep.claims:,} claims, "
          f"{rep.outbound_tasks:,} outbound tasks, {rep.contacts:,} contacts in {rep.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
