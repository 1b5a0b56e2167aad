"""The team lead's session: listen, whisper or barge on an agent's call (ChanSpy originated to the lead's own
phone), force an agent not ready or out, and the live team view (TeamMonitor) fed by the same AMI link."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re

from cti import events as ev
from cti.ami.actions import PbxActions
from cti.ami.link import AmiLink, PbxAddress
from cti.ami.message import AmiMessage
from cti.bus import EventBus
from cti.errors import CommandFailed, CtiError
from cti.softphone import Softphone, SoftphoneError
from cti.state_types import SIGN_OUT_REASON, lead_tagged
from cti.team import TeamMonitor

log = logging.getLogger(__name__)
MODES = {"listen": ("", "4"), "whisper": ("w", "5"), "barge": ("B", "6")}  # ChanSpy flag, live-switch DTMF
EXTENSION = re.compile(r"[0-9]{3,6}")


class SupervisorSession:
    """A lead's link to the PBX (an AMI user with the 'originate' right)."""

    def __init__(self, *, lead_extension: str, pbx: tuple[PbxAddress, ...], ami_user: str, ami_secret: str,
                 bus: EventBus, softphone: Softphone | None = None, queues: tuple[str, ...] | None = None,
                 action_timeout: float = 5.0, heartbeat_seconds: float = 5.0, confirm_timeout: float = 15.0) -> None:
        self.lead = lead_extension
        self.bus = bus
        self.phone = softphone
        self.confirm_timeout = confirm_timeout
        self.team = TeamMonitor(bus=bus, queues=queues)
        self.link = AmiLink(addresses=pbx, username=ami_user, secret=ami_secret, on_event=self._on_ami,
                            on_up=self._on_up, on_down=self._on_down, action_timeout=action_timeout,
                            heartbeat_seconds=heartbeat_seconds)
        self.pbx = PbxActions(self.link)
        self.spying: str | None = None
        self.mode: str | None = None
        self._spy_ref: str | None = None
        self._spy_channel: str | None = None
        self._changed = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._unsub = bus.subscribe(ev.CallDidOffer, self._on_offer) if softphone is not None else None

    async def start(self, within: float = 15.0) -> None:
        """Connect and load the team's current figures."""
        self.link.start()
        await self.link.wait_up(within)
        await self.team.load(self.pbx)

    async def close(self) -> None:
        with contextlib.suppress(CtiError):
            await self.stop_spy()
        if self._unsub is not None:
            self._unsub()
        await self.link.stop()

    # --- spying ----------------------------------------------------------------------------------------------

    async def listen(self, extension: str) -> None:
        await self._spy(extension, "listen")

    async def whisper(self, extension: str) -> None:
        await self._spy(extension, "whisper")

    async def barge(self, extension: str) -> None:
        await self._spy(extension, "barge")

    async def _spy(self, extension: str, mode: str) -> None:
        if not EXTENSION.fullmatch(extension):
            raise CommandFailed("Choose an agent's extension")
        if self.spying == extension and self.mode != mode and self._spy_ref is not None and self.phone is not None:
            with contextlib.suppress(SoftphoneError):  # ChanSpy's 'd' option: 4 listen, 5 whisper, 6 barge
                await self.phone.dtmf(self._spy_ref, MODES[mode][1])
                self.mode = mode
                self.bus.publish(ev.SpyDidStart(agent_extension=extension, mode=mode))
                return
        if self.spying is not None:
            await self.stop_spy()
        chans = [c for c in await self.pbx.channels() if c.channel.startswith(f"PJSIP/{extension}-")]
        if not chans:
            raise CommandFailed(f"Agent {extension} has no call to {mode} on")
        self.spying, self.mode, self._spy_channel = extension, mode, None
        await self.pbx.originate_app(channel=f"PJSIP/{self.lead}", application="ChanSpy",
                                     data=f"PJSIP/{extension}-,qEd{MODES[mode][0]}",
                                     caller_id=f'"{mode} {extension}" <{extension}>')
        try:
            async with asyncio.timeout(self.confirm_timeout):
                while self._spy_channel is None:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            self.spying = self.mode = None
            raise CommandFailed(
                f"The spy call to your phone was not answered within {self.confirm_timeout:g} s") from None
        self.bus.publish(ev.SpyDidStart(agent_extension=extension, mode=mode))

    async def stop_spy(self) -> None:
        """Hang up the lead's spy call."""
        agent, chan, ref = self.spying, self._spy_channel, self._spy_ref
        self.spying = self.mode = self._spy_channel = self._spy_ref = None
        if ref is not None and self.phone is not None:
            with contextlib.suppress(SoftphoneError):
                await self.phone.hangup(ref)
        elif chan is not None:
            await self.pbx.hangup(chan)
        if agent is not None:
            self.bus.publish(ev.SpyDidStop(agent_extension=agent, reason="stopped by the lead"))

    def _on_offer(self, e: ev.CallDidOffer) -> None:
        """Answer the spy call on the lead's own softphone."""
        if (self.spying is not None and self._spy_ref is None and self.phone is not None
                and self.spying in e.caller_id):  # the spy call names the agent; any other call just rings
            self._spy_ref = e.call_ref
            task = asyncio.get_running_loop().create_task(self._answer(e.call_ref))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _answer(self, ref: str) -> None:
        assert self.phone is not None
        try:
            await self.phone.answer(ref)
        except SoftphoneError as e:
            log.warning("the spy call could not be answered: %s", e.reason)

    # --- forcing an agent -----------------------------------------------------------------------------------------

    async def force_not_ready(self, extension: str, reason: str, *, lead: str | None = None) -> None:
        """Pause an agent in all queues; the agent's desk follows (the PBX wins). The reason carries ``lead`` (the
        lead's id; this lead's extension by default) so that the agent's desk shows who did it."""
        await self.pbx.pause(interface=f"PJSIP/{extension}", reason=lead_tagged(reason, lead or self.lead))

    async def force_sign_out(self, extension: str, *, lead: str | None = None) -> int:
        """Sign an agent out: pause them with the lead-tagged sign-out reason (their desk then knows who did it),
        then remove them from every queue; return how many memberships were removed."""
        iface = f"PJSIP/{extension}"
        await self.pbx.pause(interface=iface, reason=lead_tagged(SIGN_OUT_REASON, lead or self.lead))
        snap = await self.pbx.queue_status(member=iface)
        n = 0
        for q in {m.queue for m in snap.members if m.interface == iface}:
            n += await self.pbx.queue_remove(queue=q, interface=iface)
        return n

    # --- AMI ----------------------------------------------------------------------------------------------------------

    def _on_ami(self, m: AmiMessage) -> None:
        self.team.feed(m)
        if m.event == "ChanSpyStart" and m.get("SpyerChannel").startswith(f"PJSIP/{self.lead}-"):
            self._spy_channel = m.get("SpyerChannel")
            self._changed.set()
        elif m.event == "ChanSpyStop" and self._spy_channel and m.get("SpyerChannel") == self._spy_channel:
            agent = self.spying
            self.spying = self.mode = self._spy_channel = self._spy_ref = None
            if agent is not None:
                self.bus.publish(ev.SpyDidStop(agent_extension=agent, reason="the call ended"))

    def _on_up(self, address: PbxAddress) -> None:
        self.bus.publish(ev.LinkDidConnect(address=str(address)))
        task = asyncio.get_running_loop().create_task(self._reload())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reload(self) -> None:
        with contextlib.suppress(CtiError):
            await self.team.load(self.pbx)

    def _on_down(self, address: PbxAddress, reason: str) -> None:
        self.bus.publish(ev.LinkDidDrop(address=str(address), reason=reason))
