"""Shared fixtures. A test that needs a service asks ``need()``: outside the test command it skips with
the reason; inside it (CSDESK_REQUIRE_ALL=1, set by scripts/test.sh and so by CI) it fails instead,
because the test command installs and starts everything a test needs."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

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


_GC_THRESHOLD = gc.get_threshold()


def pytest_configure(config: pytest.Config) -> None:
    # As in the desk (ui/gcguard.py): no automatic cyclic collection, which could run on a database worker
    # thread and destroy a Qt object left in a cycle by an earlier test off the GUI thread (a segfault in
    # QTimerInfoList::activateTimers). Each test's garbage is collected on the main thread after it instead.
    gc.disable()


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread() -> Iterator[None]:
    yield
    c0, c1, c2 = gc.get_count()  # the collection the interpreter would have run (ui/gcguard.py does the same)
    if c0 > _GC_THRESHOLD[0]:
        gc.collect(2 if c2 > _GC_THRESHOLD[2] else 1 if c1 > _GC_THRESHOLD[1] else 0)
