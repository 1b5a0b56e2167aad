"""Pure parts of the engine: the wire format, INVITE parsing, the E-model and the echo-test measure."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cti.engine import wire
from cti.engine.echo import chirp, measure
from cti.engine.invite import parse_offer
from cti.engine.quality import estimate
from cti.engine.translate import to_event
from cti.events import CallDidOffer

INVITE = (
    "INVITE sip:1001@127.0.0.1:5060 SIP/2.0\r\n"
    'From: "Customer" <sip:13800138000@127.0.0.1>;tag=abc\r\n'
    "To: <sip:1001@127.0.0.1>\r\n"
    "X-CSD-Queue: claims-auto\r\n"
    "x-csd-linkedid: 1700000000.1\r\n"
    "X-CSD-Uniqueid: 1700000000.2\r\n"
    "X-CSD-Policy: 88001234\r\n"
    "X-CSD-Menu: 1\r\n"
    "\r\n"
    "v=0\r\nX-CSD-Queue: not-a-header\r\n"
)


def test_wire_round_trip_and_checks() -> None:
    frame = wire.encode("cmd", id=7, op="hold", args={"call_ref": "a-1"})
    msg = wire.decode(frame[4:])
    assert (msg.t, msg.body["id"], msg.body["op"]) == ("cmd", 7, "hold")
    assert wire.frame_length(frame[:4]) == len(frame) - 4
    with pytest.raises(wire.WireError, match="version"):
        wire.decode(b'{"v": 99, "t": "cmd", "id": 1, "op": "x", "args": {}}')
    with pytest.raises(wire.WireError, match="needs id"):
        wire.decode(b'{"v": 1, "t": "cmd", "op": "x", "args": {}}')
    with pytest.raises(wire.WireError, match="unknown message type"):
        wire.encode("shell", cmd="rm")
    with pytest.raises(wire.WireError, match="too large"):
        wire.frame_length((wire.MAX_FRAME + 1).to_bytes(4, "big"))


def test_offer_headers_are_read_from_the_header_block_only() -> None:
    offer = parse_offer(INVITE)
    assert offer["caller_id"] == "13800138000"
    assert offer["queue"] == "claims-auto"
    assert offer["linkedid"] == "1700000000.1"
    assert offer["uniqueid"] == "1700000000.2"
    assert offer["ivr_vars"] == {"CSD_POLICY": "88001234", "CSD_MENU": "1"}
    event = to_event("call_did_offer", {"call_ref": "x-1", "direction": "inbound", "extra": 1, **offer})
    assert isinstance(event, CallDidOffer)
    assert event.ivr_vars["CSD_POLICY"] == "88001234"


def test_mos_falls_with_loss_delay_and_jitter() -> None:
    clean = estimate(jitter_ms=1, loss_pct=0, rtt_ms=2)
    assert clean.mos > 4.3
    assert estimate(jitter_ms=1, loss_pct=5, rtt_ms=2).mos < clean.mos - 0.5
    assert estimate(jitter_ms=1, loss_pct=0, rtt_ms=700).mos < clean.mos - 0.5
    assert estimate(jitter_ms=60, loss_pct=0, rtt_ms=2).mos < clean.mos
    assert estimate(jitter_ms=0, loss_pct=100, rtt_ms=0).mos < 2.0


def test_echo_measure_finds_the_delay_of_a_chirp() -> None:
    probe = chirp()
    rx = np.zeros(16000 * 2, np.int16)
    rx[3200 : 3200 + len(probe)] = probe // 2  # 200 ms later, 6 dB down
    delay, score = measure(probe, rx)
    assert delay == pytest.approx(200.0, abs=1)
    assert score > 0.9
    assert measure(probe, np.random.default_rng(1).integers(-50, 50, 32000).astype(np.int16))[1] < 0.3


WAKE_PROBE = """
import sys
import pjsua2 as pj
from cti.engine.endpoint import create_endpoint
from cti.engine.link import Waker
ep, ports = create_endpoint(bind="127.0.0.1", sip_port=0)
waker = Waker("127.0.0.1", ports["udp"])
ep.libHandleEvents(50)  # settle whatever start-up left
waker()
handled = ep.libHandleEvents(30000)  # returns once the wake-up datagram is handled, not after 30 s
waker.close()
ep.libDestroy()
print("handled", handled)
"""


def test_waker_wakes_the_pjsua2_poll_and_pjsip_ignores_it() -> None:
    """The link's wake-up (a CRLF keep-alive to the engine's own UDP transport) is an event the poll
    handles, and pjsip neither answers nor logs it as a bad message."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", WAKE_PROBE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.split()[-1]) > 0
    assert "error" not in out.stderr.lower(), out.stderr
    assert "bad" not in out.stderr.lower(), out.stderr


def test_late_backend_is_built_when_used_and_again_after_a_failure() -> None:
    """No sound server yet: every use fails with OSError (the bridge reports the headset unavailable), building
    is tried again only after ``retry`` seconds, and once it succeeds the real backend serves."""
    from cti.engine.backends import LateBackend

    now = [100.0]
    built: list[str] = []
    server_up = [False]

    class Real:
        name = "pulse"

        def devices(self) -> list[dict[str, str]]:
            return [{"name": "headset", "kind": "out", "host": "pulse"}]

    def factory(name: str) -> Any:
        built.append(name)
        if not server_up[0]:
            raise OSError("PulseAudio: no sound server")
        return Real()

    b = LateBackend("pulse", factory=factory, retry=2.0, clock=lambda: now[0])
    assert built == []  # nothing is built before it is needed
    assert not b.ready
    with pytest.raises(OSError, match="no sound server"):
        b.devices()
    server_up[0] = True
    with pytest.raises(OSError, match="not available"):  # within the retry interval: not tried again
        b.open_output("headset", lambda: b"", lambda why: None)
    assert built == ["pulse"]
    now[0] += 2.5
    assert b.devices()[0]["name"] == "headset"
    assert built == ["pulse", "pulse"]
    assert b.ready
    with pytest.raises(ValueError, match="unknown audio backend"):
        LateBackend("alsa")


def test_late_backend_lets_go_of_a_dead_sound_server_connection_and_builds_a_new_one() -> None:
    from cti.engine.backends import LateBackend

    now = [100.0]
    server_up = [True]
    built: list[Any] = []

    class Real:
        name = "pulse"

        def __init__(self) -> None:
            self.alive = True
            self.closed_with: float | None = None

        def devices(self) -> list[dict[str, str]]:
            return [{"name": "headset", "kind": "out", "host": "pulse"}]

        def close(self, timeout: float = 3.0) -> None:
            self.closed_with = timeout

    def factory(name: str) -> Any:
        if not server_up[0]:
            raise OSError("PulseAudio: no sound server")
        built.append(Real())
        return built[-1]

    b = LateBackend("pulse", factory=factory, retry=2.0, clock=lambda: now[0])
    b.devices()
    first = built[0]
    first.alive, server_up[0] = False, False  # the server died
    with pytest.raises(OSError, match="no sound server"):
        b.devices()
    assert first.closed_with == 0  # released without blocking the engine's thread on its streams
    assert not b.ready
    server_up[0] = True
    now[0] += 2.5
    assert b.devices()[0]["name"] == "headset"
    assert len(built) == 2
    assert b.ready
    assert built[1].alive


def test_a_new_headset_stream_gets_time_to_start_before_it_counts_as_stalled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Bluetooth headset switching profile, or a sound server asked for its first buffer, may take seconds to
    move the first frame; a stream that moved frames and stopped is reopened after STALL as before."""
    from cti.engine import audio

    now = [100.0]
    monkeypatch.setattr(audio.time, "monotonic", lambda: now[0])
    opened: list[str] = []

    class Stream:
        def close(self) -> None:
            pass

    class Backend:
        name = "fake"

        def devices(self) -> list[dict[str, str]]:
            return []

        def open_output(self, device: str | None, pull: Any, on_error: Any, on_underflow: Any = None) -> Stream:
            opened.append("out")
            return Stream()

        def open_input(self, device: str | None, push: Any, on_error: Any) -> Stream:
            opened.append("in")
            return Stream()

    bridge = audio.AudioBridge(Backend())
    bridge.start()
    assert opened == ["out", "in"]
    now[0] = 100.0 + audio.OPEN_GRACE - 0.5  # silent so far, but still starting
    bridge.watch()
    assert opened == ["out", "in"]
    now[0] = 100.0 + audio.OPEN_GRACE + 0.5  # never started: reopened
    bridge.watch()
    assert sorted(opened[2:]) == ["in", "out"]
    reopened = now[0]
    now[0] = reopened + audio.OPEN_GRACE - 0.2
    bridge._pull_headset()  # the new streams run...
    bridge._push_mic(bytes(640))
    now[0] = reopened + audio.OPEN_GRACE + 0.5
    bridge.watch()
    assert len(opened) == 4
    now[0] = reopened + audio.OPEN_GRACE - 0.2 + audio.STALL + 0.1  # ...then stop: reopened at STALL, as ever
    bridge.watch()
    assert len(opened) == 6
    assert sorted(opened[4:]) == ["in", "out"]


class _GlareCall:
    """Enough of an EngineCall for the re-INVITE outcome logic; records what is sent to pjsua2."""

    def __init__(self, direction: str) -> None:
        self.ref, self.direction, self.ended, self.glare_retries = "c1", direction, False, 0
        self.sent: list[str] = []

    def setHold(self, _prm: Any) -> None:
        self.sent.append("hold")

    def reinvite(self, prm: Any) -> None:
        self.sent.append("unhold")


def _glare_engine() -> Any:
    from cti.engine.core import Engine

    engine = Engine.__new__(Engine)  # only the parts the re-INVITE outcome uses
    engine.pending, engine.timers, engine.replies = {}, [], []
    engine.send = lambda kind, body: engine.replies.append((kind, body))
    return engine


@pytest.mark.parametrize(("direction", "lo", "hi"), [("outbound", 2.1, 4.0), ("inbound", 0.0, 2.0)])
def test_a_hold_that_meets_glare_is_sent_again_after_the_rfc_wait(direction: str, lo: float, hi: float) -> None:
    """491 Request Pending (the far end's re-INVITE crossed ours): RFC 3261 14.1 says wait a random 2.1-4 s when
    this side chose the Call-ID (it placed the call), else 0-2 s, and try again. The CSR's hold then succeeds."""
    import time

    engine = _glare_engine()
    call = _GlareCall(direction)
    engine.defer(call, "hold", 7)
    before = time.monotonic()
    engine.on_call_reinvite_done(call, 491, "Request Pending")
    assert engine.replies == []  # not failed: waiting to try again
    (when, again), = engine.timers
    assert lo <= when - before <= hi + 0.1
    again()
    assert call.sent == ["hold"]
    engine.settle(call, "hold")  # the second re-INVITE went through
    assert engine.replies == [("ok", {"id": 7, "result": None})]


def test_glare_again_and_again_fails_the_hold_with_its_reason_after_two_more_tries() -> None:
    engine = _glare_engine()
    call = _GlareCall("inbound")
    engine.defer(call, "unhold", 9)
    for _ in range(2):
        engine.on_call_reinvite_done(call, 491, "Request Pending")
        engine.timers.pop()[1]()
    engine.on_call_reinvite_done(call, 491, "Request Pending")
    assert call.sent == ["unhold", "unhold"]
    assert engine.replies == [("err", {"id": 9, "reason": "unhold failed: Request Pending", "sip_status": 491})]
    assert engine.timers == []


def test_a_retry_due_after_the_call_ended_sends_nothing() -> None:
    engine = _glare_engine()
    call = _GlareCall("outbound")
    engine.defer(call, "hold", 3)
    engine.on_call_reinvite_done(call, 491, "Request Pending")
    call.ended = True
    engine.timers.pop()[1]()
    assert call.sent == []


def test_a_command_that_fails_unexpectedly_is_answered_with_its_error_and_the_engine_goes_on(
        caplog: pytest.LogCaptureFixture) -> None:
    """A defect in one command (here a KeyError carrying a caller's number) used to leave the command loop and end
    the engine with every call it held. It is answered as an error; the log names the type and place, not the
    text."""
    engine = _glare_engine()

    class Broken:
        def handlers(self) -> dict[str, Any]:
            def boom(cid: int) -> None:
                raise KeyError("13800138000")
            return {"devices": boom, "info": lambda cid: {"pid": 1}}

    engine.commands = Broken()
    engine.execute(4, "devices", {})
    engine.execute(5, "info", {})
    assert engine.replies == [
        ("err", {"id": 4, "reason": "devices failed inside the engine (KeyError)", "sip_status": 0}),
        ("ok", {"id": 5, "result": {"pid": 1}}),
    ]
    assert "KeyError" in caplog.text
    assert "test_engine_units.py" in caplog.text
    assert "13800138000" not in caplog.text
