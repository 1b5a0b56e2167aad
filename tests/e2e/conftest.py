"""Fixtures for desk-level tests against the real lab: a seeded database and a desk service with a real engine."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from labsim.labinfo import LabInfo, LabNotUp, load

from app.config import CentreConfig, load_config
from app.db.engine import make_engine, make_session_factory
from app.desk import Desk
from app.secrets import StaticCredentials
from app.worker import DbWorker
from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.events import Event
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-pass-2468"  # a test-only password for the seeded demo agents


@pytest.fixture(scope="session")
def lab() -> LabInfo:
    try:
        return load()
    except LabNotUp as exc:
        need(False, f"the Asterisk lab: {exc}")
        raise


@pytest.fixture(scope="session")
def centre() -> CentreConfig:
    return load_config(ROOT / "resources" / "centre.toml")


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database migrated to head with demo agents and 100 demo customers."""
    path = tmp_path_factory.mktemp("e2e") / "desk.db"
    url = f"sqlite:///{path}"
    out = subprocess.run([sys.executable, "-m", "app.demo_data", "--db", url, "--customers", "100",
                          "--password", PASSWORD], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return url


class Recorder:
    """Collect every event published on the bus, in order."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        bus.subscribe(Event, self.events.append)

    def of(self, name: str) -> list[Any]:
        return [e for e in self.events if e.name == name]


@pytest.fixture
def desk_parts(lab: LabInfo, centre: CentreConfig, seeded_db: str) -> Iterator[dict[str, Any]]:
    bus = EventBus()
    worker = DbWorker()
    engine = make_engine(seeded_db)
    parts = {
        "bus": bus, "worker": worker, "engine": engine, "recorder": Recorder(bus),
        "session_factory": make_session_factory(engine),
        "credentials": StaticCredentials(sip=lab.sip_passwords, ami=lab.ami_users),
    }
    yield parts
    worker.shutdown()
    engine.dispose()


@pytest.fixture
async def desk(desk_parts: dict[str, Any], centre: CentreConfig, lab: LabInfo) -> AsyncIterator[Desk]:
    d = Desk(config=centre, profile=centre.profiles["onsite"], desk_id="e2e-desk", bus=desk_parts["bus"],
             worker=desk_parts["worker"], session_factory=desk_parts["session_factory"],
             credentials=desk_parts["credentials"], softphone=EngineClient(desk_parts["bus"]),
             ca_file=str(lab.ca_cert))
    try:
        yield d
    finally:
        await d.close()
