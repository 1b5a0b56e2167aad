"""Demo data: deterministic, valid by the desk's own rules, covering every line and claim state."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from appkit import Db
from sqlalchemy import func, select

from app.actor import Actor
from app.demo_data import demo_caller_numbers, demo_policy_numbers, generate
from app.demo_data.agents import demo_password
from app.demo_data.people import person
from app.models import Claim, Customer, OutboundTask, Policy, Vehicle
from app.models.claim import CLAIM_STATUSES
from app.models.policy import PRODUCT_LINES
from app.screenpop import screen_pop
from app.services.agents import verify_agent
from app.timeutil import utcnow
from app.validation import mobile, plate, resident_id, vin

ROOT = Path(__file__).resolve().parents[2]
N = 300


def test_people_are_deterministic_and_valid() -> None:
    assert person(7, 42) == person(7, 42)
    assert person(7, 42) != person(8, 42)
    numbers = demo_caller_numbers(2000, seed=7)
    assert len(set(numbers)) == 2000
    for i in range(200):
        p = person(7, i)
        assert resident_id(p.id_number) == p.id_number
        assert mobile(p.mobile) == p.mobile
        assert date(1950, 1, 1) <= p.birth_date <= date(2005, 12, 31)


def test_generated_database(db: Db, csr: Actor) -> None:
    rep = generate(db.engine, customers=N, seed=11)
    assert rep.customers == N
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == N
        assert s.scalar(select(func.count()).select_from(Policy)) == rep.policies == len(demo_policy_numbers(N, seed=11))
        assert set(s.scalars(select(Policy.product_line).distinct())) == set(PRODUCT_LINES)
        assert set(s.scalars(select(Claim.status).distinct())) == set(CLAIM_STATUSES)
        due = s.scalar(select(func.count()).select_from(OutboundTask).where(
            OutboundTask.kind == "cooling_off", OutboundTask.status == "open", OutboundTask.due_at <= utcnow()))
        assert due
        assert due > 0
        for v in s.scalars(select(Vehicle)):
            assert plate(v.plate) == v.plate
            assert vin(v.vin) == v.vin
        for c in s.scalars(select(Customer).limit(50)):
            assert resident_id(c.id_number) == c.id_number
        assert set(s.scalars(select(Policy.number))) == set(demo_policy_numbers(N, seed=11))
        for number in demo_caller_numbers(5, seed=11):
            pop = screen_pop(s, caller_number=f"+86{number}", policy_number=None, actor=csr)
            assert pop.customer is not None
            assert pop.customer.mobile == number


def test_generation_adds_after_existing_rows(db: Db) -> None:
    generate(db.engine, customers=20, seed=1)
    generate(db.engine, customers=10, seed=2)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 30
        s.add(Customer(name="新客户", id_number="x", birth_date=date(2000, 1, 1)))
        s.commit()  # sequences moved past the explicit ids (PostgreSQL)


def test_cli_seeds_agents_with_password_from_env(db: Db, tmp_path: Path) -> None:
    env = {**os.environ, "CSDESK_DEMO_PASSWORD": "demo pw from env"}
    out = subprocess.run([sys.executable, "-m", "app.demo_data", "--db", db.url, "--customers", "25",
                          "--state-dir", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert "added 25 customers" in out.stdout
    assert "25/25 customers (100%)" in out.stderr
    assert "demo pw from env" not in out.stdout + out.stderr
    with db.session() as s:
        assert verify_agent(s, "1001", "demo pw from env").role == "csr"
        assert verify_agent(s, "2002", "demo pw from env").role == "lead"
    assert not (tmp_path / "demo-password").exists()


def test_generated_password_is_kept_0600(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CSDESK_DEMO_PASSWORD", raising=False)
    pw, path = demo_password(given=None, state_dir=tmp_path / "state")
    assert path == tmp_path / "state" / "demo-password"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert demo_password(given=None, state_dir=tmp_path / "state") == (pw, path)
    assert demo_password(given="given", state_dir=tmp_path / "state") == ("given", None)
    assert len(pw) >= 12


def test_cli_fills_up_to_n_and_is_idempotent(db: Db, tmp_path: Path) -> None:
    env = {**os.environ, "CSDESK_DEMO_PASSWORD": "demo pw from env"}
    cmd = [sys.executable, "-m", "app.demo_data", "--db", db.url, "--state-dir", str(tmp_path)]
    for n, expect in ((10, "added 10 customers"), (10, "nothing to add"), (15, "added 5 customers")):
        out = subprocess.run([*cmd, "--customers", str(n)], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 0, out.stderr
        assert expect in out.stdout
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 15
        assert set(s.scalars(select(Customer.mobile))) == set(demo_caller_numbers(15))
