"""PostgreSQL enforcement of S-8.1-remote: desk login roles, remote connections, the server-side reveal.

Migration 0005 creates the group roles, the masked views in schema ``remote`` and ``csdesk_reveal``.
This module makes login roles for desks (``python -m app.admin create-desk-login``), builds the
engine a desk connects with (a remote desk reads ``remote.*`` first, so the same SQL sees masked
values), and calls the reveal. On SQLite none of this exists: app/masking.py masks in the data layer."""

from __future__ import annotations

import re

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.actor import Actor, Profile, Role
from app.db import make_engine

REVEAL_LIMIT = 20  # reveals per agent (and per desk login) in REVEAL_WINDOW seconds; see migration 0005
REVEAL_WINDOW = 600
REMOTE_SEARCH_PATH = "remote,public"
GROUP_OF: dict[tuple[str, str], str] = {
    ("onsite", "csr"): "csdesk_onsite",
    ("onsite", "lead"): "csdesk_lead",
    ("remote", "csr"): "csdesk_remote",
    ("remote", "lead"): "csdesk_remote_lead",
}
_LOGIN = re.compile(r"^[a-z][a-z0-9_]{2,62}$")
_RESOLVES_TO = text("SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = to_regclass('customer')")
_REVEAL = text("SELECT csdesk_reveal(:t, :c, :id, :reason, :agent)")


class RevealRefused(Exception):
    """The server refused a reveal (rate limit, role, unknown field or record)."""


def group_for(profile: Profile, role: Role) -> str:
    """Return the group role a desk of this profile and role logs in under."""
    return GROUP_OF[(profile, role)]


def desk_url(url: str, profile: Profile) -> str:
    """Return ``url`` with the search path a desk of ``profile`` needs (remote: masked views first)."""
    parsed = make_url(url)
    if profile == "remote" and parsed.get_backend_name() == "postgresql":
        parsed = parsed.update_query_dict({"options": f"-csearch_path={REMOTE_SEARCH_PATH}"})
    return parsed.render_as_string(hide_password=False)


def desk_engine(url: str, profile: Profile) -> Engine:
    """Return the engine a desk of ``profile`` uses."""
    return make_engine(desk_url(url, profile))


def create_desk_login(admin: Engine, *, login: str, password: str, profile: Profile, role: Role) -> None:
    """Create (or reset) a login role for one desk in its group; a remote login reads masked views first.

    The password goes to the server in the statement only (never logged by csdesk); ``admin`` needs
    CREATEROLE."""
    if not _LOGIN.match(login):
        raise ValueError("a desk login is 3-63 characters: lowercase letters, digits and _, starting with a letter")
    if len(password) < 12:
        raise ValueError("a desk login password needs at least 12 characters")
    from psycopg import sql  # psycopg composes the literal; CREATE ROLE takes no bind parameters

    group = group_for(profile, role)
    with admin.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,))
            verb = "ALTER" if cur.fetchone() else "CREATE"
            cur.execute(sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                sql.Identifier(login), sql.Literal(password)))
            for other in GROUP_OF.values():
                if other != group:
                    cur.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), sql.Identifier(login)))
            cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login)))
            if profile == "remote":
                cur.execute(sql.SQL("ALTER ROLE {} SET search_path = remote, public").format(sql.Identifier(login)))
            else:
                cur.execute(sql.SQL("ALTER ROLE {} RESET search_path").format(sql.Identifier(login)))
        raw.commit()


def drop_desk_login(admin: Engine, *, login: str) -> None:
    """Remove a desk's login role (its sessions end when they next reconnect)."""
    from psycopg import sql

    with admin.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))
        raw.commit()


def reads_masked(session: Session) -> bool:
    """Return whether this session's connection reads personal tables through the masked views (a remote
    desk's login on PostgreSQL); then identity checks and reveals must be done by the server."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    conn = session.connection()
    if "csdesk_masked" not in conn.info:
        conn.info["csdesk_masked"] = conn.scalar(_RESOLVES_TO) == "remote"
    return bool(conn.info["csdesk_masked"])


def reveal(session: Session, *, actor: Actor, table: str, column: str, record_id: int, reason: str) -> str | None:
    """Return one clear value through the server's audited, rate-limited ``csdesk_reveal``."""
    from sqlalchemy.exc import DBAPIError

    try:
        value = session.execute(_REVEAL, {"t": table, "c": column, "id": record_id, "reason": reason,
                                          "agent": actor.agent_id}).scalar_one()
    except DBAPIError as exc:
        session.rollback()
        raise RevealRefused(str(exc.orig).splitlines()[0] if exc.orig else "refused") from None
    session.commit()
    return None if value is None else str(value)
