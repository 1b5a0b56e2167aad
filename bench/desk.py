"""A real desk for benchmarks that drive it from inside its process: the bench database with one agent, and
the desk shell built the way ``csdesk`` builds it (GC guard, DeskShell, lab credentials), on a qasync loop."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def agent_db(kind: str, customers: int, seed: int, *, agent: str, queue: str, password: str) -> str:
    """The bench database at scale (made once by bench.screenpop) with the demo agents; ``agent`` gets
    ``password`` and works ``queue`` only (one the shared lab's other desks do not work). Return its URL."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.actor import Actor
    from app.demo_data.agents import seed_agents
    from app.models.agent import AgentSkill
    from app.services.agents import set_password
    from bench.screenpop import open_db

    engine = open_db(kind, customers, seed)
    with Session(engine) as s:
        seed_agents(s, password=password)
        set_password(s, actor=Actor(agent_id="bench", desk_id="bench"), agent_id=agent, password=password)
        for skill in s.scalars(select(AgentSkill).where(AgentSkill.agent_id == agent)):
            s.delete(skill)
        s.flush()
        s.add(AgentSkill(agent_id=agent, queue=queue))
        s.commit()
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    return url


def desk_shell(url: str, agent: str) -> tuple[Any, Any, Any, Any, Path]:
    """Build (app, loop, shell, gc_guard, tmp) as ui.main does, with prefs and data in the fresh folder tmp."""
    os.environ.setdefault("QT_API", "pyside6")
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.prefs import Prefs
    from ui.gcguard import MainThreadGc
    from ui.shell import DeskShell
    from ui.signin import SignInWindow

    app = QApplication.instance() or QApplication([])
    gc_guard = MainThreadGc(parent=app)  # as ui.main does: cyclic GC on the GUI thread, from a timer
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    tmp = Path(tempfile.mkdtemp())
    os.environ["CSDESK_PREFS"] = str(tmp / "prefs.json")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    args = argparse.Namespace(config=ROOT / "resources" / "centre.toml", profile="onsite", db=url, language="zh_CN",
                              lab="primary", agent=agent, auto_sign_in=False, screenshots=None, tour_seconds=0)
    shell = DeskShell(app=app, args=args, prefs=Prefs(), signin=SignInWindow(profile="onsite"), root=ROOT)
    return app, loop, shell, gc_guard, tmp
