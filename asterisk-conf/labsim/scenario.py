"""What the customer simulator does: call rates, IVR scenarios, caller IDs, policy numbers, survey scores."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

# Scenario name -> IVR digit ("" = press nothing and let the menu time out into `service`).
MENU = {"claims-auto": "1", "claims-life": "2", "service": "3", "complaints": "4", "operator": "0", "timeout": ""}
QUEUE_OF = {"1": "claims-auto", "2": "claims-life", "3": "service", "4": "complaints", "0": "service",
            "": "service"}
RATE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)?\s*(s|sec|m|min|h)\s*$")


def parse_rate(text: str) -> float:
    """Return the seconds between calls for '1/10s', '6/min', '2/s', '30/h'."""
    m = RATE_RE.match(text)
    if not m:
        raise ValueError(f"bad rate {text!r}: use e.g. 1/10s, 6/min, 2/s")
    calls = float(m.group(1))
    span = float(m.group(2) or 1) * {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}[m.group(3)]
    if calls <= 0:
        raise ValueError("the rate must be above zero")
    return span / calls


@dataclass(frozen=True)
class Plan:
    """One simulated customer call: whom it presents as, what it presses, how it behaves."""

    caller_id: str
    digit: str
    policy: str
    survey_score: str  # "1".."4", or "" to let the survey time out
    patience: float  # seconds to wait for an agent before hanging up
    talk_max: float  # hang up after this long with an agent (0: wait for the agent to hang up)

    @property
    def queue(self) -> str:
        return QUEUE_OF[self.digit]


@dataclass
class Planner:
    """Make call plans from the command-line choices, reproducibly for a given seed."""

    scenario: str = "claims-auto"
    caller_ids: tuple[str, ...] = ()
    policy: str = "random"
    survey: str = "random"
    patience: float = 120.0
    talk_max: float = 0.0
    seed: int = 1

    def __post_init__(self) -> None:
        if self.scenario != "mixed" and self.scenario not in MENU:
            raise ValueError(f"unknown scenario {self.scenario!r}: {', '.join([*MENU, 'mixed'])}")
        if self.survey not in ("random", "none", "1", "2", "3", "4"):
            raise ValueError("survey must be 1-4, random or none")
        self.rng = random.Random(self.seed)
        self.count = 0

    def _caller_id(self, busy: set[str]) -> str:
        pool = [c for c in self.caller_ids if c not in busy]
        if self.caller_ids:
            if not pool:
                raise LookupError("every caller ID in the list is already on a call")
            return pool[self.count % len(pool)]
        while True:
            cid = "1" + self.rng.choice("3456789") + "".join(self.rng.choice("0123456789") for _ in range(9))
            if cid not in busy:
                return cid

    def next(self, busy: set[str]) -> Plan:
        """Return the next call's plan; ``busy`` holds caller IDs of calls still running."""
        name = self.rng.choice(list(MENU)[:4]) if self.scenario == "mixed" else self.scenario
        if self.policy == "random":
            policy = "".join(self.rng.choice("0123456789") for _ in range(10))
        else:
            policy = "" if self.policy == "none" else self.policy
        score = self.rng.choice("1234") if self.survey == "random" else ("" if self.survey == "none" else self.survey)
        plan = Plan(self._caller_id(busy), MENU[name], policy, score, self.patience, self.talk_max)
        self.count += 1
        return plan


def read_caller_ids(path: Path) -> tuple[str, ...]:
    """Read caller IDs from a file: one per line, '#' comments allowed."""
    out = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            if not re.fullmatch(r"\+?[0-9]{3,20}", line):
                raise ValueError(f"{path}: not a caller ID: {line!r}")
            out.append(line)
    return tuple(out)
