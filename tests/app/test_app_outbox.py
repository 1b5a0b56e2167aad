"""The durable outbox (issue 10): the shared database goes down, writes queue on the desk, and are written
exactly once when it is back; a replay cut off after its commit, or a process killed mid-replay, duplicates
nothing; a form the desk can reject alone is rejected before it is queued.

PostgreSQL runs in a throwaway cluster of this module's own (tests/bundle/pgcluster.py), stopped with
``pg_ctl stop -m immediate`` mid-test; the shared test server is never touched. On SQLite the outage is the
database file going away (``mode=rw``: SQLite may not create a new one), as a lost network share would.
"""

from __future__ import annotations

import dataclasses
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import appkit
import pytest
from appkit import NOW, World
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.actor import Actor
from app.db import make_engine, make_session_factory, upgrade_to_head
from app.errors import ValidationError
from app.models import AppliedWrite, Claim, ClaimReport, Contact, WrapUp
from app.models.agent import AgentStateSpan
from app.outbox import Outbox, Queued, Written, decode, encode
from app.services.agents import create_agent
from app.services.claim_report import AutoClaimForm, PersonInput, VehicleInput
from app.services.contacts import WrapUpForm
from tests.bundle import pgcluster
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
CSR = Actor(agent_id="1001", desk_id="desk-a", profile="onsite", role="csr")


class Backend:
    """A database a test can take down and bring back."""

    kind: str
    url: str
    engine: Engine
    session: sessionmaker[Session]

    def down(self) -> None:
        raise NotImplementedError

    def up(self) -> None:
        raise NotImplementedError

    def count(self, model: type) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)


class SqliteBackend(Backend):
    kind = "sqlite"

    def __init__(self, tmp: Path) -> None:
        self.path = tmp / "shared.db"
        self.away = tmp / "away"
        self.away.mkdir()
        setup = make_engine(f"sqlite:///{self.path}")
        upgrade_to_head(setup)
        setup.dispose()
        self.url = f"sqlite:///file:{self.path}?mode=rw&uri=true"
        self.engine = make_engine(self.url)
        self.session = make_session_factory(self.engine)

    def _files(self, where: Path) -> list[Path]:
        return [where / (self.path.name + sfx) for sfx in ("", "-wal", "-shm")]

    def down(self) -> None:
        self.engine.dispose()  # the connections die with the share
        for src, dst in zip(self._files(self.path.parent), self._files(self.away), strict=True):
            if src.exists():
                src.rename(dst)

    def up(self) -> None:
        for src, dst in zip(self._files(self.away), self._files(self.path.parent), strict=True):
            if src.exists():
                src.rename(dst)


class PgBackend(Backend):
    kind = "pg"

    def __init__(self, cluster: pgcluster.Cluster, name: str) -> None:
        self.cluster = cluster
        admin = make_engine(cluster.url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.url = make_url(cluster.url).set(database=name).render_as_string(hide_password=False)
        self.engine = make_engine(self.url)
        upgrade_to_head(self.engine)
        self.session = make_session_factory(self.engine)

    def down(self) -> None:
        self.cluster.crash()

    def up(self) -> None:
        self.cluster.start()


@pytest.fixture(scope="module")
def throwaway_pg() -> Iterator[pgcluster.Cluster]:
    need(pgcluster.available(), "Debian's postgresql binaries (scripts/setup.sh)")
    with pgcluster.cluster() as c:
        yield c


_n = iter(range(10_000))


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        b: Backend = SqliteBackend(tmp_path)
    else:
        cluster = request.getfixturevalue("throwaway_pg")
        if not cluster.running():
            cluster.start()
        b = PgBackend(cluster, f"outbox_{next(_n)}_{int(time.time())}")
    yield b
    if isinstance(b, PgBackend) and not b.cluster.running():
        b.up()  # the next test's database lives in the same cluster
    b.engine.dispose()


@pytest.fixture
def bworld(backend: Backend) -> World:
    with backend.session() as s:
        world = appkit.build_world(s)
        create_agent(s, actor=CSR, agent_id=CSR.agent_id, display_name="测试坐席", role="csr", team="t1",
                     skills=("claims-auto",), password="outbox-test-4711")
        return world


def auto_form(world: World, **changes: object) -> AutoClaimForm:
    form = AutoClaimForm(
        policy_number=world.auto_policy, occurred_at=NOW - timedelta(hours=2), location="北京市朝阳区建国路",
        description="rear-ended at a red light", police_attended=True,
        vehicles=(VehicleInput(plate=world.plate, vin=world.vin, is_insured_vehicle=True),),
        people=(PersonInput(role="driver", name="张三丰", phone="13812345678"),))
    return replace(form, **changes)  # type: ignore[arg-type]


def _contact(backend: Backend, linkedid: str) -> Contact | None:
    with backend.session() as s:
        return s.scalar(select(Contact).where(Contact.linkedid == linkedid, Contact.agent_id == CSR.agent_id))


def test_journal_encoding_round_trips() -> None:
    form = auto_form(appkit.World(**{f: "x" for f in ("zhang_name", "zhang_idno", "zhang_mobile", "zhang_home",
                                                       "auto_policy", "life_policy", "health_policy",
                                                       "property_policy", "lapsed_policy", "ouyang_policy",
                                                       "open_claim", "closed_claim", "plate", "vin")},
                                    zhang_id=1, ouyang_id=2, zhang_birth=NOW.date()))
    kwargs = {"actor": CSR, "form": form, "now": NOW, "numbers": ("BA1", "CL1"), "answers": {"q": "yes"}}
    assert decode(encode(kwargs)) == kwargs
    with pytest.raises(TypeError):
        encode({"x": object()})


def test_outage_queues_and_recovery_writes_each_item_once(backend: Backend, bworld: World, tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db", session_factory=backend.session)
    opened = box.submit("contact.open", actor=CSR, linkedid="L-out-1", direction="inbound", queue="claims-auto",
                        caller_number="13812345678")
    assert isinstance(opened, Written)  # the database is up: written at once

    backend.down()
    answered = NOW + timedelta(seconds=5)
    outcomes = [
        box.submit("contact.update", actor=CSR, linkedid="L-out-1", answered_at=answered),
        box.submit("agent.state", agent_id=CSR.agent_id, state="talking"),
        box.submit("claim.auto", actor=CSR, form=auto_form(bworld), linkedid="L-out-1"),
        box.submit("contact.update", actor=CSR, linkedid="L-out-1", ended_at=answered + timedelta(minutes=3)),
        box.submit("wrap_up.save", actor=CSR,
                   form=WrapUpForm(linkedid="L-out-1", category_code="claim.auto", resolved_first_contact=True,
                                   notes="报案已登记")),
    ]
    assert all(isinstance(o, Queued) for o in outcomes), outcomes
    assert [o.waiting for o in outcomes] == [1, 2, 3, 4, 5]  # type: ignore[union-attr]
    claim = outcomes[2]
    assert isinstance(claim, Queued)
    report_number, claim_number = claim.kwargs["numbers"]
    assert report_number.startswith("BA")
    assert claim_number.startswith("CL")

    still_down = box.replay()  # the database is still away: nothing moves, nothing is lost
    assert still_down.stopped is not None
    assert still_down.waiting == 5
    assert box.counts().waiting == 5

    backend.up()
    done = box.replay()
    assert (len(done.written), done.already, done.refused, done.waiting) == (5, (), (), 0)
    contact = _contact(backend, "L-out-1")
    assert contact is not None
    assert contact.answered_at == answered
    assert contact.ended_at == answered + timedelta(minutes=3)
    with backend.session() as s:
        wrap = s.scalars(select(WrapUp).join(Contact).where(Contact.linkedid == "L-out-1")).all()
        assert len(wrap) == 1
        reports = s.scalars(select(ClaimReport).where(ClaimReport.linkedid == "L-out-1")).all()
        assert [r.report_number for r in reports] == [report_number]  # the number the CSR was given
        assert s.scalar(select(Claim.number).where(Claim.id == reports[0].claim_id)) == claim_number
        assert s.scalar(select(func.count()).select_from(AgentStateSpan)
                        .where(AgentStateSpan.agent_id == CSR.agent_id, AgentStateSpan.state == "talking")) == 1
    assert backend.count(AppliedWrite) == 6  # the direct write carries its key too

    again = box.replay()  # nothing left: a second replay writes nothing
    assert (again.written, again.already, again.waiting) == ((), (), 0)
    assert backend.count(ClaimReport) == 1
    assert backend.count(WrapUp) == 1
    assert isinstance(box.submit("contact.update", actor=CSR, linkedid="L-out-1", recording_ref="r/1"), Written)


def test_a_form_the_desk_can_reject_is_not_queued(backend: Backend, bworld: World, tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db", session_factory=backend.session)
    backend.down()
    with pytest.raises(ValidationError) as err:
        box.submit("claim.auto", actor=CSR, form=auto_form(bworld, location="", vehicles=()), linkedid="L-bad")
    assert {"location", "vehicles"} <= set(err.value.fields)
    with pytest.raises(ValidationError) as err2:
        box.submit("wrap_up.save", actor=CSR, form=WrapUpForm(linkedid="L-bad", category_code="claim",
                                                              resolved_first_contact=None))
    assert {"category_code", "resolved_first_contact"} <= set(err2.value.fields)
    assert box.counts().waiting == 0
    # A check that needs the database runs at replay: refused there, kept in the journal with the reason.
    queued = box.submit("claim.auto", actor=CSR, form=auto_form(bworld, policy_number="NO-SUCH-POLICY"))
    assert isinstance(queued, Queued)
    backend.up()
    before = backend.count(ClaimReport)
    result = box.replay()
    assert result.written == ()
    assert [k for k, _ in result.refused] == [queued.key]
    assert "policy_number" in result.refused[0][1]
    assert box.counts().refused == 1
    assert box.items("refused")[0][0] == queued.key
    assert backend.count(ClaimReport) == before
    assert backend.count(AppliedWrite) == 0


def test_replay_cut_off_after_its_commit_does_not_duplicate(backend: Backend, bworld: World, tmp_path: Path) -> None:
    """The journal is put back to how it was before a replay that committed: as if the process died after
    the database's commit but before the journal noted it. The second replay finds every key."""
    journal = tmp_path / "outbox.db"
    box = Outbox(journal, session_factory=backend.session)
    box.submit("contact.open", actor=CSR, linkedid="L-cut", direction="inbound")
    backend.down()
    box.submit("contact.update", actor=CSR, linkedid="L-cut", answered_at=NOW)
    box.submit("claim.auto", actor=CSR, form=auto_form(bworld), linkedid="L-cut")
    box.submit("wrap_up.save", actor=CSR, form=WrapUpForm(linkedid="L-cut", category_code="claim.auto",
                                                          resolved_first_contact=False))
    backend.up()
    saved = tmp_path / "before-replay"
    saved.mkdir()
    for sfx in ("", "-wal", "-shm"):
        if Path(f"{journal}{sfx}").exists():
            shutil.copy(f"{journal}{sfx}", saved / f"outbox.db{sfx}")
    first = box.replay()
    assert len(first.written) == 3
    rows = (backend.count(ClaimReport), backend.count(WrapUp), backend.count(AppliedWrite))
    for sfx in ("", "-wal", "-shm"):
        Path(f"{journal}{sfx}").unlink(missing_ok=True)
        if (saved / f"outbox.db{sfx}").exists():
            shutil.copy(saved / f"outbox.db{sfx}", f"{journal}{sfx}")
    rewound = Outbox(journal, session_factory=backend.session)
    assert rewound.counts().waiting == 3
    second = rewound.replay()
    assert (second.written, len(second.already), second.waiting) == ((), 3, 0)
    assert (backend.count(ClaimReport), backend.count(WrapUp), backend.count(AppliedWrite)) == rows


_QUEUE_AND_DIE = """
import os, signal, sys
from app.actor import Actor
from app.db import make_engine, make_session_factory
from app.outbox import Outbox, Queued
csr = Actor(agent_id="1001", desk_id="desk-a", profile="onsite", role="csr")
box = Outbox(sys.argv[1], session_factory=make_session_factory(make_engine(sys.argv[2])))
for i in range(int(sys.argv[3])):
    out = box.submit("agent.state", agent_id="1001", state="ready" if i % 2 else "not_ready", reason=f"r{i}")
    assert isinstance(out, Queued), out
print("queued", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""

_REPLAY = """
import sys
from app.db import make_engine, make_session_factory
from app.outbox import Outbox
box = Outbox(sys.argv[1], session_factory=make_session_factory(make_engine(sys.argv[2])))
box.replay()
"""


def _py(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_killed_with_items_queued_then_killed_mid_replay_still_exactly_once(backend: Backend, bworld: World,
                                                                           tmp_path: Path) -> None:
    """A desk process queues 200 writes while the database is down and is killed (-9). A second process
    replays them and is killed (-9) part-way. A third replays the rest: every write is there exactly once."""
    journal = tmp_path / "outbox.db"
    n = 200
    backend.down()
    first = _py(_QUEUE_AND_DIE, str(journal), backend.url, str(n))
    out, err = first.communicate(timeout=300)
    assert first.returncode == -signal.SIGKILL, err[-2000:]
    assert "queued" in out
    assert Outbox(journal, session_factory=backend.session).counts().waiting == n
    backend.up()

    def spans() -> int:
        with backend.session() as s:
            return int(s.scalar(select(func.count()).select_from(AgentStateSpan)
                                .where(AgentStateSpan.reason.like("r%"))) or 0)

    second = _py(_REPLAY, str(journal), backend.url)
    deadline = time.monotonic() + 120
    while spans() < 10 and second.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    second.send_signal(signal.SIGKILL)
    second.communicate(timeout=60)
    cut_at = spans()
    box = Outbox(journal, session_factory=backend.session)
    left = box.counts().waiting
    assert left < n
    result = box.replay()
    assert result.waiting == 0
    assert spans() == n, f"expected {n} state spans, found {spans()} (replay was cut at {cut_at}, {left} waiting)"
    with backend.session() as s:
        reasons = s.scalars(select(AgentStateSpan.reason).where(AgentStateSpan.reason.like("r%"))
                            .order_by(AgentStateSpan.started_at, AgentStateSpan.id)).all()
    assert reasons == [f"r{i}" for i in range(n)]  # in the order they happened
    assert backend.count(AppliedWrite) == n


def test_wrap_up_extensions_queued_while_down_are_counted_for_a_restarted_desk(
    backend: Backend, bworld: World, tmp_path: Path
) -> None:
    """A CSR extends wrap-up with the database down (queued here), the desk is killed and comes back in that wrap-up:
    it must add what is still queued to what the audit trail has, each extension once, before and after replay."""
    from app.services.agents import WRAP_UP_EXTENDED, wrap_up_extended_since

    box = Outbox(tmp_path / "outbox.sqlite", session_factory=backend.session)
    began = NOW - timedelta(minutes=1)
    assert isinstance(box.submit(WRAP_UP_EXTENDED, actor=CSR, seconds=30), Written)  # database up: audited
    backend.down()
    assert isinstance(box.submit(WRAP_UP_EXTENDED, actor=CSR, seconds=45), Queued)
    assert isinstance(box.submit(WRAP_UP_EXTENDED, actor=dataclasses.replace(CSR, agent_id="1002"), seconds=99),
                      Queued)  # another agent's, at this desk earlier: not this wrap-up's
    assert box.waiting_seconds(WRAP_UP_EXTENDED, agent_id=CSR.agent_id, since=began) == 45
    assert box.waiting_seconds(WRAP_UP_EXTENDED, agent_id=CSR.agent_id, since=NOW + timedelta(days=1)) == 0
    backend.up()
    with backend.session() as s:
        assert wrap_up_extended_since(s, agent_id=CSR.agent_id, since=began) == 30
    box.replay()
    assert box.waiting_seconds(WRAP_UP_EXTENDED, agent_id=CSR.agent_id, since=began) == 0  # written now: in the
    with backend.session() as s:                                                         # trail, not the queue
        assert wrap_up_extended_since(s, agent_id=CSR.agent_id, since=began) == 75
