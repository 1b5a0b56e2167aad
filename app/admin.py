"""The administrator's CLI: disable or enable an agent account centrally (S-9.3.3), and make or drop
PostgreSQL login roles for desks (S-8.1-remote).

    python -m app.admin disable-agent 1001 [--db URL]
    python -m app.admin enable-agent 1001 [--db URL]
    python -m app.admin create-desk-login desk_r07 --profile remote --role csr [--db URL] [--password-stdin]
    python -m app.admin drop-desk-login desk_r07 [--db URL]

The database URL comes from --db or $CSDESK_DB_URL (the environment keeps a password out of the
process list). A desk login's password is read from stdin or asked for; it is never stored by csdesk."""

from __future__ import annotations

import argparse
import getpass
import os
import platform
import sys

from sqlalchemy.orm import Session

from app.accountwatch import ACCOUNT_CHECK_SECONDS
from app.actor import Actor
from app.db import make_engine
from app.errors import NotFound
from app.services.agents import set_agent_disabled


def _admin_actor() -> Actor:
    return Actor(agent_id="admin", desk_id=f"admin-cli@{platform.node() or 'host'}"[:64])


def set_disabled(url: str, agent_id: str, *, disabled: bool) -> None:
    """Disable or enable one agent account (audited); a signed-in desk of a disabled agent signs out."""
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            set_agent_disabled(s, actor=_admin_actor(), agent_id=agent_id, disabled=disabled)
            s.commit()
    finally:
        engine.dispose()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password for the desk login: ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("the passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    """Run the admin CLI; return the exit code."""
    ap = argparse.ArgumentParser(prog="python -m app.admin", description="csdesk administration.")
    ap.add_argument("--db", default=os.environ.get("CSDESK_DB_URL"), help="database URL (default $CSDESK_DB_URL)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("disable-agent", "enable-agent"):
        p = sub.add_parser(name)
        p.add_argument("agent_id")
    p = sub.add_parser("create-desk-login", help="PostgreSQL: a login role for one desk in its profile's group")
    p.add_argument("login")
    p.add_argument("--profile", choices=("onsite", "remote"), required=True)
    p.add_argument("--role", choices=("csr", "lead"), default="csr")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p = sub.add_parser("drop-desk-login")
    p.add_argument("login")
    args = ap.parse_args(argv)
    if not args.db:
        ap.error("give --db URL or set CSDESK_DB_URL")
    try:
        if args.cmd in ("disable-agent", "enable-agent"):
            set_disabled(args.db, args.agent_id, disabled=args.cmd == "disable-agent")
            if args.cmd == "disable-agent":
                print(f"agent {args.agent_id} disabled: a signed-in desk signs out within "
                      f"{ACCOUNT_CHECK_SECONDS:.0f} s; sign-in is refused")
            else:
                print(f"agent {args.agent_id} enabled")
            return 0
        from app.pgsecurity import create_desk_login, drop_desk_login

        engine = make_engine(args.db)
        try:
            if engine.dialect.name != "postgresql":
                print("desk logins exist on PostgreSQL only", file=sys.stderr)
                return 2
            if args.cmd == "create-desk-login":
                create_desk_login(engine, login=args.login, password=_password(args.password_stdin),
                                  profile=args.profile, role=args.role)
                print(f"desk login {args.login} ready ({args.profile}, {args.role})")
            else:
                drop_desk_login(engine, login=args.login)
                print(f"desk login {args.login} dropped")
        finally:
            engine.dispose()
    except NotFound as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
