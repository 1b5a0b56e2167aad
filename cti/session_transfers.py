"""Transfers and conference for the agent session: blind (supervised to agents), consult/complete/cancel/swap,
survey, three-way conference in the agent's ConfBridge room, dropping a party."""

from __future__ import annotations

import contextlib
import re

from cti import events as ev
from cti.errors import ActionFailed, CommandFailed, CtiError, TransferFailed
from cti.session_calls import CallCommands, readable_cause
from cti.softphone import SoftphoneError
from cti.state import ON_CALL, PartyLeft, Status


class TransferCommands(CallCommands):
    """Mixed into AgentSession: moving the caller elsewhere, or bringing a third party in."""

    # --- transfers ---------------------------------------------------------------------------------------------------------

    async def blind_transfer(self, target: str) -> None:
        """Send the caller to an extension, a queue or an external number; the agent is then free.

        To an agent's extension the transfer is supervised: the desk calls the target first and hands the
        caller over once it answers, so a busy, unregistered or silent target never loses the caller."""
        async with self._lock:
            self._check("blind_transfer")
            await self._precheck(target, "blind")
            if re.fullmatch(self.config.internal_extensions, target):
                await self._consult(target, kind="blind")
                await self._complete(kind="blind")
            else:
                await self._ami_transfer(target, "blind")

    async def transfer_to_survey(self) -> None:
        """Send the caller to the satisfaction survey; the score arrives as SurveyDidScore for this linkedid."""
        async with self._lock:
            self._check("transfer_to_survey")
            await self._ami_transfer(self.config.survey_extension, "survey")

    async def _ami_transfer(self, target: str, kind: str) -> None:
        main = self._need_main()
        try:
            await self.pbx.blind_transfer(channel=main.channel, exten=target, context=self.config.dial_context)
        except (ActionFailed, CtiError) as e:
            self.bus.publish(ev.TransferDidFail(kind=kind, target=target, reason=str(e)))
            raise TransferFailed(target, str(e)) from e
        await self.until(lambda: self.status not in ON_CALL, f"the transfer to {target}")
        self.bus.publish(ev.TransferDidComplete(kind=kind, target=target, linkedid=main.linkedid))

    async def consult(self, target: str) -> None:
        """Hold the caller and call ``target``; returns once the target answers, else restores the call."""
        async with self._lock:
            self._check("consult")
            await self._precheck(target, "attended")
            await self._consult(target, kind="attended")

    async def _consult(self, target: str, *, kind: str) -> None:
        if self.status == Status.TALKING:
            await self._sip(self.phone.hold(await self._answered_ref()))
            await self.until(lambda: self.status == Status.HELD, "the hold")
        self._consult_end = None
        try:
            ref = await self._sip(self.phone.dial(target))
        except CommandFailed as e:
            await self._resume_main()
            raise TransferFailed(target, readable_cause(str(e))) from e
        self._consult_ref, self._consult_target, self._consult_active = ref, target, True
        try:
            await self.until(self._consult_settled, f"the consult call to {target}",
                             within=self.config.consult_timeout)
        except CommandFailed:
            with contextlib.suppress(SoftphoneError):
                await self.phone.hangup(ref)
            self._consult_end = "no answer"
        if self._consult_answered() and self._consult_end is None:
            self.bus.publish(ev.ConsultDidStart(call_ref=ref, target=target))
            return
        why = readable_cause(self._consult_end or self._ref_ended.get(ref) or "no answer")
        with contextlib.suppress(SoftphoneError, CommandFailed):
            await self.until(lambda: self.status != Status.CONSULTING, "the end of the consult call")
        await self._resume_main()
        self.bus.publish(ev.TransferDidFail(kind=kind, target=target, reason=why))
        raise TransferFailed(target, why)

    def _consult_settled(self) -> bool:
        if self._consult_end is not None or (self._consult_ref or "") in self._ref_ended:
            return True
        return self._consult_answered()

    def _consult_answered(self) -> bool:
        """The target answered: AMI shows the consult leg up *and* the softphone has confirmed the call. AMI can
        report the answer before the 200 OK reaches the engine; transferring then is refused ("not answered yet")."""
        leg = self._consult_leg()
        return (self.status == Status.CONSULTING and leg is not None and leg.answered
                and (self._consult_ref or "") in self._ref_answered)

    async def _resume_main(self) -> None:
        if self.status == Status.HELD:
            await self._sip(self.phone.unhold(await self._ref()))
            await self.until(lambda: self.status == Status.TALKING, "the resume")

    async def complete_transfer(self) -> None:
        """Join the caller with the consulted party; the agent is then free."""
        async with self._lock:
            self._check("complete_transfer")
            await self._complete(kind="attended")

    async def _complete(self, *, kind: str) -> None:
        main, consult = await self._ref(), self._consult_ref
        if consult is None:
            raise CommandFailed("There is no consult call to transfer to")
        target, linkedid = self._consult_target, self._need_main().linkedid
        try:
            await self._sip(self.phone.attended_transfer(main, consult))
            await self.until(lambda: self.status not in ON_CALL, f"the transfer to {target}")
        except CommandFailed as e:
            self.bus.publish(ev.TransferDidFail(kind=kind, target=target, reason=str(e)))
            raise TransferFailed(target, str(e)) from e
        self.bus.publish(ev.TransferDidComplete(kind=kind, target=target, linkedid=linkedid))

    async def cancel_consult(self) -> None:
        """Hang up the consult call and go back to the caller."""
        async with self._lock:
            self._check("cancel_consult")
            await self._cancel_consult()

    async def _cancel_consult(self) -> None:
        if self._consult_ref is not None:
            await self._sip(self.phone.hangup(self._consult_ref))
        await self.until(lambda: self.status != Status.CONSULTING, "the end of the consult call")
        self.bus.publish(ev.ConsultDidEnd(call_ref=self._consult_ref or "", target=self._consult_target,
                                          reason="cancelled"))
        self._consult_ref = None
        await self._resume_main()

    async def swap(self) -> None:
        """Switch between the caller and the consulted party (the other one is held)."""
        async with self._lock:
            self._check("swap")
            main, consult = await self._ref(), self._consult_ref
            if consult is None:
                raise CommandFailed("There is no consult call to swap with")
            hold, resume = (consult, main) if self._consult_active else (main, consult)
            await self._sip(self.phone.hold(hold))
            await self._sip(self.phone.unhold(resume))
            self._consult_active = not self._consult_active

    # --- conference -----------------------------------------------------------------------------------------------------

    async def conference(self) -> None:
        """Join the caller, the consulted party and the agent in the agent's ConfBridge room."""
        async with self._lock:
            self._check("conference")
            main, consult = self._need_main(), self._consult_leg()
            if consult is None or not main.peer_channel or not consult.peer_channel:
                raise CommandFailed("The PBX has not reported both parties of the consult yet")
            room = self.config.conference_room
            parties = {"caller": main.peer_channel, "consulted": consult.peer_channel}
            self._moving = True
            try:
                await self.pbx.redirect(channel=parties["caller"], extra_channel=parties["consulted"], exten=room,
                                        context=self.config.dial_context)
                ref = await self._sip(self.phone.dial(room))
                self._main_ref, self._consult_ref = ref, None
                await self.until(lambda: self.status == Status.CONFERENCING, "the conference")
            except CtiError:
                self._moving = False
                self._reconcile()
                raise
            self._conf_parties = parties
            self._main_uid = next((leg.uniqueid for leg in self.legs.live if leg.in_conference), self._main_uid)
            self.bus.publish(ev.ConferenceDidStart(room=room))

    @property
    def conference_parties(self) -> dict[str, str]:
        """The other parties in the conference: 'caller' and/or 'consulted' -> channel."""
        return dict(self._conf_parties)

    async def drop_party(self, party: str) -> None:
        """Drop 'caller' or 'consulted' from the conference."""
        async with self._lock:
            self._check("drop_party")
            chan = self._conf_parties.get(party)
            if chan is None:
                raise CommandFailed(f"No party '{party}' in the conference; parties: {', '.join(self._conf_parties)}")
            room = self.config.conference_room
            await self.pbx.confbridge_kick(conference=room, channel=chan)
            del self._conf_parties[party]
            self.bus.publish(ev.ConferencePartyDidLeave(room=room, channel=chan))
            if len(self._conf_parties) <= 1:
                self._feed(PartyLeft(at=self.clock()))
