"""The simulator's plans, without a lab: rates, scenarios, caller IDs, policy numbers and survey scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from labsim.scenario import Planner, parse_rate, read_caller_ids


@pytest.mark.parametrize(("text", "seconds"), [("1/10s", 10.0), ("6/min", 10.0), ("2/s", 0.5), ("30/h", 120.0),
                                               ("3/2min", 40.0)])
def test_rate_is_seconds_between_calls(text: str, seconds: float) -> None:
    assert parse_rate(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "fast", "0/s", "1/10x", "-1/s"])
def test_bad_rate_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="rate"):
        parse_rate(text)


def test_scenario_sets_digit_queue_policy_and_score() -> None:
    plan = Planner("complaints", policy="880012345", survey="4").next(set())
    assert (plan.digit, plan.queue, plan.policy, plan.survey_score) == ("4", "complaints", "880012345", "4")
    timeout = Planner("timeout", policy="none", survey="none").next(set())
    assert (timeout.digit, timeout.queue, timeout.policy, timeout.survey_score) == ("", "service", "", "")


def test_random_callers_are_mobile_numbers_not_on_a_call_and_reproducible() -> None:
    first = Planner("mixed", seed=3).next(set())
    again = Planner("mixed", seed=3).next(set())
    assert first == again
    planner = Planner("mixed", seed=5)
    busy: set[str] = set()
    for _ in range(50):
        plan = planner.next(busy)
        assert len(plan.caller_id) == 11
        assert plan.caller_id[0] == "1"
        assert plan.caller_id[1] in "3456789"
        assert plan.caller_id not in busy
        assert plan.queue in ("claims-auto", "claims-life", "service", "complaints")
        assert plan.survey_score in "1234"
        assert len(plan.policy) == 10
        busy.add(plan.caller_id)


def test_listed_caller_ids_skip_those_on_a_call(tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("# fake numbers\n13800000001\n13800000002  # second\n\n")
    planner = Planner("service", caller_ids=read_caller_ids(ids))
    assert planner.next({"13800000001"}).caller_id == "13800000002"
    with pytest.raises(LookupError):
        planner.next({"13800000001", "13800000002"})


def test_unknown_scenario_and_bad_caller_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scenario"):
        Planner("sales")
    bad = tmp_path / "bad.txt"
    bad.write_text("13800000001\nnot-a-number\n")
    with pytest.raises(ValueError, match="caller ID"):
        read_caller_ids(bad)
