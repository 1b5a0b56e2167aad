"""Run every benchmark, print one table, and write it as JSON (``make bench`` / ``./dev bench``).

Each row: the figure, p50/p95/p99 where it is a latency, the target, pass/fail, and the ratio to a peer
measured in the same run where there is one. Rows whose capability is not built or not measurable here
say so instead of pretending.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Every figure issue 9 names, in table order: key, figure, target.
TARGETS: list[tuple[str, str, str]] = [
    ("invite_to_offer", "INVITE received → call_did_offer at the desk", "p99 < 10 ms"),
    ("invite_to_pop_sqlite", "INVITE → screen pop painted, 1M customers/3M policies, SQLite", "p99 < 50 ms"),
    ("invite_to_pop_pg", "INVITE → screen pop painted, 1M customers/3M policies, PostgreSQL", "p99 < 50 ms"),
    ("screenpop_sqlite", "Screen-pop lookup alone, SQLite", "p99 < 5 ms"),
    ("screenpop_pg", "Screen-pop lookup alone, PostgreSQL", "p99 < 5 ms"),
    ("signin_to_ready", "Sign-in (click) → ready, against the lab", "p95 < 300 ms"),
    ("answer_to_200", "Answer (click) → 200 OK on the wire", "p99 < 20 ms"),
    ("start_cold", "Process start → sign-in window painted, cold", "≤ 0.6× Linphone"),
    ("start_warm", "Process start → sign-in window painted, warm", "≤ 0.6× Linphone"),
    ("rss_idle", "Resident memory at idle, desk + engine", "≤ 0.5× Linphone"),
    ("rss_idle_pg", "Resident memory at idle, desk + engine, desk on PostgreSQL", "report"),
    ("mem_growth_500", "Memory growth of desk + engine over 500 calls", "< 5 MB"),
    ("audio_misses", "Audio frame deadline misses per 10,000 frames, UI saturated", "0"),
    ("engine_cpu_call", "Engine CPU per active call", "< 3% of one core"),
    ("ami_storm", "AMI event storm 20,000 ev/s × 10 s into a lead desk: lost / UI stall p99", "0 lost; < 16 ms"),
    ("events_ratio", "Events to one CSR desk ÷ all PBX events, 10-agent load", "< 0.2"),
    ("bundle", "Bundle size (onedir, trimmed)", "report"),
    ("bundle_start_cold", "Bundle: process start → sign-in window painted, cold", "report"),
    ("bundle_start_warm", "Bundle: process start → sign-in window painted, warm", "report"),
    ("ami_sessions_50", "AMI: 50 desk sessions on one Asterisk, broadcast event delivery", "report"),
    ("ami_sessions_100", "AMI: 100 desk sessions on one Asterisk, broadcast event delivery", "report"),
    ("ami_sessions_200", "AMI: 200 desk sessions on one Asterisk, broadcast event delivery", "report"),
    ("ami_sessions_400", "AMI: 400 desk sessions on one Asterisk, broadcast event delivery", "report"),
    ("pg_pop_concurrent_25", "PostgreSQL: 25 desk connections doing screen pops", "report"),
    ("pg_pop_concurrent_50", "PostgreSQL: 50 desk connections doing screen pops", "report"),
    ("pg_pop_concurrent_100", "PostgreSQL: 100 desk connections doing screen pops", "report"),
]

# Bench modules and what they need; each writes rows with keys from TARGETS.
MODULES: list[tuple[str, list[str]]] = [  # run order (the table follows TARGETS): the longest-standing rows last
    ("bench.startup", ["xvfb", "linphone", "db"]),
    ("bench.screenpop", ["db"]),
    ("bench.pop_paint", ["lab", "db", "xvfb", "tcpdump"]),
    ("bench.session_latency", ["lab", "tcpdump"]),
    ("bench.engine_audio", ["lab", "audio"]),
    ("bench.mem_growth", ["lab", "db", "xvfb"]),
    ("bench.ami_storm", []),
    ("bench.centre_limits", ["lab", "db"]),
    ("bench.events_ratio", ["lab"]),
    ("bench.engine_latency", ["lab"]),
    ("bench.engine_audio_backends", ["audio"]),
    ("bench.bundle", ["xvfb"]),
]


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.node()} · {os.cpu_count()} cores · {cpu} · {mem_gib:.0f} GiB · {platform.platform()}"


def run_module(module: str, *, quick: bool, timeout: int) -> tuple[list[dict[str, Any]], str]:
    if not (ROOT / (module.replace(".", "/") + ".py")).exists():
        return [], "not built yet"
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    cmd = [sys.executable, "-m", module, "--out", str(out)] + (["--quick"] if quick else [])
    print(f"== {module}", flush=True)
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [], f"timed out after {timeout} s"
    took = time.monotonic() - t0
    print(f"== {module}: {took:.0f} s", flush=True)
    rows = json.loads(out.read_text()) if out.exists() and out.stat().st_size else []
    out.unlink(missing_ok=True)
    if proc.returncode != 0 and not rows:
        return [], f"failed (exit {proc.returncode}) after {took:.0f} s"
    return rows, ""


def fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"


def table(rows: list[dict[str, Any]]) -> str:
    head = "| Figure | Value | p50 | p95 | p99 | Unit | Target | Peer ratio | Result | Note |"
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        passed = r.get("passed")
        result = ("PASS" if passed else "FAIL" if passed is False
                  else "reported" if r.get("value") is not None else "not measured")
        ratio = f"{r['ratio']:.2f}× {r.get('peer') or ''}".strip() if r.get("ratio") is not None else "—"
        lines.append(
            f"| {r['figure']} | {fmt(r.get('value'))} | {fmt(r.get('p50'))} | {fmt(r.get('p95'))} | {fmt(r.get('p99'))} "
            f"| {r.get('unit', '')} | {r['target_text']} | {ratio} | {result} | {r.get('note', '')} |"
        )
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", nargs="*", help="module names to run (default: all)")
    p.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    p.add_argument("--timeout", type=int, default=1800)
    args = p.parse_args()
    got: dict[str, dict[str, Any]] = {}
    why: dict[str, str] = {}
    known = {m.split(".")[-1] for m, _needs in MODULES} | {m for m, _needs in MODULES}
    unknown = sorted(set(args.only or ()) - known)
    if unknown:
        p.error(f"unknown module(s) {', '.join(unknown)}; known: "
                + ", ".join(m.split(".")[-1] for m, _needs in MODULES))
    chosen = [m for m, _needs in MODULES
              if not args.only or m.split(".")[-1] in args.only or m in args.only]
    for i, module in enumerate(chosen, 1):
        rows, problem = run_module(module, quick=args.quick, timeout=args.timeout)
        for r in rows:
            got[r["key"]] = r
        if problem:
            why[module] = problem
        # A long run that is stopped part-way still leaves what it measured, marked as partial.
        write_json(args.json, collect(got, why), done=f"{i} of {len(chosen)} modules", complete=i == len(chosen))
    rows = collect(got, why)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"csdesk benchmarks, {stamp}, on {machine()}\n\n{table(rows)}\n"
    print("\n" + text)
    write_json(args.json, rows, done=f"{len(chosen)} of {len(chosen)} modules", complete=True)
    print(f"bench: table written to {args.json}")
    return 0


def write_json(path: Path, rows: list[dict[str, Any]], *, done: str, complete: bool) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"when": stamp, "machine": machine(), "complete": complete, "done": done,
                               "rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def collect(got: dict[str, dict[str, Any]], why: dict[str, str]) -> list[dict[str, Any]]:
    """Every TARGETS row in order (measured, or saying why not), then extra rows the modules reported."""
    rows = []
    for key, figure, target in TARGETS:
        if key in got:
            rows.append(got[key])
        else:
            note = "; ".join(f"{m}: {w}" for m, w in why.items() if w) or "no benchmark produces it yet"
            rows.append({"key": key, "figure": figure, "target_text": target, "unit": "", "passed": None,
                         "note": f"not measured ({note})"})
    extra = [r for k, r in got.items() if k not in {t[0] for t in TARGETS}]
    rows.extend(extra)
    return rows


if __name__ == "__main__":
    sys.exit(main())
