"""The centre configuration: the shipped file is valid, and each kind of bad value names its key."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from app.config import ConfigError, load_config, parse_config

SHIPPED = Path(__file__).resolve().parents[1] / "resources" / "centre.toml"


@pytest.fixture
def good() -> dict[str, Any]:
    return tomllib.loads(SHIPPED.read_text(encoding="utf-8"))


def test_shipped_config_is_valid() -> None:
    cfg = load_config(SHIPPED)
    assert cfg.pbx[0].host == "127.0.0.1"
    assert len(cfg.pbx) == 2
    assert cfg.queues_for(["auto_claims", "service", "auto_claims"]) == ("claims-auto", "service")
    assert cfg.profiles["remote"].masked
    assert not cfg.profiles["onsite"].masked


def _set(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    *parents, last = path.split(".")
    node = doc
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node[p]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return doc


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        ("version", 2, "version"),
        ("pbx.servers", [], "pbx.servers"),
        ("pbx.servers.0.ami_port", 70000, "pbx.servers[0].ami_port"),
        ("pbx.servers.0.host", "", "pbx.servers[0].host"),
        ("pbx.heartbeat_seconds", 30, "pbx.heartbeat_seconds"),
        ("agent_state.wrap_up_seconds", "30", "agent_state.wrap_up_seconds"),
        ("agent_state.after_wrap_up", "lunch", "agent_state.after_wrap_up"),
        ("agent_state.after_wrap_up_reason", "事务处理 back-office", "agent_state.after_wrap_up_reason"),
        ("agent_state.not_ready_reasons", ["小休", "小休"], "agent_state.not_ready_reasons"),
        ("alerts.not_ready_limit_seconds", {"午睡": 60}, "alerts.not_ready_limit_seconds"),
        ("profiles.remote.transport", "udp", "profiles.remote"),
        ("profiles.remote.masked", False, "profiles.remote.masked"),
        ("profiles.onsite.srtp", "yes", "profiles.onsite.srtp"),
        ("queues.service", [], "queues.service"),
        ("alerts.short_call_seconds", _DELETE, "alerts.short_call_seconds"),
    ],
)
def test_bad_values_name_their_key(good: dict[str, Any], path: str, value: Any, named: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(_set(good, path, value), source="centre.toml")
    assert f"centre.toml: {named}" in str(err.value)


def test_unknown_skill_is_an_error(good: dict[str, Any]) -> None:
    cfg = parse_config(good)
    with pytest.raises(ConfigError, match="unknown skill 'motor'"):
        cfg.queues_for(["motor"])


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("version = = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


def test_watcher_reports_changes_and_bad_edits(tmp_path: Path) -> None:
    from app.config import ConfigWatcher

    path = tmp_path / "centre.toml"
    text = SHIPPED.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    changes: list[Any] = []
    errors: list[str] = []
    w = ConfigWatcher(path, on_change=changes.append, on_error=lambda e: errors.append(str(e)))
    w.check()
    assert changes == []
    assert errors == []
    path.write_text(text.replace("wrap_up_seconds = 30", "wrap_up_seconds = 45"), encoding="utf-8")
    w.check()
    assert [c.wrap_up_seconds for c in changes] == [45]
    path.write_text(text.replace("wrap_up_seconds = 30", "wrap_up_seconds = -1"), encoding="utf-8")
    w.check()
    assert len(changes) == 1
    assert "agent_state.wrap_up_seconds" in errors[0]


def test_after_wrap_up_reason_is_one_of_the_centres_reasons_and_reaches_the_session(good: dict[str, Any]) -> None:
    """A wrap-up that ends not ready pauses with a reason the centre configured (the state bar's menu and the
    lead's per-reason limits know only those), not the state machine's built-in default."""
    from app.desk import Desk
    from app.secrets import StaticCredentials
    from cti.bus import EventBus

    assert parse_config(good).after_wrap_up_reason == "事务处理"  # the shipped file names it
    doc = _set(_set(good, "agent_state.after_wrap_up_reason", _DELETE), "agent_state.after_wrap_up", "not_ready")
    cfg = parse_config(doc)
    assert cfg.after_wrap_up_reason == cfg.not_ready_reasons[-1]  # default: the last configured reason
    cfg = parse_config(_set(doc, "agent_state.after_wrap_up_reason", "培训"))
    desk = Desk(config=cfg, profile=cfg.profiles["onsite"], desk_id="t", bus=EventBus(), worker=None,  # type: ignore[arg-type]
                session_factory=None, credentials=StaticCredentials(sip={"1001": "x"}, ami={"desk1001": "y"}),  # type: ignore[arg-type]
                softphone=None)
    policy = desk._desk_config("1001", "csr", ("service",)).policy()
    assert (policy.after_wrap_up.value, policy.after_wrap_up_reason) == ("not_ready", "培训")
    assert policy.after_wrap_up_reason in policy.reasons
