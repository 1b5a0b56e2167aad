"""AMI event storm into a lead desk: 20,000 events/s for 10 s, events lost and UI frame stalls.

This is a REPLAY, not the lab: a generated AMI stream of 200 agents' queue traffic (members ringing, connecting,
completing, wrap-up pauses, not-ready pauses, callers joining and abandoning, plus channel and bridge noise) is
served over a real TCP socket on 127.0.0.1 by a separate process speaking AMI (banner, Login, QueueStatus snapshot,
Ping). The desk side is the real thing: cti's AmiLink (panoramisk) and SupervisorSession with the lead's team view,
the event bus, the Qt bridge, app.lead.LeadDesk (alerts) and ui.lead's LeadWindow with the wallboard model, shown
under the offscreen Qt platform on the qasync loop.

- events lost = events the server wrote − events the desk's AMI link dispatched (must be 0); the wallboard's final
  state of every agent is also compared with an offline replay of the same stream through a fresh TeamMonitor;
- UI frame stall = lateness of a 1 ms precise QTimer while the events flow (p99 must stay under 16 ms, one frame).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AGENTS = 200
QUEUES = ("service", "claims-auto", "claims-life", "complaints")
LEAD = "2999"


# --- the stream ------------------------------------------------------------------------------------------------------


def iface(i: int) -> str:
    return f"PJSIP/{3000 + i}"


def member(i: int, *, event: str, status: int, paused: bool, reason: str = "", in_call: bool = False) -> dict[str, str]:
    return {"Event": event, "Queue": QUEUES[i % len(QUEUES)], "MemberName": str(3000 + i), "Interface": iface(i),
            "StateInterface": iface(i), "Membership": "dynamic", "Penalty": "0", "CallsTaken": "0",
            "LastCall": "0", "LastPause": "0", "LoginTime": "0", "InCall": "1" if in_call else "0",
            "Status": str(status), "Paused": "1" if paused else "0", "PausedReason": reason, "Wrapuptime": "0"}


def generate(n: int, seed: int = 7) -> list[dict[str, str]]:
    """Return ``n`` AMI events of 200 agents' queue traffic (deterministic)."""
    rnd = random.Random(seed)
    out: list[dict[str, str]] = []
    step = [0] * AGENTS
    call = [0] * AGENTS
    uid = 0
    reasons = ("小休", "用餐", "培训", "会议")
    while len(out) < n:
        i = rnd.randrange(AGENTS)
        q, ch = QUEUES[i % len(QUEUES)], f"{iface(i)}-{call[i]:08x}"
        s = step[i]
        if s == 0:
            uid += 1
            call[i] = uid
            out.append({"Event": "QueueCallerJoin", "Queue": q, "Uniqueid": f"c{uid}", "Position": "1", "Count": "1",
                        "Channel": f"PJSIP/pstn-{uid:08x}", "CallerIDNum": "13800000000"})
            out.append({"Event": "Newchannel", "Channel": ch, "ChannelState": "0", "Uniqueid": f"a{uid}",
                        "Linkedid": f"c{uid}", "Exten": "s", "Context": "from-queue"})
            out.append(member(i, event="QueueMemberStatus", status=6, paused=False))
            out.append({"Event": "AgentCalled", "Queue": q, "Interface": iface(i), "MemberName": str(3000 + i),
                        "DestChannel": ch, "Uniqueid": f"c{uid}"})
        elif s == 1:
            if rnd.random() < 0.05:  # the caller gave up while it rang
                out.append({"Event": "QueueCallerAbandon", "Queue": q, "Uniqueid": f"c{call[i]}", "Position": "1",
                            "OriginalPosition": "1", "HoldTime": "9"})
                out.append(member(i, event="QueueMemberStatus", status=1, paused=False))
                step[i] = 0
                continue
            out.append({"Event": "Newstate", "Channel": ch, "ChannelState": "6", "ChannelStateDesc": "Up"})
            out.append({"Event": "AgentConnect", "Queue": q, "Interface": iface(i), "MemberName": str(3000 + i),
                        "HoldTime": str(rnd.randrange(1, 40)), "RingTime": "2", "Uniqueid": f"c{call[i]}",
                        "DestChannel": ch})
            out.append({"Event": "QueueCallerLeave", "Queue": q, "Uniqueid": f"c{call[i]}", "Count": "0"})
            out.append(member(i, event="QueueMemberStatus", status=2, paused=False, in_call=True))
            out.append({"Event": "BridgeEnter", "BridgeUniqueid": f"b{call[i]}", "Channel": ch})
        elif s == 2:
            out.append({"Event": "BridgeLeave", "BridgeUniqueid": f"b{call[i]}", "Channel": ch})
            out.append({"Event": "Hangup", "Channel": ch, "Cause": "16", "Uniqueid": f"a{call[i]}"})
            out.append({"Event": "AgentComplete", "Queue": q, "Interface": iface(i), "MemberName": str(3000 + i),
                        "HoldTime": "3", "TalkTime": "60", "Reason": "caller", "Uniqueid": f"c{call[i]}"})
            out.append(member(i, event="QueueMemberStatus", status=1, paused=False))
            out.append(member(i, event="QueueMemberPause", status=1, paused=True, reason="wrap-up"))
        elif s == 3:
            if rnd.random() < 0.2:
                out.append(member(i, event="QueueMemberPause", status=1, paused=True, reason=rnd.choice(reasons)))
            else:
                out.append(member(i, event="QueueMemberPause", status=1, paused=False))
                step[i] = 0
                continue
        else:
            out.append(member(i, event="QueueMemberPause", status=1, paused=False))
            step[i] = 0
            continue
        step[i] = s + 1
    return out[:n]


def encode(e: dict[str, str]) -> bytes:
    return ("".join(f"{k}: {v}\r\n" for k, v in e.items()) + "\r\n").encode()


def snapshot() -> list[dict[str, str]]:
    """The QueueStatus reply: every queue, every agent ready in its queue."""
    rows = [{"Event": "QueueParams", "Queue": q, "Max": "0", "Strategy": "rrmemory", "Calls": "0", "Holdtime": "0",
             "TalkTime": "0", "Completed": "0", "Abandoned": "0", "ServiceLevel": "20", "ServicelevelPerf": "0.0",
             "Weight": "0"} for q in QUEUES]
    rows += [member(i, event="QueueMember", status=1, paused=False) for i in range(AGENTS)]
    return rows


# --- the server (a separate process) ------------------------------------------------------------------------------------


async def serve(rate: int, seconds: float) -> None:
    events = generate(int(rate * seconds))
    chunk_every = 0.005
    per_chunk = max(1, int(rate * chunk_every))
    chunks = [b"".join(encode(e) for e in events[k:k + per_chunk]) for k in range(0, len(events), per_chunk)]

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"Asterisk Call Manager/9.0.0\r\n")
        storm: asyncio.Task[None] | None = None
        try:
            while True:
                block = await reader.readuntil(b"\r\n\r\n")
                action = {k.lower(): v for k, _, v in (ln.partition(": ") for ln in block.decode().split("\r\n")) if k}
                name, aid = action.get("action", "").lower(), action.get("actionid", "")
                if name == "queuestatus":
                    writer.write(encode({"Response": "Success", "ActionID": aid, "EventList": "start",
                                         "Message": "Queue status will follow"}))
                    for row in snapshot():
                        writer.write(encode({**row, "ActionID": aid}))
                    writer.write(encode({"Event": "QueueStatusComplete", "ActionID": aid, "EventList": "Complete",
                                         "ListItems": str(len(snapshot()))}))
                elif name == "ping":
                    writer.write(encode({"Response": "Success", "ActionID": aid, "Ping": "Pong",
                                         "Timestamp": f"{time.time():.6f}"}))
                else:
                    writer.write(encode({"Response": "Success", "ActionID": aid, "Message": "ok"}))
                if name == "benchstart" and storm is None:
                    storm = asyncio.ensure_future(blast(writer))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass

    async def blast(writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        for k, c in enumerate(chunks):
            writer.write(c)
            await writer.drain()
            delay = t0 + (k + 1) * chunk_every - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        took = loop.time() - t0
        writer.write(encode({"Event": "BenchDone", "Sent": str(len(events)), "Seconds": f"{took:.3f}"}))
        await writer.drain()

    server = await asyncio.start_server(client, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


# --- the desk side -------------------------------------------------------------------------------------------------------


def make_db(path: Path) -> Any:
    from app.actor import Actor
    from app.db import make_engine, make_session_factory, upgrade_to_head
    from app.services.agents import create_agent

    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    boss = Actor(agent_id="admin", desk_id="bench")
    with factory() as s:
        create_agent(s, actor=boss, agent_id=LEAD, display_name="Lead", role="lead", team="storm", skills=[],
                     password=secrets.token_urlsafe(16))  # never used to sign in
        from app.models import Agent
        from app.passwords import hash_password

        pw = hash_password("bench password")  # one hash for all: the bench measures the desk, not scrypt
        for i in range(AGENTS):
            s.add(Agent(agent_id=str(3000 + i), display_name=f"Agent {3000 + i}", role="csr", team="storm",
                        password_hash=pw, disabled=False))
        s.commit()
    return factory


async def run_desk(port: int, db: Path, quick: bool) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from app.actor import Actor
    from app.config import load_config
    from app.lead import LeadDesk, LeadTeam
    from app.worker import DbWorker
    from cti.ami.link import PbxAddress
    from cti.bus import EventBus
    from cti.supervisor import SupervisorSession
    from ui.bridge import QtEventBridge
    from ui.lead.window import LeadWindow

    config = load_config(ROOT / "resources" / "centre.toml")
    bus = EventBus()
    sup = SupervisorSession(lead_extension=LEAD, pbx=(PbxAddress("127.0.0.1", port),), ami_user=f"lead{LEAD}",
                            ami_secret=secrets.token_urlsafe(16),  # the replay server takes any login
                            bus=bus, heartbeat_seconds=5.0, action_timeout=10.0)
    sup.team = LeadTeam(bus=bus)
    done: dict[str, str] = {}
    finished = asyncio.Event()
    feed = sup.team.feed

    def feed_and_watch(m: Any) -> None:
        if m.event == "BenchDone":
            done.update(sent=m.get("Sent"), seconds=m.get("Seconds"), at=str(time.perf_counter()))
            finished.set()
        feed(m)

    sup.team.feed = feed_and_watch  # type: ignore[method-assign]
    worker = DbWorker()
    lead = LeadDesk(config=config, actor=Actor(agent_id=LEAD, desk_id="bench", role="lead"), team="storm", bus=bus,
                    worker=worker, session_factory=make_db(db), supervisor=sup, queue_source=None)
    window = LeadWindow(lead=lead, bridge=QtEventBridge(bus=bus), reasons=list(config.not_ready_reasons))
    window.resize(1600, 1000)
    window.show()
    members = await lead.start()
    window.show_team(members)
    await asyncio.sleep(1.0)
    QApplication.processEvents()

    stalls: list[float] = []
    last = [time.perf_counter()]
    measuring = [True]

    def tick() -> None:
        now = time.perf_counter()
        if measuring[0]:
            stalls.append(max(0.0, (now - last[0]) * 1000 - 1.0))
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(tick)
    before = sup.link.events_received
    t0 = time.perf_counter()
    await sup.link.send({"Action": "BenchStart"})
    last[0] = time.perf_counter()
    timer.start()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(finished.wait(), 30 if quick else 60)
    measuring[0] = False
    timer.stop()
    received = sup.link.events_received - before - (1 if done else 0)  # the BenchDone marker is not a storm event
    sent = int(done.get("sent", "0"))
    drained = float(done["at"]) - t0 if done else None
    # the wallboard against an offline replay of the same stream
    from cti.ami.message import AmiMessage
    from cti.team import TeamMonitor

    ref = TeamMonitor(bus=EventBus())
    for e in [{"Event": r["Event"], **r} for r in snapshot()]:
        if e["Event"] == "QueueMember":
            ref.feed(AmiMessage.of({**e, "Event": "QueueMemberAdded"}))
    for e in generate(sent):
        ref.feed(AmiMessage.of(e))
    window.model.flush()
    shown = {r.extension: (r.state, r.reason) for r in window.model.rows}
    expected = {v.extension: (v.state, v.reason) for v in ref.agents.values()}
    mismatches = sum(1 for k, v in expected.items() if shown.get(k) != v)
    await lead.close()
    worker.shutdown()
    window.close()
    return {"stalls": stalls, "sent": sent, "received": received, "send_seconds": float(done.get("seconds", "nan")),
            "drained_seconds": drained, "mismatches": mismatches, "agents": len(expected)}


def main() -> int:
    from bench.common import Row, bench_args, emit

    if "--serve" in sys.argv:
        rate, seconds = int(sys.argv[sys.argv.index("--serve") + 1]), float(sys.argv[sys.argv.index("--serve") + 2])
        asyncio.run(serve(rate, seconds))
        return 0
    args = bench_args(__doc__ or "")
    rate, seconds = 20_000, (3.0 if args.quick else 10.0)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    server = subprocess.Popen([sys.executable, "-m", "bench.ami_storm", "--serve", str(rate), str(seconds)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        import qasync
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv[:1])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with tempfile.TemporaryDirectory() as tmp, loop:
            res = loop.run_until_complete(run_desk(port, Path(tmp) / "bench.db", args.quick))
    finally:
        server.kill()
        server.wait()
    lost = res["sent"] - res["received"]
    row = Row(key="ami_storm", figure=f"AMI event storm {rate:,} ev/s × {seconds:g} s into a lead desk: lost / UI stall p99",
              unit="ms", target_text="0 lost; < 16 ms").latency(res["stalls"])
    row.passed = bool(lost == 0 and res["sent"] > 0 and res["mismatches"] == 0 and (row.p99 or 1e9) < 16.0)
    row.note = (f"replay of a generated AMI stream over TCP on 127.0.0.1 (not the lab); {res['sent']} events sent in "
                f"{res['send_seconds']:.2f} s, {lost} lost, all processed after {res['drained_seconds'] or 0:.2f} s; "
                f"wallboard vs offline replay: {res['mismatches']} of {res['agents']} agents differ")
    row.extra = {k: v for k, v in res.items() if k != "stalls"} | {"lost": lost, "rate": rate, "seconds": seconds}
    emit([row], args.out)
    print(json.dumps(row.extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
