"""A desk whose database is at the newest revision starts without importing Alembic (it would hold about 24 MB of the
idle desk's memory); one that is behind, or empty, is still upgraded by Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from appkit import Db

from app.db import current_revision, head_revision, make_engine
from app.db.migrate import alembic_config, shipped_head

ROOT = Path(__file__).resolve().parents[2]


def test_the_files_name_the_same_head_as_alembic() -> None:
    assert shipped_head() == head_revision()


def _upgrade_in_a_fresh_process(url: str) -> tuple[str, bool]:
    code = ("import sys; from app.db import make_engine; from app.db.migrate import upgrade_to_head; "
            "rev = upgrade_to_head(make_engine(sys.stdin.read())); print(rev, 'alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], input=url, capture_output=True, text=True, cwd=ROOT, check=True)
    rev, loaded = out.stdout.split()
    return rev, loaded == "True"


def test_an_up_to_date_database_is_checked_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    assert _upgrade_in_a_fresh_process(url) == (head_revision(), True)  # empty: Alembic builds it
    assert _upgrade_in_a_fresh_process(url) == (head_revision(), False)  # at head: one query, no Alembic


def test_a_database_behind_is_still_upgraded(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    command.upgrade(alembic_config(engine), "0005")  # a desk installed before the newest migration
    assert current_revision(engine) == "0005" != head_revision()
    assert _upgrade_in_a_fresh_process(f"sqlite:///{tmp_path / 'desk.db'}") == (head_revision(), True)
    assert current_revision(engine) == head_revision()


def test_the_check_works_on_both_databases(db: Db) -> None:
    assert _upgrade_in_a_fresh_process(db.url) == (head_revision(), False)  # the URL goes on stdin, not argv
