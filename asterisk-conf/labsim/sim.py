"""The customer simulator: calls the hotline, walks the IVR, talks, answers the survey and outbound calls.

    python -m labsim.sim --rate 1/10s --scenario claims-auto --calls 5
    python -m labsim.sim --rate 6/min --scenario mixed --caller-file ids.txt --survey 4 --duration 600
    python -m labsim.sim --calls 0 --answer-outbound          # only answer the desk's outbound calls
    python -m labsim.sim --rate 2/s --calls 40 --workers 4    # more than 4 calls at once: more processes

It uses the lab's lab.json (``--instance``), one pjsua2 endpoint, and AMI to follow each call (queue join,
agent connect, survey): as the read-only user ``simulator`` when the lab has one, else as ``admin``.
Logs carry call numbers and linkedids, never caller IDs.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pjsua2 as pj

from labsim.ami import AmiClient, Msg
from labsim.audio import speech_wav
from labsim.labinfo import HOTLINE, LabNotUp, load
from labsim.phone import MAX_CALLS, Leg, Line, Phones
from labsim.scenario import Plan, Planner, parse_rate, read_caller_ids
from labsim.simpool import run_pool

MENU_DELAY = 1.5  # after the IVR answers: press the menu digit
POLICY_DELAY = 2.0  # after the menu digit: type the policy number and #
SURVEY_DELAY = 1.5  # after the survey starts: press the score


@dataclass
class Flow:
    """One simulated customer call and where it is."""

    n: int
    plan: Plan
    leg: Leg
    started: float
    phase: str = "dialing"
    at: float = 0.0  # when the current phase began
    uniqueid: str = ""
    linkedid: str = ""
    sent: set[str] = field(default_factory=set)

    def enter(self, phase: str, now: float) -> None:
        self.phase, self.at = phase, now
        log(f"call {self.n} {phase}" + (f" linkedid={self.linkedid}" if self.linkedid else ""))


def log(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} sim: {text}", flush=True)


class Simulator:
    """Drive calls on one pjsua2 endpoint, following them on AMI."""

    def __init__(self, phones: Phones, ami: AmiClient, planner: Planner, wav: Path, args: argparse.Namespace):
        self.phones, self.ami, self.planner, self.wav, self.args = phones, ami, planner, wav, args
        self.flows: list[Flow] = []
        self.cursor = len(ami.messages)
        self.stats = {k: 0 for k in ("placed", "ivr_answered", "joined", "connected", "abandoned",
                                     "survey_reached", "survey_scored", "failed", "outbound_answered")}
        self.stop = False
        self.outbound: list[tuple[Leg, float]] = []
        # pjsua2 has MAX_CALLS slots per process; keep one for an outbound call when answering those.
        self.max_active = max(1, min(args.max_active, MAX_CALLS - (1 if args.answer_outbound else 0)))

    # --- outbound calls from the desk to "mobile" numbers ---
    def on_outbound(self, leg: Leg) -> None:
        leg.answer(180)
        self.outbound.append((leg, time.monotonic() + self.args.answer_delay))

    def _tick_outbound(self, now: float) -> None:
        for leg, when in list(self.outbound):
            if leg.ended:
                self.outbound.remove((leg, when))
            elif not leg.connected and now >= when and "answered" not in leg.headers:
                leg.headers["answered"] = "1"
                leg.play(self.wav)
                leg.answer(200)
                self.stats["outbound_answered"] += 1
                log("outbound call answered")
            elif leg.connected and self.args.outbound_talk and now >= when + self.args.outbound_talk:
                leg.hangup()

    # --- inbound customer calls ---
    def place(self, line_for: dict[str, Line]) -> None:
        busy = {f.plan.caller_id for f in self.flows}
        plan = self.planner.next(busy)
        line = line_for.get(plan.caller_id)
        if line is None:
            line = self.phones.line(plan.caller_id, auth_user="pstn", register=False)
            line_for[plan.caller_id] = line
        self.stats["placed"] += 1
        try:
            leg = line.call(HOTLINE)
        except pj.Error as exc:
            self.stats["failed"] += 1
            log(f"call {self.planner.count} could not be placed: {exc.info()}")
            return
        flow = Flow(self.planner.count, plan, leg, time.monotonic())
        self.flows.append(flow)
        log(f"call {flow.n} placed (scenario digit {plan.digit or 'none'}, queue {plan.queue})")

    def _events(self) -> None:
        msgs = self.ami.messages[self.cursor:]
        self.cursor += len(msgs)
        for m in msgs:
            self._event(m, time.monotonic())

    def _event(self, m: Msg, now: float) -> None:
        ev = m.get("Event", "")
        if ev == "QueueCallerJoin":
            for f in self.flows:
                if f.phase in ("dialing", "ivr") and m.get("CallerIDNum") == f.plan.caller_id:
                    f.uniqueid, f.linkedid = m.get("Uniqueid", ""), m.get("Linkedid", "")
                    self.stats["joined"] += 1
                    f.enter("queued", now)
            return
        for f in self.flows:
            if not f.uniqueid:
                continue
            if ev == "AgentConnect" and m.get("Linkedid") == f.linkedid and f.phase == "queued":
                self.stats["connected"] += 1
                f.enter("talking", now)
            elif ev == "Newexten" and m.get("Uniqueid") == f.uniqueid and m.get("Context") == "csd-survey" \
                    and f.phase not in ("survey", "done"):
                self.stats["survey_reached"] += 1
                f.enter("survey", now)
            elif ev == "UserEvent" and m.get("UserEvent") == "CsdSurvey" and m.get("Linkedid") == f.linkedid:
                self.stats["survey_scored"] += 1
                log(f"call {f.n} survey score {m.get('Score', '')} recorded")

    def _tick(self, f: Flow, now: float) -> None:
        leg, plan = f.leg, f.plan
        if leg.ended:
            if f.phase == "dialing":
                self.stats["failed"] += 1
                log(f"call {f.n} failed (SIP {leg.last_code})")
            elif f.phase == "queued":
                self.stats["abandoned"] += 1
            f.enter("done", now)
            return
        if f.phase == "dialing" and leg.connected:
            self.stats["ivr_answered"] += 1
            leg.play(self.wav)
            f.enter("ivr", now)
        elif f.phase == "ivr":
            if plan.digit and "menu" not in f.sent and now >= f.at + MENU_DELAY:
                f.sent.add("menu")
                leg.dtmf(plan.digit)
            if plan.digit and "policy" not in f.sent and now >= f.at + MENU_DELAY + POLICY_DELAY:
                f.sent.add("policy")
                leg.dtmf(plan.policy + "#")
        elif f.phase == "queued" and now >= f.at + plan.patience:
            log(f"call {f.n} gives up waiting")
            leg.hangup()
        elif f.phase == "talking" and plan.talk_max and now >= f.at + plan.talk_max:
            leg.hangup()
        elif f.phase == "survey" and plan.survey_score and "score" not in f.sent and now >= f.at + SURVEY_DELAY:
            f.sent.add("score")
            leg.dtmf(plan.survey_score)
        if now >= f.started + self.args.max_call:
            leg.hangup()

    def run(self, interval: float, calls: int, duration: float) -> None:
        """Place calls every ``interval`` s until ``calls`` were placed (0: none) or ``duration`` s passed."""
        line_for: dict[str, Line] = {}
        start = time.monotonic()
        next_call = start
        while not self.stop:
            now = time.monotonic()
            placing = (calls < 0 or self.stats["placed"] < calls) and (not duration or now < start + duration)
            active = [f for f in self.flows if f.phase != "done"]
            if placing and now >= next_call and len(active) < self.max_active:
                self.place(line_for)
                next_call = now + interval
            self._events()
            for f in active:
                self._tick(f, now)
            self.flows = [f for f in self.flows if f.phase != "done"]
            self._tick_outbound(now)
            if not placing and not self.flows and not self.outbound:
                serving = self.args.answer_outbound and calls == 0 and (not duration or now < start + duration)
                if not serving:
                    break
            self.phones.pump(0.02)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m labsim.sim", description=__doc__.split("\n\n")[0])
    p.add_argument("--instance", default="primary")
    p.add_argument("--rate", default="1/10s", help="calls per time, e.g. 1/10s, 6/min, 2/s")
    p.add_argument("--scenario", default="claims-auto",
                   help="claims-auto, claims-life, service, complaints, operator, timeout, mixed")
    p.add_argument("--calls", type=int, default=1, help="calls to place (-1: unlimited, 0: none)")
    p.add_argument("--duration", type=float, default=0.0, help="stop placing calls after this many s")
    p.add_argument("--caller-ids", default="", help="comma-separated caller IDs (default: random mobiles)")
    p.add_argument("--caller-file", type=Path, help="file with one caller ID per line")
    p.add_argument("--policy", default="random", help="digits to enter, 'random' or 'none'")
    p.add_argument("--survey", default="random", help="survey score 1-4, 'random' or 'none'")
    p.add_argument("--patience", type=float, default=120.0, help="s a caller waits in queue")
    p.add_argument("--talk-max", type=float, default=0.0, help="caller hangs up after s with an agent (0: never)")
    p.add_argument("--max-call", type=float, default=900.0, help="hard limit of one call, s")
    p.add_argument("--max-active", type=int, default=MAX_CALLS, help="most simultaneous customer calls per process")
    p.add_argument("--answer-outbound", action=argparse.BooleanOptionalAction, default=True,
                   help="register as the network side (pstn) and answer the desk's outbound calls")
    p.add_argument("--answer-delay", type=float, default=2.0, help="s of ringing before answering outbound")
    p.add_argument("--outbound-talk", type=float, default=0.0, help="hang up outbound calls after s (0: never)")
    p.add_argument("--wav", type=Path, help="audio to play (default: generated speech-like audio)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--pj-log", type=int, default=0, help="pjsua2 log level (0 quiet .. 5 SIP messages)")
    p.add_argument("--workers", type=int, default=1,
                   help=f"processes sharing the calls (pjsua2 allows {MAX_CALLS} calls per process)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the simulator until its calls are done (or SIGINT/SIGTERM); print a JSON summary."""
    args = build_parser().parse_args(argv)
    try:
        lab = load(args.instance)
        ids = tuple(c for c in args.caller_ids.split(",") if c)
        if args.caller_file:
            ids += read_caller_ids(args.caller_file)
        planner = Planner(args.scenario, ids, args.policy, args.survey, args.patience, args.talk_max, args.seed)
        interval = parse_rate(args.rate)
    except (LabNotUp, ValueError, OSError) as exc:
        print(f"sim: {exc}", file=sys.stderr)
        return 2
    if args.workers > 1:
        return run_pool(list(argv if argv is not None else sys.argv[1:]), args.workers, interval, args.calls,
                        args.seed)
    wav = args.wav or speech_wav(Path(tempfile.gettempdir()) / "labsim-speech.wav")
    # A read-only AMI user of its own when the lab defines one; admin (tests only) otherwise.
    ami_user = "simulator" if "simulator" in lab.ami_users else "admin"
    with AmiClient.for_lab(lab, ami_user) as ami, Phones(lab, log_level=args.pj_log) as phones:
        sim = Simulator(phones, ami, planner, wav, args)

        def halt(signum: int, frame: object) -> None:
            sim.stop = True

        signal.signal(signal.SIGINT, halt)
        signal.signal(signal.SIGTERM, halt)
        if args.answer_outbound:
            net = phones.line("pstn")
            net.on_incoming = sim.on_outbound
            log("registered as the network side (pstn): answering outbound calls")
        sim.run(interval, args.calls, args.duration)
        print(json.dumps(sim.stats, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
