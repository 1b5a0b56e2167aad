"""Memory growth of desk + engine over 500 calls (target < 5 MB).

A real desk process (the same composition as ``csdesk``: engine process, AMI session, DB worker, main window
under Xvfb), signed in against the lab as agent 1003 ($CSDESK_BENCH_MEM_AGENT), takes 500 real calls one after another: a pjsua2 phone
(a separate process, extension 1009 without registering, so no other user of 1009 loses its registration)
dials 8004, the complaints queue (the agent's only queue in this run's database, so the shared lab's other desks
neither take these calls nor send theirs here), the desk answers (as the answer button does), the customer hangs
up after 0.3 s of talk (the agent hanging up first would send the caller on to the survey) and the desk
leaves wrap-up at once so the next call can ring. Every call goes
through the INVITE with the queue's X-CSD headers, the screen pop (an unknown caller: extension 1009), the
contact row, the state spans, the live figures and the window.

Resident memory (VmRSS) of the desk and of the engine is sampled at the end of the warm-up (the first 50
calls) and then after every 50 calls, each time with the agent ready and idle, as the median of 5 readings
0.2 s apart. Growth = the last sample − the warm-up sample (desk + engine, MiB); the spread is that of the
checkpoints (their range) and the least-squares slope per 100 calls.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import Row, bench_args, emit

ROOT = Path(__file__).resolve().parent.parent
AGENT = os.environ.get("CSDESK_BENCH_MEM_AGENT", "1003")  # an extension the engine and bench sessions do not use
CALLER = "1009"
QUEUE, QUEUE_EXTEN = "complaints", "8004"
PASSWORD_ENV = "CSDESK_BENCH_AGENT_PASSWORD"  # per run, handed to the child in its environment, never argv


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def caller() -> int:
    """The calling phone. ``call``: dial the queue; ``hangup``: hang up (after the desk answered); then it prints
    ``ok`` (the call was answered and has ended) or ``fail <why>``. pjsua2 is pumped while it waits for a line."""
    import select

    from labsim.labinfo import load
    from labsim.phone import Phones

    buf = b""

    def next_line(phones: Phones, timeout: float) -> str:
        nonlocal buf
        end = time.monotonic() + timeout
        while b"\n" not in buf and time.monotonic() < end:
            if select.select([0], [], [], 0)[0]:
                chunk = os.read(0, 256)
                if not chunk:
                    return "quit"
                buf += chunk
            else:
                phones.pump(0.01)
        if b"\n" not in buf:
            return ""
        line, buf = buf.split(b"\n", 1)
        return line.decode().strip()

    with Phones(load(), log_level=0) as phones:
        line = phones.line(CALLER, register=False)
        print("ready", flush=True)
        while next_line(phones, 3600) == "call":
            leg = line.call(QUEUE_EXTEN)
            command = next_line(phones, 40)  # the desk says when to hang up
            answered = leg.connected and not leg.ended
            if not leg.ended:
                leg.hangup()
            try:
                phones.wait(lambda leg=leg: leg.ended, 10, "the hang-up")
            except Exception:
                answered = False
            print("ok" if answered and command == "hangup" else f"fail {leg.last_code or command or 'timeout'}",
                  flush=True)
    return 0


def prepare_db(password: str) -> str:
    """A bench SQLite database (20,000 demo customers, made once by bench.screenpop) with the demo agents."""
    from bench.desk import agent_db

    return agent_db("sqlite", 20_000, 20261124, agent=AGENT, queue=QUEUE, password=password)


def run_desk(url: str, calls: int) -> dict[str, Any]:
    from bench.desk import desk_shell

    _app, loop, shell, gc_guard, _tmp = desk_shell(url, AGENT)
    signin = shell.signin

    async def status_is(*wanted: str, within: float = 20.0) -> str:
        end = time.monotonic() + within
        while time.monotonic() < end:
            st = shell.desk.session.state.status.value
            if st in wanted:
                return st
            await asyncio.sleep(0.02)
        return shell.desk.session.state.status.value

    async def sample() -> tuple[float, float]:
        desk_pid, engine_pid = os.getpid(), shell.desk.softphone.pid
        readings = []
        for _ in range(5):
            await asyncio.sleep(0.2)
            readings.append((rss_mib(desk_pid), rss_mib(engine_pid)))
        return statistics.median(r[0] for r in readings), statistics.median(r[1] for r in readings)

    async def go() -> dict[str, Any]:
        shell._built = asyncio.ensure_future(shell._build())
        await shell._sign_in(AGENT, os.environ[PASSWORD_ENV])
        assert shell.window is not None, signin.message.text()
        desk = shell.desk
        phone = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.mem_growth", "--caller", cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
        assert phone.stdin is not None
        assert phone.stdout is not None
        while (await asyncio.wait_for(phone.stdout.readline(), 30)).strip() != b"ready":  # pjlib's start-up lines
            pass
        samples: list[tuple[int, float, float]] = []
        done = failed = 0
        every = max(1, calls // 10)  # warm-up = the first tenth, then a checkpoint every tenth
        t0 = time.monotonic()
        await status_is("ready")
        while done < calls and failed < 20:
            t_call = time.monotonic()
            phone.stdin.write(b"call\n")
            await phone.stdin.drain()
            if await status_is("ringing") == "ringing":
                await asyncio.sleep(0.1)
                try:
                    await desk.answer()
                    if await status_is("talking") == "talking":
                        await asyncio.sleep(0.3)  # a short talk, then the customer hangs up
                except Exception as exc:
                    print(f"  call control failed: {exc}", flush=True)
            phone.stdin.write(b"hangup\n")
            await phone.stdin.drain()
            t_ring = time.monotonic()
            reply = (await asyncio.wait_for(phone.stdout.readline(), 60)).decode().strip()
            t_reply = time.monotonic()
            st = await status_is("wrap_up", "ready", within=10)
            if st == "wrap_up":
                await desk.finish_wrap_up()
            await status_is("ready", within=10)
            if os.environ.get("CSDESK_BENCH_MEM_TRACE"):
                print(f"  call {done}: ring+answer+talk {t_ring - t_call:.2f} s, caller report {t_reply - t_ring:.2f} s, "
                      f"wrap-up to ready {time.monotonic() - t_reply:.2f} s", flush=True)
            if reply != "ok":
                failed += 1
                print(f"  call failed: {reply}", flush=True)
                continue
            done += 1
            if done >= every and done % every == 0:
                await desk.settle()
                d, e = await sample()
                samples.append((done, d, e))
                print(f"  {done:>4} calls, {time.monotonic() - t0:5.0f} s: desk {d:.1f} MiB, engine {e:.1f} MiB, "
                      f"total {d + e:.1f} MiB", flush=True)
            elif done % 10 == 0:
                print(f"  {done:>4} calls, {time.monotonic() - t0:5.0f} s", flush=True)
        phone.stdin.write(b"quit\n")
        await phone.stdin.drain()
        await phone.wait()
        await desk.settle()
        await shell._shutdown()
        gc_guard.stop()
        return {"samples": samples, "done": done, "failed": failed, "seconds": time.monotonic() - t0}

    with loop:
        return loop.run_until_complete(go())


def child() -> int:
    url, calls = sys.argv[2], int(sys.argv[3])
    from bench.xvfb import xvfb

    with xvfb(display=95) as env:
        os.environ.update(env)
        result = run_desk(url, calls)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def slope_per_100(points: list[tuple[int, float]]) -> float:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return 100 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def main() -> int:
    args = bench_args(__doc__ or "")
    calls = int(os.environ.get("CSDESK_BENCH_MEM_CALLS", 100 if args.quick else 500))
    password = secrets.token_urlsafe(16)
    url = prepare_db(password)
    proc = subprocess.Popen([sys.executable, "-m", "bench.mem_growth", "--child", url, str(calls)],
                            env={**os.environ, PASSWORD_ENV: password}, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = []
    for line in proc.stdout:  # progress as it comes
        out.append(line)
        if not line.startswith("RESULT "):
            print(line, end="", flush=True)
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.wait()
    m = re.search(r"^RESULT (.*)$", "".join(out), re.M)
    row = Row(key="mem_growth_500", figure=f"Memory growth of desk + engine over {calls} calls", unit="MiB",
              target_text="< 5 MB")
    if m:
        res = json.loads(m.group(1))
        samples = res["samples"]
        if res["done"] == calls and len(samples) >= 2:
            first, last = samples[0], samples[-1]
            totals = [(n, d + e) for n, d, e in samples]
            growth = last[1] + last[2] - first[1] - first[2]
            row.value = growth
            row.n = res["done"]
            row.check("<", 5 * 1e6 / 2**20)  # 5 MB = 4.77 MiB
            row.spread = (f"checkpoints {min(t for _n, t in totals):.1f}–{max(t for _n, t in totals):.1f} MiB; "
                          f"slope {slope_per_100(totals):+.2f} MiB/100 calls")
            row.note = (f"{res['done']} lab calls in {res['seconds']:.0f} s; after {first[0]} warm-up calls desk "
                        f"{first[1]:.1f} + engine {first[2]:.1f} MiB, at the end desk {last[1]:.1f} "
                        f"({last[1] - first[1]:+.1f}) + engine {last[2]:.1f} ({last[2] - first[2]:+.1f}) MiB; "
                        f"{row.spread}; {res['failed']} calls failed and were retried")
            row.extra = {"samples": samples, "failed": res["failed"]}
        else:
            row.note = f"not measured: {res['done']} of {calls} calls done, {res['failed']} failed"
    else:
        row.note = "not measured: " + (stderr.strip().splitlines() or ["the desk did not report"])[-1][:160]
    emit([row], args.out)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child())
    if len(sys.argv) > 1 and sys.argv[1] == "--caller":
        sys.exit(caller())
    sys.exit(main())
