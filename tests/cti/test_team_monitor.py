"""TeamMonitor from a recorded AMI transcript: agent states, time in state, queue figures."""

from __future__ import annotations

from cti import events as ev
from cti.ami.message import parse_transcript
from cti.bus import EventBus
from cti.team import TeamMonitor

TRANSCRIPT = """\
Event: QueueMemberAdded
Queue: service
Interface: PJSIP/1001
StateInterface: PJSIP/1001
MemberName: Agent 1001
Paused: 1
PausedReason: signing in
Status: 1

Event: QueueMemberPause
Queue: service
Interface: PJSIP/1001
StateInterface: PJSIP/1001
MemberName: Agent 1001
Paused: 0
PausedReason:
Status: 1

Event: QueueCallerJoin
Queue: service
Uniqueid: c1
Position: 1

Event: QueueCallerJoin
Queue: service
Uniqueid: c2
Position: 2

Event: QueueCallerAbandon
Queue: service
Uniqueid: c2

Event: QueueMemberStatus
Queue: service
Interface: PJSIP/1001
StateInterface: PJSIP/1001
MemberName: Agent 1001
Paused: 0
Status: 6

Event: AgentConnect
Queue: service
Uniqueid: c1
HoldTime: 25
Interface: PJSIP/1001

Event: QueueMemberStatus
Queue: service
Interface: PJSIP/1001
StateInterface: PJSIP/1001
MemberName: Agent 1001
Paused: 0
Status: 2

Event: QueueMemberPause
Queue: claims-life
Interface: PJSIP/1003
StateInterface: PJSIP/1003
MemberName: Agent 1003
Paused: 1
PausedReason: 用餐 meal
Status: 1

Event: QueueMemberPause
Queue: service
Interface: PJSIP/1001
StateInterface: PJSIP/1001
MemberName: Agent 1001
Paused: 1
PausedReason: wrap-up
Status: 1
"""


def test_team_monitor_follows_events() -> None:
    bus = EventBus()
    seen: list[ev.Event] = []
    bus.subscribe(ev.Event, seen.append)
    now = [100.0]
    team = TeamMonitor(bus=bus, queues=("service", "claims-life"), clock=lambda: now[0])
    msgs = parse_transcript(TRANSCRIPT)
    assert len(msgs) == 10
    states: list[tuple[str, str, str | None]] = []
    bus.subscribe(ev.TeamMemberDidUpdate, lambda e: states.append((e.agent_id, e.state, e.reason)))
    for i, m in enumerate(msgs):
        now[0] = 100.0 + i
        team.feed(m)
    assert states == [
        ("1001", "not_ready", "signing in"), ("1001", "ready", None), ("1001", "ringing", None),
        ("1001", "talking", None), ("1003", "not_ready", "用餐 meal"), ("1001", "wrap_up", "wrap-up"),
    ]
    assert team.agents["PJSIP/1001"].since == 109.0
    q = team.queues["service"]
    assert (q.waiting, q.answered, q.abandoned) == (0, 1, 1)
    assert q.service_level == 0.0, "answered after 25 s, outside the 20 s service level"
    last = [e for e in seen if isinstance(e, ev.QueueDidUpdate) and e.queue == "service"][-1]
    assert (last.answered, last.abandoned) == (1, 1)


def test_longest_wait_grows_with_time() -> None:
    now = [0.0]
    team = TeamMonitor(bus=EventBus(), clock=lambda: now[0])
    for m in parse_transcript("Event: QueueCallerJoin\nQueue: service\nUniqueid: a\n\n"
                              "Event: QueueCallerJoin\nQueue: service\nUniqueid: b\n"):
        team.feed(m)
        now[0] += 5
    assert team.queues["service"].waiting == 2
    assert team.queues["service"].longest_wait(now[0]) == 10.0
