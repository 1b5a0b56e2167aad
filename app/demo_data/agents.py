"""Demo agent accounts: CSRs 1001-1010 and leads 2001-2002, all with one demo password."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.orm import Session

from app.actor import Actor
from app.models import Agent
from app.services.agents import create_agent

CSRS = tuple((str(n), name) for n, name in zip(range(1001, 1011), (
    "李娜", "王芳", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周婷", "吴昊"), strict=True))
LEADS = (("2001", "孙丽"), ("2002", "马强"))
SKILLS = {"A": ("service", "claims-auto"), "B": ("service", "claims-life")}
DEFAULT_STATE_DIR = Path("/var/lib/csdesk")
SEEDER = Actor(agent_id="demo", desk_id="demo-data")


def seed_agents(session: Session, *, password: str) -> list[str]:
    """Create the demo accounts that do not exist yet; return the ids created."""
    made = []
    for n, (aid, name) in enumerate(CSRS):
        team = "A" if n < 5 else "B"
        if session.get(Agent, aid) is None:
            create_agent(session, actor=SEEDER, agent_id=aid, display_name=name, role="csr", team=team,
                         skills=SKILLS[team], password=password)
            made.append(aid)
    for aid, name in LEADS:
        team = "A" if aid == "2001" else "B"
        if session.get(Agent, aid) is None:
            create_agent(session, actor=SEEDER, agent_id=aid, display_name=name, role="lead", team=team,
                         skills=SKILLS[team], password=password)
            made.append(aid)
    return made


def demo_password(*, given: str | None, state_dir: Path) -> tuple[str, Path | None]:
    """Return the demo password: ``given``, else $CSDESK_DEMO_PASSWORD, else the one kept (or newly made)
    in ``state_dir/demo-password`` (mode 0600). The path is returned when the file was used."""
    if given:
        return given, None
    env = os.environ.get("CSDESK_DEMO_PASSWORD")
    if env:
        return env, None
    path = state_dir / "demo-password"
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), path
    state_dir.mkdir(parents=True, exist_ok=True)
    pw = secrets.token_urlsafe(12)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(pw + "\n")
    return pw, path
