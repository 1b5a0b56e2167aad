"""Fixtures for the agent session against the real lab: desks and far-end parties are real pjsua2 engines
(cti.engine, one process each); assertions read what the PBX reports through the tests-only admin AMI user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from ctilab import Desk, Party, hang_up_leftovers, lab_or_fail, pulse_up, start_desk, start_party
from labsim.labinfo import LabInfo

from cti.ami.actions import PbxActions
from cti.ami.link import AmiLink, PbxAddress
from tests.conftest import need

pytestmark = pytest.mark.lab


@pytest.fixture(scope="session")
def lab() -> LabInfo:
    need(pulse_up(), "the PulseAudio null sinks for the softphone engine (scripts/audio.sh up)")
    return lab_or_fail("primary")


@pytest.fixture
async def admin(lab: LabInfo) -> AsyncIterator[PbxActions]:
    """The tests-only admin AMI user: what the PBX really reports."""
    link = AmiLink(addresses=[PbxAddress(lab.host, lab.ami_port)], username="admin",
                   secret=lab.ami_secret("admin"), action_timeout=10)
    link.start()
    await link.wait_up(90)  # generous: a previous test may have just restarted the PBX
    yield PbxActions(link)
    await link.stop()


@pytest.fixture
async def desks(lab: LabInfo, admin: PbxActions) -> AsyncIterator[Callable[..., Awaitable[Desk]]]:
    """Start agent desks (AgentSession + a real softphone engine) on demand; all are torn down after."""
    made: list[Desk] = []

    async def make(ext: str, **config: object) -> Desk:
        d = await start_desk(lab, ext, **config)
        made.append(d)
        return d

    yield make
    for d in made:
        await d.close(admin)
        await hang_up_leftovers(admin, d.ext)


@pytest.fixture
async def parties(lab: LabInfo, admin: PbxActions) -> AsyncIterator[Callable[..., Awaitable[Party]]]:
    """Start far-end phones (callers, colleagues) on demand, registered at the lab; stopped after."""
    made: list[Party] = []

    async def make(ext: str, **kw: object) -> Party:
        p = await start_party(lab, ext, **kw)
        made.append(p)
        return p

    yield make
    for p in made:
        await p.close()
        await hang_up_leftovers(admin, p.ext)
