"""Helpers for the cti lab tests: desks, far-end parties and PBX-side checks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from labsim.labinfo import LabInfo, LabNotUp, load

from cti import events as ev
from cti.ami.actions import ChannelInfo, MemberStatus, PbxActions
from cti.ami.link import PbxAddress
from cti.bus import EventBus
from cti.engine.client import EngineClient
from cti.errors import LinkDown
from cti.session import AgentSession
from cti.session_config import DeskConfig
from cti.softphone import SipAccount
from cti.state import Status
from tests.conftest import need

QUEUES = ("claims-auto", "claims-life", "service", "complaints")
WAIT = 30.0
LAB = os.path.join(os.path.dirname(__file__), "..", "..", "..", "asterisk-conf", "lab")


def pulse_up() -> bool:
    os.environ.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    if not shutil.which("pactl"):
        return False
    return subprocess.run(["pactl", "info"], capture_output=True, timeout=5).returncode == 0


def lab_or_fail(instance: str) -> LabInfo:
    try:
        return load(instance)
    except LabNotUp as exc:
        need(False, f"the Asterisk lab: {exc}")
        raise


def lab_cmd(*args: str, timeout: float = 180) -> None:
    """Run the lab launcher (down/up/cli ...) and fail loudly if it fails."""
    r = subprocess.run([LAB, *args], capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"lab {' '.join(args)} failed: {r.stdout[-800:]} {r.stderr[-800:]}"


class Recorder:
    """Keep every event published on a bus and let a test wait for one."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[ev.Event] = []
        self._changed = asyncio.Event()
        bus.subscribe(ev.Event, self._on)

    def _on(self, e: ev.Event) -> None:
        self.events.append(e)
        self._changed.set()

    def of(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    async def wait(self, kind: type[Any], pred: Callable[[Any], bool] = lambda e: True, within: float = WAIT) -> Any:
        async with asyncio.timeout(within):
            while True:
                hit = [e for e in self.of(kind) if pred(e)]
                if hit:
                    return hit[-1]
                self._changed.clear()
                await self._changed.wait()


def registrars(lab: LabInfo, *more: LabInfo) -> tuple[str, ...]:
    return tuple(f"{x.host}:{x.sip_port}" for x in (lab, *more))


async def start_engine(bus: EventBus, account: SipAccount) -> EngineClient:
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    try:
        await client.register(account)
    except BaseException:
        await client.stop()
        raise
    return client


@dataclass
class Party:
    """A far-end phone: a caller, a colleague or the PSTN simulator."""

    ext: str
    client: EngineClient
    rec: Recorder
    refs: list[str] = field(default_factory=list)

    async def dial(self, target: str) -> str:
        ref = await self.client.dial(target)
        self.refs.append(ref)
        return ref

    async def answer_next(self, within: float = WAIT) -> ev.CallDidOffer:
        seen = {e.call_ref for e in self.rec.of(ev.CallDidAnswer)}
        offer = await self.rec.wait(ev.CallDidOffer, lambda e: e.call_ref not in seen, within)
        await self.client.answer(offer.call_ref)
        return offer

    def ended(self, ref: str) -> bool:
        return any(e.call_ref == ref for e in self.rec.of(ev.CallDidEnd))

    async def close(self) -> None:
        for ref in self.refs + [e.call_ref for e in self.rec.of(ev.CallDidOffer)]:
            if not self.ended(ref):
                with contextlib.suppress(Exception):
                    await self.client.hangup(ref)
        with contextlib.suppress(Exception):
            await self.client.stop()


async def start_party(lab: LabInfo, ext: str, *, auto_answer: bool = False) -> Party:
    bus = EventBus()
    rec = Recorder(bus)
    account = SipAccount(extension=ext, password=lab.sip_password(ext), registrars=registrars(lab),
                         auto_answer=auto_answer)
    return Party(ext, await start_engine(bus, account), rec)


@dataclass
class Desk:
    """An agent desk: the session under test, its softphone engine and everything it published."""

    ext: str
    session: AgentSession
    phone: EngineClient
    rec: Recorder

    async def until(self, status: Status, within: float = WAIT) -> None:
        await self.session.until(lambda: self.session.status == status, f"state {status.value}", within=within)

    async def close(self, admin: PbxActions | None) -> None:
        s = self.session
        with contextlib.suppress(Exception):
            if s.status in (Status.READY, Status.NOT_READY, Status.WRAP_UP):
                await s.sign_out()
        with contextlib.suppress(Exception):
            await s.close()
        with contextlib.suppress(Exception):
            await self.phone.stop()
        if admin is not None and admin.link.up:  # never leave a member behind for the next test
            for q in QUEUES:
                with contextlib.suppress(Exception):
                    await admin.queue_remove(queue=q, interface=f"PJSIP/{self.ext}")


async def start_desk(lab: LabInfo, ext: str, *, standby: LabInfo | None = None, queues: tuple[str, ...] = QUEUES,
                     **config: Any) -> Desk:
    bus = EventBus()
    rec = Recorder(bus)
    pbx = [PbxAddress(lab.host, lab.ami_port)] + ([PbxAddress(standby.host, standby.ami_port)] if standby else [])
    regs = registrars(lab, *( [standby] if standby else []))
    sip = SipAccount(extension=ext, password=lab.sip_password(ext), registrars=regs)
    values: dict[str, Any] = {"wrap_up_seconds": 600.0, "heartbeat_seconds": 2.0, "action_timeout": 5.0,
                              "confirm_timeout": 15.0, "consult_timeout": 20.0}
    values.update(config)
    cfg = DeskConfig(agent_id=f"A{ext}", extension=ext, member_name=f"Agent {ext}", queues=queues,
                     pbx=tuple(pbx), ami_user=f"desk{ext}", ami_secret=lab.ami_secret(f"desk{ext}"), sip=sip,
                     **values)
    # the engine registers when the session signs in (the Register effect), so start it unregistered
    client = EngineClient(bus, headset_out="headset", headset_in="mic.monitor", ringer_out="speaker")
    await client.start()
    return Desk(ext, AgentSession(config=cfg, bus=bus, softphone=client), client, rec)


async def members(admin: PbxActions, ext: str) -> list[MemberStatus]:
    snap = await admin.queue_status(member=f"PJSIP/{ext}")
    return [m for m in snap.members if m.interface == f"PJSIP/{ext}"]


async def channels_of(admin: PbxActions, ext: str) -> list[ChannelInfo]:
    return [c for c in await admin.channels() if c.channel.startswith(f"PJSIP/{ext}-")]


async def bridged_together(admin: PbxActions, a: str, b: str) -> bool:
    """True when a channel of endpoint ``a`` and one of endpoint ``b`` share a bridge on the PBX."""
    chans = await admin.channels()
    ba = {c.bridge_id for c in chans if c.channel.startswith(f"PJSIP/{a}-") and c.bridge_id}
    bb = {c.bridge_id for c in chans if c.channel.startswith(f"PJSIP/{b}-") and c.bridge_id}
    return bool(ba & bb)


async def eventually(check: Callable[[], Any], what: str, within: float = WAIT) -> None:
    """Poll an async check (the PBX's view) until it holds. The test's own AMI link being down (it reconnects on
    its own schedule after a PBX restart, and a login that met the PBX still shutting down waits its backoff)
    means "not known yet", not a failure: the poll goes on until ``within``."""
    last_down: LinkDown | None = None
    for _ in range(int(within / 0.25)):
        try:
            if await check():
                return
        except LinkDown as exc:
            last_down = exc
        await asyncio.sleep(0.25)
    raise AssertionError(f"the PBX never reported {what}" + (f" (the test's AMI link: {last_down})" if last_down
                                                            else ""))


async def talking(desks: Callable[..., Any], parties: Callable[..., Any], admin: PbxActions, ext: str = "1002",
                  caller_ext: str = "1009", **config: Any) -> tuple[Desk, Party]:
    """A desk signed in ready, talking to a caller who came through the complaints queue (8004)."""
    d = await desks(ext, queues=("complaints",), **config)
    caller = await parties(caller_ext)
    await d.session.sign_in("ready")
    await caller.dial("8004")
    await d.until(Status.RINGING)
    await d.session.answer()
    await eventually(lambda: bridged_together(admin, ext, caller_ext), "the caller bridged with the agent")
    return d, caller


async def hang_up_leftovers(admin: PbxActions, ext: str) -> None:
    """Leave no channel of ``ext`` behind for the next test (a stopped phone may not have sent its BYE)."""
    with contextlib.suppress(Exception):
        for c in await channels_of(admin, ext):
            await admin.hangup(c.channel)
        await eventually(lambda: _none_left(admin, ext), f"no channel of {ext} left", within=10)


async def _none_left(admin: PbxActions, ext: str) -> bool:
    return not await channels_of(admin, ext)
