"""The pjsua2 objects of the engine: the audio port, the account and the call, each forwarding to the Engine.

Every method here runs on the engine's one pjsua2 thread, except the port's frame callbacks, which run
on pjmedia's clock thread and touch only the AudioBridge.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pjsua2 as pj

from cti.engine.backends import FRAME_BYTES, RATE, realtime_thread

if TYPE_CHECKING:
    from cti.engine.audio import AudioBridge
    from cti.engine.core import Engine

log = logging.getLogger(__name__)
DEFER = object()  # a command handler's result meaning "the reply comes later"
SIP_ERRNO_BASE = 170000  # PJSIP_ERRNO_START: pj status = base + SIP status code


class CommandError(Exception):
    """A command failed; ``reason`` is readable, ``sip_status`` is 0 when no SIP status applies."""

    def __init__(self, reason: str, sip_status: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.sip_status = sip_status


def status_op(code: int) -> Any:
    """Return a CallOpParam carrying a SIP status code (answer, reject)."""
    prm = pj.CallOpParam()
    prm.statusCode = code
    return prm


def from_pj(exc: Exception, doing: str) -> CommandError:
    """Turn a pjsua2 error into a CommandError, recovering the SIP status when it carries one."""
    status = int(getattr(exc, "status", 0) or 0)
    sip = status - SIP_ERRNO_BASE if SIP_ERRNO_BASE + 100 <= status < SIP_ERRNO_BASE + 700 else 0
    reason = str(getattr(exc, "reason", "") or exc).strip()
    return CommandError(f"{doing} failed: {reason}", sip)


def _vector_reader() -> Callable[[Any], bytes]:
    """Return a fast ``ByteVector -> bytes`` (SWIG's own conversion costs ~400 µs per 20 ms frame).

    The fast path reads the std::vector's [begin, end) pointers (libstdc++ layout) through ctypes; it is
    used only if it reads a probe vector correctly, else the slow, safe conversion is kept.
    """
    word = ctypes.sizeof(ctypes.c_void_p)

    def fast(vec: Any) -> bytes:
        addr = int(vec.this)
        begin = ctypes.c_void_p.from_address(addr).value or 0
        end = ctypes.c_void_p.from_address(addr + word).value or 0
        return ctypes.string_at(begin, end - begin) if end > begin else b""

    probe = bytes(range(256)) * 3
    try:
        if fast(pj.ByteVector(probe)) == probe and fast(pj.ByteVector(b"")) == b"":
            return fast
    except Exception:
        log.warning("fast frame conversion unavailable; using the slow one")
    return lambda vec: bytes(vec)


read_vector = _vector_reader()


class BridgePort(pj.AudioMediaPort):  # type: ignore[misc]
    """Exchange frames between the conference bridge and the AudioBridge."""

    def __init__(self, bridge: AudioBridge) -> None:
        super().__init__()
        self.bridge = bridge
        fmt = pj.MediaFormatAudio()
        fmt.type = pj.PJMEDIA_TYPE_AUDIO
        fmt.clockRate = RATE
        fmt.channelCount = 1
        fmt.bitsPerSample = 16
        fmt.frameTimeUsec = 20000
        self.createPort("csdesk-headset", fmt)
        self._rt = False

    def onFrameRequested(self, frame: Any) -> None:
        if not self._rt:  # the first call runs on pjmedia's clock thread: make it real-time too
            self._rt = True
            realtime_thread()
        try:
            frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
            frame.buf = pj.ByteVector(self.bridge.to_call())
            frame.size = FRAME_BYTES
        except Exception:
            log.exception("frame to call")

    def onFrameReceived(self, frame: Any) -> None:
        try:
            if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO and frame.size == FRAME_BYTES:
                self.bridge.from_call(read_vector(frame.buf))
        except Exception:
            log.exception("frame from call")


class EngineAccount(pj.Account):  # type: ignore[misc]
    """Forward registration changes and incoming calls to the Engine."""

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine

    def onRegState(self, prm: Any) -> None:
        self.engine.on_reg_state(int(prm.code), str(prm.reason), int(prm.expiration))

    def onIncomingCall(self, prm: Any) -> None:
        self.engine.on_incoming(self, int(prm.callId), str(prm.rdata.wholeMsg))


class EngineCall(pj.Call):  # type: ignore[misc]
    """One call; the engine names it by ``ref``."""

    def __init__(self, engine: Engine, acc: pj.Account, ref: str, direction: str,
                 call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(acc, call_id)
        self.engine = engine
        self.ref = ref
        self.direction = direction
        self.confirmed = False
        self.ended = False
        self.muted = False
        self.on_hold = False
        self.glare_retries = 0  # re-INVITEs of the pending hold/resume sent again after a 491 (core.GLARE_RETRIES)
        self.answered_at = 0.0
        self.quality_prev: tuple[int, int] = (0, 0)

    def onCallState(self, prm: Any) -> None:
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_CONFIRMED and not self.confirmed:
            self.confirmed = True
            self.engine.on_call_confirmed(self)
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED and not self.ended:
            self.ended = True
            self.engine.on_call_disconnected(self, int(info.lastStatusCode), str(info.lastReason))

    def onCallMediaState(self, prm: Any) -> None:
        self.engine.on_call_media(self)

    def onCallTsxState(self, prm: Any) -> None:
        tsx = prm.e.body.tsxState.tsx
        if tsx.method == "INVITE" and tsx.role == pj.PJSIP_ROLE_UAC and tsx.state == pj.PJSIP_TSX_STATE_COMPLETED:
            self.engine.on_call_reinvite_done(self, int(tsx.statusCode), str(tsx.statusText))

    def onCallTransferStatus(self, prm: Any) -> None:
        self.engine.on_transfer_status(self, int(prm.statusCode), str(prm.reason), bool(prm.finalNotify))
        prm.cont = not prm.finalNotify

    def audio_media(self) -> list[tuple[int, Any]]:
        """Return (index, AudioMedia) for each active audio stream of this call."""
        found = []
        info = self.getInfo()  # keep it alive while reading its media vector
        for i, mi in enumerate(info.media):
            if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                found.append((i, self.getAudioMedia(i)))
        return found
