"""Shared fixtures. A test that needs a service asks ``need()``: outside the test command it skips with
the reason; inside it (CSDESK_REQUIRE_ALL=1, set by scripts/test.sh and so by CI) it fails instead,
because the test command installs and starts everything a test needs."""

from __future__ import annotations

import os

import pytest

REQUIRE_ALL = os.environ.get("CSDESK_REQUIRE_ALL") == "1"


def need(ok: bool, why: str) -> None:
    """Skip (or, under the test command, fail) unless ``ok``; ``why`` names what is missing."""
    if ok:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required by the test command but missing: {why}", pytrace=False)
    pytest.skip(f"missing: {why} (run ./dev test to have it set up)")


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of the private PostgreSQL server (scripts/pg.sh) as superuser."""
    url = os.environ.get("CSDESK_TEST_PG_URL", "")
    need(bool(url), "PostgreSQL test server (scripts/pg.sh up; CSDESK_TEST_PG_URL)")
    return url
