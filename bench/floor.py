"""The memory floor: the stack the design requires, with none of csdesk's own code.

``python -m bench.floor ui`` paints a window like the sign-in window (two fields and a button, Chinese labels) on
the same Qt, and imports what ARCHITECTURE.md puts in the UI process: asyncio on a qasync loop, SQLAlchemy with
its ORM, and panoramisk. ``python -m bench.floor engine`` is a second Python process holding a pjsua2 endpoint
with one UDP transport on the null sound device. bench.startup measures the two beside the desk in the same run,
so "how much of the idle figure is ours" is read from the machine, not guessed.
"""

from __future__ import annotations

import sys
import time

TITLE = "csdesk floor"


def ui() -> int:
    import asyncio

    from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

    from ui.lean import stop_source_caching

    stop_source_caching()  # as the desk does: otherwise PySide6's import hook caches every imported module's source
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle(TITLE)
    form = QFormLayout(window)
    form.addRow(QLabel("坐席工号"), QLineEdit())
    form.addRow(QLabel("密码"), QLineEdit())
    form.addRow(QPushButton("签入"))
    window.show()
    app.processEvents()
    import panoramisk  # noqa: F401  (the AMI client)
    import qasync
    import sqlalchemy.orm  # noqa: F401  (the data layer)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_forever()
    return 0


def engine() -> int:
    import pjsua2 as pj

    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.logConfig.level = cfg.logConfig.consoleLevel = 0
    ep.libInit(cfg)
    tc = pj.TransportConfig()
    tc.boundAddress = "127.0.0.1"
    ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tc)
    ep.audDevManager().setNullDev()
    ep.libStart()
    print("ready", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    if which not in ("ui", "engine"):
        sys.exit("usage: python -m bench.floor ui|engine")
    sys.exit(ui() if which == "ui" else engine())
