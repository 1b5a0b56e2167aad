"""Where a centre's limits lie: AMI sessions per Asterisk and database connections (issue 10, not a test).

``python -m bench.centre_limits [--out rows.json] [--quick] [--part ami,db] [--rate 200] [--seconds 5]``

**AMI sessions per Asterisk.** For N in 50, 100, 200, 400 (--quick: 50, 100) it opens N AMI sessions to the lab
(``labsim.labinfo.load(instance)``), each logged in as a desk is: one of the desk users desk1001..desk1010 (several
logins per user; ``allowmultiplelogin = yes``) with ``Events: on``, so Asterisk applies that user's server-side event
filter from manager.conf (the desk sets no filter of its own). Logins go at most 10 at a time: the lab's manager.conf
has ``authlimit = 20`` (unauthenticated sessions at once) and no cap on logged-in sessions. It times the whole
login of N. Then one admin session (``Events: off``) sends K ``UserEvent`` actions named ``CsdSurvey`` (the one
UserEvent the desk filter lets through) at a fixed rate, each carrying its sequence number and send time; every
desk session records when it reads each one. Per N: delivery latency p50/p95/p99 over all N×K deliveries, events
lost, Asterisk's CPU (% of one core, from /proc/<pid>/stat over the sending window) and RSS (idle before, with N
logged in, after the burst), and this process's own CPU so a client-side bottleneck shows. The receivers are a
minimal asyncio AMI reader (they only look for the bench headers) in this one process, so the latency includes
this process's queueing; on a 2-core machine that is shared with Asterisk.

**Database connections.** Against the private PostgreSQL ($CSDESK_BENCH_PG_URL, else ``scripts/pg.sh url``),
C connections (25, 50, 100; --quick 25, 50; never above max_connections minus those in use minus 20) each run
screen pops through ``app.screenpop.screen_pop`` back to back for a fixed time (audit row and commit included, as the
desk does). The connections are spread over one process per core, one thread and one connection per desk. Reports
pops/s and p50/p99 latency per C, and the connections PostgreSQL saw mid-run. Uses bench.screenpop's cached
1M-customer database if it exists, else builds (once) a 20,000-customer one; the note says which.

Rows have target "report": these are measured limits for docs/deployment.md, not pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import multiprocessing as mp
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import Row, emit, percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "asterisk-conf"))

LOGIN_AT_ONCE = 10  # manager.conf authlimit is 20; stay well below it (other desks and tests log in too)
MARGIN_CONNECTIONS = 20


# --- AMI -------------------------------------------------------------------------------------------------------


@dataclass
class _Session(asyncio.Protocol):
    """A minimal AMI reader: login, then note the arrival time of each bench UserEvent."""

    run: str = ""
    transport: asyncio.Transport | None = None
    buf: bytes = b""
    banner: bool = False
    waiting: dict[str, asyncio.Future[bytes]] = field(default_factory=dict)
    got: dict[int, int] = field(default_factory=dict)  # seq -> arrival (ns, monotonic)
    closed: asyncio.Event = field(default_factory=asyncio.Event)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        self.buf += data
        if not self.banner:
            if b"\r\n" not in self.buf:
                return
            self.buf = self.buf.split(b"\r\n", 1)[1]
            self.banner = True
        *msgs, self.buf = self.buf.split(b"\r\n\r\n")
        for m in msgs:
            if b"BenchRun: " in m:
                h = dict(line.split(b": ", 1) for line in m.split(b"\r\n") if b": " in line)
                if h.get(b"BenchRun", b"").decode() == self.run:
                    self.got[int(h[b"BenchSeq"])] = now
            elif m.startswith(b"Response:") and b"ActionID: " in m:
                aid = m.split(b"ActionID: ", 1)[1].split(b"\r\n", 1)[0].decode()
                fut = self.waiting.pop(aid, None)
                if fut is not None and not fut.done():
                    fut.set_result(m)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        for fut in self.waiting.values():
            if not fut.done():
                fut.set_exception(ConnectionError("AMI connection closed"))

    async def action(self, aid: str, lines: list[str], limit: float = 10.0) -> bytes:
        assert self.transport is not None
        fut: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self.waiting[aid] = fut
        self.transport.write(("\r\n".join([*lines, f"ActionID: {aid}"]) + "\r\n\r\n").encode())
        return await asyncio.wait_for(fut, limit)

    async def login(self, user: str, secret: str, events: str = "on") -> None:
        reply = await self.action("login", ["Action: Login", f"Username: {user}", f"Secret: {secret}",
                                            f"Events: {events}"])
        if not reply.startswith(b"Response: Success"):
            raise ConnectionError(f"AMI login as {user} refused")

    async def close(self) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        with contextlib.suppress(TimeoutError, ConnectionError):
            await self.action("logoff", ["Action: Logoff"], limit=5.0)
        self.transport.close()
        try:
            await asyncio.wait_for(self.closed.wait(), 5.0)
        except TimeoutError:
            self.transport.abort()


def _proc_cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of stat)


def _proc_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _open(host: str, port: int, run: str, user: str, secret: str, events: str, gate: asyncio.Semaphore,
                times: list[float]) -> _Session:
    loop = asyncio.get_running_loop()
    async with gate:
        t0 = time.perf_counter()
        _, proto = await asyncio.wait_for(loop.create_connection(lambda: _Session(run=run), host, port), 10.0)
        await proto.login(user, secret, events)
        times.append((time.perf_counter() - t0) * 1000)
    return proto


async def ami_round(lab: Any, n: int, *, rate: float, seconds: float) -> Row:
    """Open n desk sessions, broadcast rate×seconds bench UserEvents, measure; return the row."""
    run = f"{os.getpid()}-{n}-{time.time_ns()}"
    desks = sorted(u for u in lab.ami_users if u.startswith("desk") and u[4:].isdigit())
    pid = lab.pid
    clk = os.sysconf("SC_CLK_TCK")
    rss_idle = _proc_rss_mb(pid)
    gate = asyncio.Semaphore(LOGIN_AT_ONCE)
    login_ms: list[float] = []
    t0 = time.perf_counter()
    results = await asyncio.gather(*(_open(lab.host, lab.ami_port, run, desks[i % len(desks)],
                                           lab.ami_secret(desks[i % len(desks)]), "on", gate, login_ms)
                                     for i in range(n)), return_exceptions=True)
    login_all = time.perf_counter() - t0
    sessions = [s for s in results if isinstance(s, _Session)]
    failed = [r for r in results if not isinstance(r, _Session)]
    sender = await _open(lab.host, lab.ami_port, run, "admin", lab.ami_secret("admin"), "off",
                         asyncio.Semaphore(1), [])
    await asyncio.sleep(1.0)  # let the logins' own events drain
    rss_up = _proc_rss_mb(pid)
    k = int(rate * seconds)
    ticks0, own0, wall0 = _proc_cpu_ticks(pid), time.process_time(), time.monotonic()
    sent: dict[int, int] = {}
    assert sender.transport is not None
    start = time.monotonic()
    for seq in range(k):
        delay = start + seq / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sent[seq] = time.monotonic_ns()
        sender.transport.write((f"Action: UserEvent\r\nActionID: ue{seq}\r\nUserEvent: CsdSurvey\r\n"
                                f"BenchRun: {run}\r\nBenchSeq: {seq}\r\n\r\n").encode())
    send_took = time.monotonic() - start
    # Wait for the stragglers: until every session has every event, or 5 s after the last send.
    for _ in range(100):
        if all(len(s.got) >= k for s in sessions):
            break
        await asyncio.sleep(0.05)
    wall = time.monotonic() - wall0
    ast_cpu = (_proc_cpu_ticks(pid) - ticks0) / clk / wall * 100
    own_cpu = (time.process_time() - own0) / wall * 100
    rss_after = _proc_rss_mb(pid)
    lat = [(t - sent[q]) / 1e6 for s in sessions for q, t in s.got.items() if q in sent]
    lost = len(sessions) * k - len(lat)
    for s in [sender, *sessions]:
        await s.close()
    await asyncio.sleep(0.5)
    row = Row(key=f"ami_sessions_{n}", figure=f"AMI: {n} desk sessions on one Asterisk, {rate:g} broadcast ev/s",
              unit="ms", target_text="report")
    if lat:
        row.latency(lat)
    row.note = (f"{len(sessions)}/{n} logged in in {login_all:.2f} s ({LOGIN_AT_ONCE} at once; per login p50 "
                f"{percentile(login_ms, 50):.0f} ms, p99 {percentile(login_ms, 99):.0f} ms)" if login_ms else
                f"0/{n} logged in")
    row.note += (f"; {k} UserEvent CsdSurvey in {send_took:.1f} s → {len(lat)} of {len(sessions) * k} delivered, "
                 f"{lost} lost; Asterisk CPU {ast_cpu:.0f}% of one core over the send + drain window, RSS {rss_idle:.0f} → "
                 f"{rss_up:.0f} MB with {n} sessions → {rss_after:.0f} MB after; bench client CPU {own_cpu:.0f}%")
    if failed:
        row.note += f"; {len(failed)} logins failed ({type(failed[0]).__name__}: {failed[0]})"
    row.extra = {"sessions": len(sessions), "login_all_s": login_all, "events": k, "rate": rate,
                 "delivered": len(lat), "lost": lost, "asterisk_cpu_pct": ast_cpu, "asterisk_rss_idle_mb": rss_idle,
                 "asterisk_rss_sessions_mb": rss_up, "asterisk_rss_after_mb": rss_after, "client_cpu_pct": own_cpu,
                 "max_ms": max(lat) if lat else None}
    print(f"  N={n}: {row.note}; latency p50 {row.p50} p99 {row.p99} ms", flush=True)
    return row


def ami_part(ns: list[int], *, instance: str, rate: float, seconds: float) -> list[Row]:
    from labsim.labinfo import LabNotUp, load

    try:
        lab = load(instance)
    except LabNotUp as e:
        print(f"  AMI: {e}", flush=True)
        return [Row(key=f"ami_sessions_{n}", figure=f"AMI: {n} desk sessions on one Asterisk", unit="ms",
                    target_text="report", note=f"not measured: {e}") for n in ns]
    print(f"  AMI: lab {instance} at {lab.host}:{lab.ami_port}, Asterisk {lab.asterisk_version}, pid {lab.pid}",
          flush=True)

    async def go() -> list[Row]:
        return [await ami_round(lab, n, rate=rate, seconds=seconds) for n in ns]

    return asyncio.run(go())


# --- Database -----------------------------------------------------------------------------------------------------


def _pop_worker(url: str, customers: int, seed: int, threads: int, seconds: float, wid: int,
                ready: Any, go: Any, out: Any) -> None:
    """One process: ``threads`` desks, each with its own connection, popping back to back for ``seconds``."""
    from app.actor import Actor
    from app.db import make_engine, make_session_factory
    from app.screenpop import screen_pop
    from bench.screenpop import lookups

    actor = Actor(agent_id="1001", desk_id="bench", profile="remote", role="csr")
    samples: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    opened = threading.Barrier(threads + 1)

    def desk(i: int) -> None:
        pairs = lookups(customers, seed + 7919 * (wid * 1000 + i), 2000)
        engine = make_engine(url)  # each desk has its own engine and so its own connection, as a desk process does
        sessions = make_session_factory(engine)
        engine.connect().close()  # open this desk's connection before the clock starts
        opened.wait()
        go.wait()
        end = time.monotonic() + seconds
        for caller, policy in itertools.cycle(pairs):
            if time.monotonic() >= end:
                break
            t0 = time.perf_counter()
            try:
                with sessions() as s:
                    screen_pop(s, caller_number=caller, policy_number=policy, actor=actor)
            except Exception:
                errors[i] += 1
                continue
            samples[i].append((time.perf_counter() - t0) * 1000)
        engine.dispose()

    ts = [threading.Thread(target=desk, args=(i,), daemon=True) for i in range(threads)]
    for t in ts:
        t.start()
    opened.wait()
    ready.release()
    go.wait()
    cpu0 = time.process_time()
    for t in ts:
        t.join()
    out.put(([x for s in samples for x in s], sum(errors), time.process_time() - cpu0))


def db_part(cs: list[int], *, seconds: float) -> list[Row]:
    from sqlalchemy import text

    from app.db import make_engine
    from app.demo_data import DEFAULT_SEED
    from bench.common import pg_url
    from bench.screenpop import open_db, warm

    admin_url = pg_url()
    admin = make_engine(admin_url)
    with admin.connect() as conn:
        max_conn = int(conn.execute(text("SHOW max_connections")).scalar_one())
        in_use = int(conn.execute(text("SELECT count(*) FROM pg_stat_activity")).scalar_one())
        have_1m = bool(conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                    {"n": f"csdesk_bench_1000000_{DEFAULT_SEED}"}).scalar())
    admin.dispose()
    customers = 1_000_000 if have_1m else 20_000
    engine = open_db("pg", customers, DEFAULT_SEED)
    url = engine.url.render_as_string(hide_password=False)
    dbname = engine.url.database
    warmed = warm(engine)
    cap = max_conn - in_use - MARGIN_CONNECTIONS
    cores = os.cpu_count() or 1
    print(f"  DB: max_connections {max_conn}, {in_use} in use, so at most {cap} here; {customers:,} customers; "
          f"{cores} cores; {warmed}", flush=True)
    rows: list[Row] = []
    ctx = mp.get_context("spawn")
    for c in cs:
        row = Row(key=f"pg_pop_concurrent_{c}", figure=f"PostgreSQL: {c} desk connections doing screen pops",
                  unit="ms", target_text="report")
        if c > cap:
            row.note = f"not measured: {c} > max_connections {max_conn} − {in_use} in use − {MARGIN_CONNECTIONS}"
            rows.append(row)
            continue
        procs = min(cores, c)
        split = [c // procs + (1 if i < c % procs else 0) for i in range(procs)]
        ready, go, out = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
        ps = [ctx.Process(target=_pop_worker, args=(url, customers, DEFAULT_SEED, t, seconds, w, ready, go, out))
              for w, t in enumerate(split)]
        for p in ps:
            p.start()
        for _ in ps:
            ready.acquire()
        with engine.connect() as conn:
            seen_before = int(conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                                           {"d": dbname}).scalar_one())
        go.set()
        time.sleep(seconds / 2)
        with engine.connect() as conn:
            active = int(conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND "
                                           "state = 'active'"), {"d": dbname}).scalar_one())
        got = [out.get(timeout=seconds + 120) for _ in ps]
        for p in ps:
            p.join(30)
        samples = [x for s, _e, _cpu in got for x in s]
        errors = sum(e for _s, e, _cpu in got)
        client_cpu = sum(cpu for _s, _e, cpu in got) / seconds * 100  # from go to the last desk's end
        if samples:
            row.latency(samples)
            row.value = len(samples) / seconds
            row.unit = "pops/s (p50/p95/p99 in ms)"
        row.note = (f"{len(samples)} pops in {seconds:g} s = {len(samples) / seconds:.0f}/s; {errors} errors; "
                    f"{seen_before} connections open on the database (incl. this one), {active} active mid-run; "
                    f"{procs} processes × {split[0]} threads on {cores} cores, bench clients {client_cpu:.0f}% of one core "
                    f"(Python, so the client shares the machine's CPU with PostgreSQL); {customers:,} customers; "
                    f"max_connections {max_conn}; audit row + commit per pop")
        row.extra = {"connections": c, "pops": len(samples), "seconds": seconds, "errors": errors,
                     "pops_per_s": len(samples) / seconds, "connections_seen": seen_before,
                     "active_mid_run": active, "client_cpu_pct": client_cpu, "max_connections": max_conn, "customers": customers}
        print(f"  C={c}: {row.note}; p50 {row.p50} p99 {row.p99} ms", flush=True)
        rows.append(row)
    engine.dispose()
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--quick", action="store_true", help="N 50, 100; C 25, 50; shorter windows")
    ap.add_argument("--part", default="ami,db", help="ami, db or both")
    ap.add_argument("--instance", default="primary", help="lab instance for the AMI part")
    ap.add_argument("--rate", type=float, default=200.0, help="bench UserEvents per second")
    ap.add_argument("--seconds", type=float, default=None, help="AMI sending window (default 5; --quick 2)")
    ap.add_argument("--db-seconds", type=float, default=None, help="pop window per C (default 10; --quick 3)")
    args = ap.parse_args()
    parts = set(args.part.split(","))
    rows: list[Row] = []
    if "ami" in parts:
        ns = [50, 100] if args.quick else [50, 100, 200, 400]
        rows += ami_part(ns, instance=args.instance, rate=args.rate, seconds=args.seconds or (2.0 if args.quick else 5.0))
    if "db" in parts:
        cs = [25, 50] if args.quick else [25, 50, 100]
        rows += db_part(cs, seconds=args.db_seconds or (3.0 if args.quick else 10.0))
    emit(rows, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
