"""INVITE received → screen pop painted, with 1M customers and 3M policies, SQLite and PostgreSQL (p99 < 50 ms).

The desk runs for real under Xvfb (the same composition as ``csdesk``: engine process, AMI session, DB worker,
main window); simulated customers whose numbers are in the database call the hotline and reach this agent.
- "INVITE received": tcpdump's timestamp of the queue's INVITE on loopback (the packet to the engine).
- "painted": a paint event of the customer card that shows this caller's name, taken in an event filter on
  the card (so after the widget was laid out and drawn into the window's backing store for that frame).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Row, bench_args, emit

ROOT = Path(__file__).resolve().parent.parent
AGENT = "1006"
PASSWORD_ENV = "CSDESK_BENCH_AGENT_PASSWORD"  # per run, handed to the child in its environment, never argv


def invite_times(text: str) -> list[float]:
    """Epoch times of the queue INVITEs (those carrying X-CSD-Queue) sent by the PBX."""
    out: list[float] = []
    stamp: float | None = None
    is_invite = False
    for line in text.splitlines():
        m = re.match(r"^(\d+\.\d+) IP ", line)
        if m:
            stamp, is_invite = float(m.group(1)), False
            continue
        if stamp is not None and "INVITE sip:" in line:  # tcpdump -A prints header bytes before it
            is_invite = True
        elif stamp is not None and is_invite and line.lower().startswith("x-csd-queue"):
            out.append(stamp)
            stamp, is_invite = None, False
    return out


def prepare_db(kind: str, customers: int, seed: int, password: str) -> tuple[str, list[str]]:
    """The bench database at scale (made once by bench.screenpop), with the demo agents; caller numbers."""
    from sqlalchemy.orm import Session

    from app.actor import Actor
    from app.demo_data.agents import seed_agents
    from app.demo_data.generate import demo_caller_numbers
    from app.services.agents import set_password
    from bench.screenpop import open_db

    engine = open_db(kind, customers, seed)
    with Session(engine) as s:
        seed_agents(s, password=password)
        set_password(s, actor=Actor(agent_id="bench", desk_id="bench"), agent_id=AGENT, password=password)
        s.commit()
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    return url, demo_caller_numbers(min(customers, 500), seed=seed)[::7]


def run_desk(url: str, callers: list[str], calls: int) -> tuple[list[float], int]:
    """Sign in a real desk, let ``calls`` simulated customers ring it, return INVITE→paint ms per call."""
    os.environ.setdefault("QT_API", "pyside6")
    import qasync
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QLabel

    from app.prefs import Prefs
    from ui.shell import DeskShell
    from ui.signin import SignInWindow

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    tmp = Path(tempfile.mkdtemp())
    os.environ["CSDESK_PREFS"] = str(tmp / "prefs.json")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    args = argparse.Namespace(config=ROOT / "resources" / "centre.toml", profile="onsite", db=url, language="zh_CN",
                              lab="primary", agent=AGENT, auto_sign_in=False, screenshots=None, tour_seconds=0)
    signin = SignInWindow(profile="onsite")
    shell = DeskShell(app=app, args=args, prefs=Prefs(), signin=signin, root=ROOT)
    painted: list[tuple[float, str]] = []

    class PaintSpy(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(obj, QLabel) and obj.text():
                window = shell.window
                caller = window.screen_pop.banner.caller.text() if window is not None else ""
                if caller and window.screen_pop.card.isVisible():
                    painted.append((time.time(), caller))
            return False

    spy = PaintSpy()

    async def go() -> tuple[list[float], int]:
        shell._built = asyncio.ensure_future(shell._build())
        await shell._sign_in(AGENT, os.environ[PASSWORD_ENV])
        window = shell.window
        assert window is not None, signin.message.text()
        window.show()
        app.installEventFilter(spy)
        capture = tmp / "sip.txt"
        with capture.open("w") as out:
            dump = await asyncio.create_subprocess_exec(
                "tcpdump", "-i", "lo", "-n", "-tt", "-l", "-A", "udp and src port 15060",
                stdout=out, stderr=asyncio.subprocess.DEVNULL)
        await asyncio.sleep(1.0)
        cfile = tmp / "callers.txt"
        cfile.write_text("\n".join(callers))
        sim = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "labsim.sim", "--calls", str(calls), "--rate", "1/9s", "--max-active", "1",
            "--scenario", "service", "--caller-file", str(cfile), "--policy", "none", "--talk-max", "0",
            "--survey", "none", "--max-call", "60", cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        desk = shell.desk
        handled = 0
        end = time.monotonic() + calls * 12 + 60
        while handled < calls and time.monotonic() < end:
            state = desk.session.state.status.value
            if state == "ringing":
                await asyncio.sleep(0.3)
                await desk.answer()
            elif state == "talking":
                await asyncio.sleep(0.3)
                await desk.hangup()
            elif state == "wrap_up":
                await desk.finish_wrap_up()
                handled += 1
            await asyncio.sleep(0.05)
        await sim.wait()
        dump.terminate()
        await dump.wait()
        invites = invite_times(capture.read_text(errors="replace"))
        deltas = []
        for t_inv in invites:
            after = [t for t, _c in painted if t >= t_inv]
            if after:
                deltas.append((after[0] - t_inv) * 1000)
        await desk.settle()
        await shell._shutdown()
        return deltas, handled

    with loop:
        return loop.run_until_complete(go())


def main() -> int:
    args = bench_args(__doc__ or "")
    customers = 20_000 if args.quick else 1_000_000
    calls = 5 if args.quick else 25
    rows = []
    for kind in ("sqlite", "pg"):
        password = secrets.token_urlsafe(16)
        url, callers = prepare_db(kind, customers, 20261124, password)
        out = subprocess.run([sys.executable, "-m", "bench.pop_paint", "--child", url, str(calls), *callers],
                             env={**os.environ, PASSWORD_ENV: password},
                             cwd=ROOT, capture_output=True, text=True, timeout=calls * 15 + 300)
        m = re.search(r"^DELTAS (.*)$", out.stdout, re.M)
        deltas = [float(x) for x in m.group(1).split()] if m and m.group(1).strip() else []
        row = Row(key=f"invite_to_pop_{kind}", unit="ms", target_text="p99 < 50 ms",
                  figure=f"INVITE → screen pop painted, {customers:,} customers, {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}")
        if deltas:
            row.latency(deltas, compare="p99").check("<", 50)
            row.note = f"Xvfb, real desk; {len(deltas)} calls"
        else:
            row.note = "not measured: " + (out.stderr.strip().splitlines() or ["no calls painted"])[-1][:120]
        rows.append(row)
    emit(rows, args.out)
    return 0


def child() -> int:
    url, calls, callers = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    from bench.xvfb import xvfb

    with xvfb(display=96) as env:
        os.environ.update(env)
        deltas, handled = run_desk(url, callers, calls)
    print("HANDLED", handled)
    print("DELTAS " + " ".join(f"{d:.3f}" for d in deltas), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(child() if len(sys.argv) > 1 and sys.argv[1] == "--child" else main())
