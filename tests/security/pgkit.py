"""A fresh PostgreSQL database per test module, migrated and seeded with demo data, and desk logins in it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from app.actor import Profile, Role
from app.db import make_engine
from app.demo_data.__main__ import main as demo_main
from app.pgsecurity import create_desk_login, desk_url, drop_desk_login

DEMO_PASSWORD = "pg-sec-test-2468"  # test-only password of the seeded demo agents


@dataclass
class PgDb:
    """One database: the superuser URL and engine, and the desk logins made in it (dropped at the end)."""

    url: str
    admin: Engine
    logins: list[str] = field(default_factory=list)

    def login(self, profile: Profile, role: Role) -> str:
        """Create a desk login in the group for ``profile``/``role``; return the desk's database URL."""
        name = f"desk_{profile}_{role}_{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(18)
        create_desk_login(self.admin, login=name, password=password, profile=profile, role=role)
        self.logins.append(name)
        return make_url(self.url).set(username=name, password=password).render_as_string(hide_password=False)

    def desk_engine(self, profile: Profile, role: Role) -> Engine:
        return make_engine(desk_url(self.login(profile, role), profile))


def fresh_pg_db(pg_url: str, *, customers: int = 30) -> Iterator[PgDb]:
    """Yield a new database made for one test module; drop it and its desk logins afterwards."""
    name = f"csdesk_sec_{secrets.token_hex(5)}"
    server = make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    assert demo_main(["--db", url, "--customers", str(customers), "--password", DEMO_PASSWORD]) == 0
    db = PgDb(url=url, admin=make_engine(url))
    try:
        yield db
    finally:
        db.admin.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for login in db.logins:
            drop_desk_login(server, login=login)
        server.dispose()
