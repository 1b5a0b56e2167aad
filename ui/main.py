"""The composition root: build settings, DB, AMI session, SIP engine and windows, and run the desk.

Start-up is lean on purpose: the sign-in window is painted before anything heavy (SQLAlchemy,
panoramisk, the engine) is imported, so a CSR sees the desk at once; the rest is built while they type.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="csdesk", description="csdesk agent desktop")
    p.add_argument("--config", type=Path, default=Path(os.environ.get("CSDESK_CONFIG", ROOT / "resources" / "centre.toml")),
                   help="the centre configuration file (TOML)")
    p.add_argument("--profile", choices=("onsite", "remote"), default=os.environ.get("CSDESK_PROFILE", "onsite"),
                   help="desk profile, set by the centre's deployment (not chosen by the CSR)")
    p.add_argument("--db", default=os.environ.get("CSDESK_DB_URL", ""), help="database URL (default: a local SQLite file)")
    p.add_argument("--language", choices=("zh_CN", "en"), default=None, help="UI language (default: the user's choice, else zh_CN)")
    p.add_argument("--lab", metavar="INSTANCE", default=None,
                   help="take PBX addresses and secrets from the lab (asterisk-conf/lab); demo and tests only")
    p.add_argument("--agent", default=None, help="agent ID to prefill (demo)")
    p.add_argument("--auto-sign-in", action="store_true", help="sign in at once with the demo password (demo only)")
    p.add_argument("--screenshots", type=Path, default=None, help="save screenshots of key moments here (demo tour)")
    p.add_argument("--tour-seconds", type=float, default=0, help="quit after the screenshot tour, or after this long")
    p.add_argument("--tour-stop", metavar="SHOT", default=None,
                   help="end the tour after this screenshot and leave the desk as it is until --tour-seconds "
                        "(the resilience tests kill the desk mid-form)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("QT_API", "pyside6")
    import logging

    # Our modules log event names and ids only; libraries that could log call details stay at WARNING.
    logging.basicConfig(level=os.environ.get("CSDESK_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("panoramisk", "asyncio", "alembic", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from PySide6.QtWidgets import QApplication

    from ui.lean import stop_source_caching

    stop_source_caching()  # before the rest is imported: PySide6's import hook would cache every module's source
    from app.prefs import Prefs
    from ui.i18n import install_translator
    from ui.signin import SignInWindow

    app = QApplication(sys.argv[:1])
    from ui.gcguard import MainThreadGc

    gc_guard = MainThreadGc(parent=app)  # Qt objects in garbage cycles die on the GUI thread, not the DB worker's
    del gc_guard
    app.setApplicationName("csdesk")
    app.setOrganizationName("csdesk")
    prefs = Prefs.load()
    install_translator(app, args.language or prefs.language)
    style = ROOT / "resources" / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    signin = SignInWindow(profile=args.profile, remembered_agent_id=args.agent or prefs.agent_id)
    signin.show()
    app.processEvents()  # paint the sign-in window before importing the heavy parts

    import asyncio

    import qasync

    from ui.shell import DeskShell

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    shell = DeskShell(app=app, args=args, prefs=prefs, signin=signin, root=ROOT)
    with loop:
        return loop.run_until_complete(shell.run())


if __name__ == "__main__":
    sys.exit(main())
