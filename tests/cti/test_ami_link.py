"""The AMI link against a scripted loopback AMI server: timeouts, typed errors, heartbeat, failover."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from fake_ami import FakeAmi

from cti.ami.link import AmiLink, PbxAddress
from cti.ami.message import AmiMessage
from cti.errors import ActionFailed, ActionTimeout, LinkDown, LoginFailed

WAIT = 20.0  # generous; only for waiting


class Recorder:
    def __init__(self) -> None:
        self.events: list[AmiMessage] = []
        self.ups: list[PbxAddress] = []
        self.downs: list[tuple[PbxAddress, str]] = []
        self.changed = asyncio.Event()

    def on_event(self, m: AmiMessage) -> None:
        self.events.append(m)
        self.changed.set()

    def on_up(self, a: PbxAddress) -> None:
        self.ups.append(a)
        self.changed.set()

    def on_down(self, a: PbxAddress, why: str) -> None:
        self.downs.append((a, why))
        self.changed.set()

    async def until(self, predicate: object) -> None:
        async with asyncio.timeout(WAIT):
            while not predicate():  # type: ignore[operator]
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture
async def server() -> AsyncIterator[FakeAmi]:
    s = await FakeAmi().start()
    yield s
    await s.close()


def make_link(rec: Recorder, *servers: FakeAmi, secret: str = "s3cret", heartbeat: float = 0.3) -> AmiLink:
    return AmiLink(
        addresses=[PbxAddress(s.host, s.port) for s in servers],
        username="desk1001", secret=secret, on_event=rec.on_event, on_up=rec.on_up, on_down=rec.on_down,
        action_timeout=0.5, heartbeat_seconds=heartbeat, connect_timeout=1.0, backoff=(0.1, 0.2),
    )


async def test_logs_in_and_returns_typed_replies(server: FakeAmi) -> None:
    rec = Recorder()
    server.handlers["queuepause"] = lambda a: [{"Response": "Success", "Message": "Interface paused successfully"}]
    link = make_link(rec, server)
    link.start()
    await link.wait_up(WAIT)
    reply = await link.send({"Action": "QueuePause", "Interface": "PJSIP/1001", "Paused": "true"})
    assert isinstance(reply, AmiMessage)
    assert reply.ok
    assert server.received[-1]["interface"] == "PJSIP/1001"
    await link.stop()


async def test_queue_add_reply_resolves(server: FakeAmi) -> None:
    """panoramisk 1.4 never resolves QueueAdd's 'Added interface to queue'; this link must."""
    rec = Recorder()
    server.handlers["queueadd"] = lambda a: [{"Response": "Success", "Message": "Added interface to queue"}]
    link = make_link(rec, server)
    link.start()
    await link.wait_up(WAIT)
    reply = await link.send({"Action": "QueueAdd", "Queue": "service", "Interface": "PJSIP/1001"}, limit=WAIT)
    assert isinstance(reply, AmiMessage)
    assert reply.message == "Added interface to queue"
    await link.stop()


async def test_a_silent_pbx_gives_a_timeout_and_the_link_stays_up(server: FakeAmi) -> None:
    rec = Recorder()
    server.handlers["queueremove"] = lambda a: None
    link = make_link(rec, server, heartbeat=30)
    link.start()
    await link.wait_up(WAIT)
    with pytest.raises(ActionTimeout, match="did not answer QueueRemove"):
        await link.send({"Action": "QueueRemove", "Queue": "service", "Interface": "PJSIP/1001"})
    assert link.up
    await link.stop()


async def test_an_error_reply_is_an_action_failed_with_the_pbx_words(server: FakeAmi) -> None:
    rec = Recorder()
    server.handlers["redirect"] = lambda a: [{"Response": "Error", "Message": "Channel does not exist: x"}]
    link = make_link(rec, server)
    link.start()
    await link.wait_up(WAIT)
    with pytest.raises(ActionFailed, match="Channel does not exist") as err:
        await link.send({"Action": "Redirect", "Channel": "x"})
    assert err.value.action == "Redirect"
    await link.stop()


async def test_list_actions_collect_until_complete(server: FakeAmi) -> None:
    rec = Recorder()
    server.handlers["queuestatus"] = lambda a: [
        {"Response": "Success", "EventList": "start", "Message": "Queue status will follow"},
        {"Event": "QueueMember", "Queue": "service", "StateInterface": "PJSIP/1001", "Paused": "1"},
        {"Event": "QueueStatusComplete", "EventList": "Complete"},
    ]
    server.handlers["coreshowchannels"] = lambda a: [{"Response": "Error", "Message": "Permission denied"}]
    link = make_link(rec, server)
    link.start()
    await link.wait_up(WAIT)
    msgs = await link.send({"Action": "QueueStatus"}, as_list=True)
    assert isinstance(msgs, list)
    assert [m.event for m in msgs[1:]] == ["QueueMember", "QueueStatusComplete"]
    with pytest.raises(ActionFailed, match="Permission denied"):
        await link.send({"Action": "CoreShowChannels"}, as_list=True)
    assert rec.events == [], "list items are replies, not events"
    await link.stop()


async def test_events_reach_the_handler(server: FakeAmi) -> None:
    rec = Recorder()
    link = make_link(rec, server)
    link.start()
    await link.wait_up(WAIT)
    server.emit({"Event": "QueueMemberPause", "Queue": "service", "Paused": "1", "PausedReason": "x"})
    await rec.until(lambda: rec.events)
    assert rec.events[0].event == "QueueMemberPause"
    assert rec.events[0].get("pausedreason") == "x"
    await link.stop()


async def test_wrong_secret_is_a_readable_login_failure(server: FakeAmi) -> None:
    rec = Recorder()
    link = make_link(rec, server, secret="wrong")
    link.start()
    with pytest.raises(LinkDown, match="refused the desk's login"):
        await link.wait_up(2.0)
    assert not rec.ups
    await link.stop()
    assert isinstance(LoginFailed("a", "b"), Exception)


async def test_commands_while_down_raise_link_down() -> None:
    link = AmiLink(addresses=[PbxAddress("127.0.0.1", 9)], username="u", secret="s")
    with pytest.raises(LinkDown):
        await link.send({"Action": "Ping"})


async def test_a_frozen_peer_is_detected_by_the_heartbeat_and_the_link_reconnects(server: FakeAmi) -> None:
    rec = Recorder()
    link = make_link(rec, server, heartbeat=0.3)
    link.start()
    await link.wait_up(WAIT)
    server.frozen = True  # the TCP connection stays open; nothing answers (half-open)
    await rec.until(lambda: rec.downs)
    assert "heartbeat" in rec.downs[0][1]
    server.frozen = False
    await rec.until(lambda: len(rec.ups) >= 2)
    assert link.up
    await link.stop()


async def test_an_action_in_flight_fails_fast_when_the_link_drops(server: FakeAmi) -> None:
    rec = Recorder()
    server.handlers["originate"] = lambda a: None
    link = make_link(rec, server, heartbeat=30)
    link.action_timeout = WAIT
    link.start()
    await link.wait_up(WAIT)
    pending = asyncio.ensure_future(link.send({"Action": "Originate", "Channel": "PJSIP/2001"}))
    await asyncio.sleep(0.2)
    server.drop()
    with pytest.raises(LinkDown):
        await pending
    await link.stop()


async def test_fails_over_to_the_standby_when_the_primary_dies() -> None:
    primary, standby = await FakeAmi().start(), await FakeAmi().start()
    rec = Recorder()
    link = make_link(rec, primary, standby)
    link.start()
    await link.wait_up(WAIT)
    assert rec.ups == [PbxAddress("127.0.0.1", primary.port)]
    await primary.close()
    await rec.until(lambda: len(rec.ups) >= 2)
    assert rec.ups[-1] == PbxAddress("127.0.0.1", standby.port)
    assert standby.logins == 1
    await link.stop()
    await standby.close()
