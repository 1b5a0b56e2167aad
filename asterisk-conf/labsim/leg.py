"""One pjsua2 call of the lab's test phones: state, DTMF, X-CSD headers, media, transfer, RTP counters."""

from __future__ import annotations

import contextlib
import re
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import pjsua2 as pj

if TYPE_CHECKING:
    from labsim.phone import Line

HEADER_RE = re.compile(r"^(X-CSD-[A-Za-z]+):\s*(.*?)\s*$", re.M | re.I)


class PhoneError(RuntimeError):
    """A pjsua2 operation failed or an expected SIP event did not happen in time."""


def _wav_closed(path: Path) -> bool:
    """Return True once a WAV file's RIFF size is filled in (pjmedia writes it when it closes the file)."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return len(head) == 8 and head[4:8] != b"\x00\x00\x00\x00"


class Leg(pj.Call):  # type: ignore[misc]
    """One call: its state, received DTMF, the X-CSD headers of its INVITE, and media wiring."""

    def __init__(self, line: Line, call_id: int = pj.PJSUA_INVALID_ID, invite: str = "") -> None:
        super().__init__(line, call_id)
        # Back references are weak: a pjsua2 object caught in a reference cycle would be freed by the
        # cyclic GC on whatever thread runs it, and pjlib aborts on an unregistered thread.
        self._line = weakref.ref(line)
        self.state = pj.PJSIP_INV_STATE_NULL
        self.last_code = 0
        self.media_active = False
        self.dtmf_received = ""
        self.transfer_code = 0  # last sipfrag status of a transfer this leg asked for
        self.headers = {k.lower(): v for k, v in HEADER_RE.findall(invite)}
        self.invite = invite
        self._player: pj.AudioMediaPlayer | None = None
        self._recorder: pj.AudioMediaRecorder | None = None
        self._play_path: Path | None = None
        self._record_path: Path | None = None

    @property
    def line(self) -> Line:
        line = self._line()
        if line is None:
            raise PhoneError("the line of this call is gone")
        return line

    # --- pjsua2 callbacks (on the owning thread, inside libHandleEvents) ---
    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        ci = self.getInfo()
        self.state = ci.state
        self.last_code = int(ci.lastStatusCode)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        ci = self.getInfo()
        for i, mi in enumerate(ci.media):
            if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.media_active = True
                self._wire(self.getAudioMedia(i))

    def onCallTransferStatus(self, prm: pj.OnCallTransferStatusParam) -> None:
        self.transfer_code = int(prm.statusCode)
        if prm.finalNotify and 200 <= prm.statusCode < 300:
            prm.cont = False
            self.hangup()  # as a desk phone does: the transfer is done, leave the call

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        self.dtmf_received += prm.digit

    # --- media ---
    def _wire(self, med: pj.AudioMedia) -> None:
        if self._play_path is not None and self._player is None:
            self._player = pj.AudioMediaPlayer()
            self._player.createPlayer(str(self._play_path), 0)
        if self._player is not None:
            self._player.startTransmit(med)
        if self._recorder is not None:
            med.startTransmit(self._recorder)

    def play(self, wav: Path) -> None:
        """Play ``wav`` (looping) into the call, now or as soon as media is up."""
        self._play_path = wav
        self._player = None
        if self.media_active:
            self._wire(self._audio())

    def record(self, wav: Path) -> None:
        """Record what this leg receives into ``wav`` (until stop_recording() or the end of the call)."""
        self._record_path = wav
        self._recorder = pj.AudioMediaRecorder()
        self._recorder.createRecorder(str(wav))
        if self.media_active:
            self._audio().startTransmit(self._recorder)

    def stop_recording(self) -> None:
        """Stop recording and wait until the WAV file is closed (its header is complete only then)."""
        if self._recorder is None:
            return
        if self.media_active and not self.ended:
            self._audio().stopTransmit(self._recorder)
        self._recorder = None  # pjmedia closes the file on its clock thread, shortly after
        path = self._record_path
        if path is not None:
            self.line.phones.wait(lambda: _wav_closed(path), 5, f"{path.name} to be closed")

    def _audio(self) -> pj.AudioMedia:
        ci = self.getInfo()
        for i, mi in enumerate(ci.media):
            if mi.type == pj.PJMEDIA_TYPE_AUDIO:
                return self.getAudioMedia(i)
        raise PhoneError("the call has no audio stream")

    # --- commands ---
    def answer(self, code: int = 200) -> None:
        """Answer an incoming call (180 to ring, 200 to answer)."""
        prm = pj.CallOpParam(True)
        prm.statusCode = code
        super().answer(prm)

    def hangup(self) -> None:
        """Hang up (or reject/cancel) the call; no-op when it already ended."""
        if self.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            return
        prm = pj.CallOpParam(True)
        prm.statusCode = pj.PJSIP_SC_DECLINE if self.state == pj.PJSIP_INV_STATE_INCOMING else 0
        with contextlib.suppress(pj.Error):
            super().hangup(prm)

    def dtmf(self, digits: str) -> None:
        """Send DTMF (RFC 4733) into the call."""
        self.dialDtmf(digits)

    def hold(self) -> None:
        """Put the call on hold (re-INVITE sendonly)."""
        self.setHold(pj.CallOpParam(True))

    def unhold(self) -> None:
        """Take the call off hold."""
        prm = pj.CallOpParam(True)
        prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        self.reinvite(prm)

    def transfer(self, target: str) -> None:
        """Blind-transfer the far end to ``target`` (an extension at the lab, or a full URI)."""
        uri = target if target.startswith("sip") else self.line.phones.lab.sip_uri(target)
        self.xfer(uri, pj.CallOpParam(True))

    def rtp_packets(self) -> tuple[int, int]:
        """Return (sent, received) RTP packet counts of the audio stream."""
        ci = self.getInfo()
        for i, mi in enumerate(ci.media):
            if mi.type == pj.PJMEDIA_TYPE_AUDIO:
                st = self.getStreamStat(i)
                return int(st.rtcp.txStat.pkt), int(st.rtcp.rxStat.pkt)
        return 0, 0

    @property
    def connected(self) -> bool:
        return bool(self.state == pj.PJSIP_INV_STATE_CONFIRMED)

    @property
    def ended(self) -> bool:
        return bool(self.state == pj.PJSIP_INV_STATE_DISCONNECTED)
