"""Load and validate the centre's configuration file (TOML, versioned); errors name the bad key."""

from __future__ import annotations

import asyncio
import contextlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPPORTED_VERSION = 1


class ConfigError(ValueError):
    """The centre configuration is invalid; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class PbxServer:
    host: str
    ami_port: int
    ami_tls_port: int
    sip_port: int
    sip_tls_port: int


@dataclass(frozen=True, slots=True)
class DeskProfile:
    name: str
    transport: str
    srtp: bool
    masked: bool
    idle_lock_seconds: int


@dataclass(frozen=True, slots=True)
class AlertThresholds:
    short_call_seconds: int
    long_call_seconds: int
    not_ready_limit_seconds: dict[str, int]
    wrap_up_overrun_seconds: int
    sign_in_out_repeats_per_hour: int


@dataclass(frozen=True, slots=True)
class CentreConfig:
    version: int
    pbx: tuple[PbxServer, ...]
    heartbeat_seconds: float
    action_timeout_seconds: float
    queues: dict[str, tuple[str, ...]]
    not_ready_reasons: tuple[str, ...]
    wrap_up_seconds: int
    wrap_up_extend_seconds: int
    after_wrap_up: str
    after_wrap_up_reason: str  # the not-ready reason after wrap-up when after_wrap_up is "not_ready"
    recording_mute_max_seconds: int
    alerts: AlertThresholds
    profiles: dict[str, DeskProfile]

    def queues_for(self, skills: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Return the queues of the given skills, in order, without duplicates (unknown skills are errors)."""
        out: list[str] = []
        for skill in skills:
            if skill not in self.queues:
                raise ConfigError(f"unknown skill {skill!r}; the centre configures: {', '.join(self.queues)}")
            out.extend(q for q in self.queues[skill] if q not in out)
        return tuple(out)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, why: str) -> ConfigError:
        return ConfigError(f"{self.source}: {key}: {why}")

    def get(self, table: dict[str, Any], key: str, path: str) -> Any:
        if key not in table:
            raise self.fail(f"{path}{key}", "missing")
        return table[key]

    def int_(self, table: dict[str, Any], key: str, path: str, *, lo: int = 0, hi: int = 10**9) -> int:
        v = self.get(table, key, path)
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise self.fail(f"{path}{key}", f"must be a whole number from {lo} to {hi}, got {v!r}")
        return v

    def num(self, table: dict[str, Any], key: str, path: str, *, lo: float, hi: float) -> float:
        v = self.get(table, key, path)
        if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
            raise self.fail(f"{path}{key}", f"must be a number from {lo} to {hi}, got {v!r}")
        return float(v)

    def str_(self, table: dict[str, Any], key: str, path: str, *, choices: tuple[str, ...] = ()) -> str:
        v = self.get(table, key, path)
        if not isinstance(v, str) or not v:
            raise self.fail(f"{path}{key}", f"must be a non-empty string, got {v!r}")
        if choices and v not in choices:
            raise self.fail(f"{path}{key}", f"must be one of {', '.join(choices)}, got {v!r}")
        return v

    def bool_(self, table: dict[str, Any], key: str, path: str) -> bool:
        v = self.get(table, key, path)
        if not isinstance(v, bool):
            raise self.fail(f"{path}{key}", f"must be true or false, got {v!r}")
        return v

    def table(self, table: dict[str, Any], key: str, path: str = "") -> dict[str, Any]:
        v = self.get(table, key, path)
        if not isinstance(v, dict):
            raise self.fail(f"{path}{key}", "must be a table")
        return v

    def strings(self, table: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        v = self.get(table, key, path)
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
            raise self.fail(f"{path}{key}", "must be a non-empty list of strings")
        if len(set(v)) != len(v):
            raise self.fail(f"{path}{key}", "has duplicates")
        return tuple(v)


def parse_config(data: dict[str, Any], *, source: str = "<config>") -> CentreConfig:
    """Validate a parsed TOML document and build the configuration."""
    r = _Reader(source)
    version = r.int_(data, "version", "", lo=1, hi=1000)
    if version != SUPPORTED_VERSION:
        raise r.fail("version", f"this desk reads version {SUPPORTED_VERSION}, the file is version {version}")
    pbx_t = r.table(data, "pbx")
    servers_raw = r.get(pbx_t, "servers", "pbx.")
    if not isinstance(servers_raw, list) or not servers_raw:
        raise r.fail("pbx.servers", "must list at least one PBX (primary first)")
    servers = []
    for i, s in enumerate(servers_raw):
        p = f"pbx.servers[{i}]."
        if not isinstance(s, dict):
            raise r.fail(f"pbx.servers[{i}]", "must be a table")
        servers.append(PbxServer(
            host=r.str_(s, "host", p), ami_port=r.int_(s, "ami_port", p, lo=1, hi=65535),
            ami_tls_port=r.int_(s, "ami_tls_port", p, lo=1, hi=65535),
            sip_port=r.int_(s, "sip_port", p, lo=1, hi=65535), sip_tls_port=r.int_(s, "sip_tls_port", p, lo=1, hi=65535),
        ))
    queues_t = r.table(data, "queues")
    if not queues_t:
        raise r.fail("queues", "must map at least one skill to its queues")
    queues = {skill: r.strings(queues_t, skill, "queues.") for skill in queues_t}
    st = r.table(data, "agent_state")
    reasons = r.strings(st, "not_ready_reasons", "agent_state.")
    # One of the centre's own reasons (the state bar's menu and the lead's per-reason limits know only those);
    # optional, the last configured reason by default.
    after_reason = (r.str_(st, "after_wrap_up_reason", "agent_state.", choices=reasons)
                    if "after_wrap_up_reason" in st else reasons[-1])
    al = r.table(data, "alerts")
    limits_raw = r.table(al, "not_ready_limit_seconds", "alerts.")
    limits = {k: r.int_(limits_raw, k, "alerts.not_ready_limit_seconds.", lo=1) for k in limits_raw}
    unknown = set(limits) - set(reasons)
    if unknown:
        raise r.fail("alerts.not_ready_limit_seconds", f"names reasons that are not configured: {sorted(unknown)}")
    alerts = AlertThresholds(
        short_call_seconds=r.int_(al, "short_call_seconds", "alerts.", lo=1, hi=600),
        long_call_seconds=r.int_(al, "long_call_seconds", "alerts.", lo=60, hi=86400),
        not_ready_limit_seconds=limits,
        wrap_up_overrun_seconds=r.int_(al, "wrap_up_overrun_seconds", "alerts.", lo=0, hi=3600),
        sign_in_out_repeats_per_hour=r.int_(al, "sign_in_out_repeats_per_hour", "alerts.", lo=1, hi=100),
    )
    prof_t = r.table(data, "profiles")
    profiles = {}
    for name in ("onsite", "remote"):
        pt = r.table(prof_t, name, "profiles.")
        path = f"profiles.{name}."
        profiles[name] = DeskProfile(
            name=name, transport=r.str_(pt, "transport", path, choices=("udp", "tcp", "tls")),
            srtp=r.bool_(pt, "srtp", path), masked=r.bool_(pt, "masked", path),
            idle_lock_seconds=r.int_(pt, "idle_lock_seconds", path, lo=30, hi=86400),
        )
    if profiles["remote"].transport != "tls" or not profiles["remote"].srtp:
        raise r.fail("profiles.remote", "a remote desk must use transport \"tls\" with srtp = true")
    if not profiles["remote"].masked:
        raise r.fail("profiles.remote.masked", "a remote desk must see masked data (S-8.1-remote)")
    return CentreConfig(
        version=version, pbx=tuple(servers),
        heartbeat_seconds=r.num(pbx_t, "heartbeat_seconds", "pbx.", lo=1, hi=15),
        action_timeout_seconds=r.num(pbx_t, "action_timeout_seconds", "pbx.", lo=0.5, hi=60),
        queues=queues, not_ready_reasons=reasons,
        wrap_up_seconds=r.int_(st, "wrap_up_seconds", "agent_state.", lo=0, hi=3600),
        wrap_up_extend_seconds=r.int_(st, "wrap_up_extend_seconds", "agent_state.", lo=5, hi=3600),
        after_wrap_up=r.str_(st, "after_wrap_up", "agent_state.", choices=("ready", "not_ready")),
        after_wrap_up_reason=after_reason,
        recording_mute_max_seconds=r.int_(st, "recording_mute_max_seconds", "agent_state.", lo=5, hi=600),
        alerts=alerts, profiles=profiles,
    )


def load_config(path: Path) -> CentreConfig:
    """Read and validate the centre configuration at ``path``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: the centre configuration file does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, source=str(path))


class ConfigWatcher:
    """Re-read the centre configuration when its file changes (polled, so it works on any filesystem).

    ``on_change(config)`` gets each new valid configuration; ``on_error(error)`` gets a readable error for an
    invalid one, and the desk keeps working with the configuration it had.
    """

    def __init__(self, path: Path, *, on_change: Callable[[CentreConfig], None],
                 on_error: Callable[[ConfigError], None], interval: float = 2.0) -> None:
        self.path = path
        self.interval = interval
        self._on_change = on_change
        self._on_error = on_error
        self._stamp = self._read_stamp()
        self._task: asyncio.Task[None] | None = None

    def _read_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def check(self) -> None:
        """Look once: report a change (valid or not) since the last look."""
        stamp = self._read_stamp()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            config = load_config(self.path)
        except ConfigError as exc:
            self._on_error(exc)
            return
        self._on_change(config)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.check()
