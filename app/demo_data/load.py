"""Write generated rows fast: executemany on SQLite, COPY on PostgreSQL. Ids are assigned here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, text

Row = tuple[Any, ...]


def write(conn: Connection, table: Table, columns: Sequence[str], rows: list[Row]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` in the connection's transaction."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        cols = ", ".join(columns)
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})",
                         [tuple(_sqlite(v) for v in row) for row in rows])


def _sqlite(v: Any) -> Any:
    """Store values the way SQLAlchemy's SQLite types read them back."""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    return v


def next_id(conn: Connection, table: str, column: str = "id") -> int:
    return int(conn.execute(text(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")).scalar_one()) + 1


def fix_sequences(conn: Connection, tables: Sequence[str]) -> None:
    """After explicit ids on PostgreSQL, move each serial sequence past the highest id."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT MAX(id) FROM {t}), 1))"
        ))
