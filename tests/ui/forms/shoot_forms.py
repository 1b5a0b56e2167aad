"""Render each form inside the desk window at 1366×768 to PNG, to look at them as a CSR would.

  QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/forms/shoot_forms.py [OUT_DIR] [zh_CN|en]

Not a test: it writes /tmp/forms-shots/*.png by default, over a throw-away SQLite database."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import qasync
from formkit import ACTOR, seed_world
from PySide6.QtWidgets import QApplication

from app.db import make_engine, make_session_factory, upgrade_to_head
from app.drafts import DraftStore
from app.worker import DbWorker
from cti.bus import EventBus
from ui.bridge import QtEventBridge
from ui.forms import CallContext, FormContext, build_forms
from ui.i18n import install_translator
from ui.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[3]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/forms-shots")
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    app.setStyleSheet((ROOT / "resources" / "style.qss").read_text(encoding="utf-8"))
    install_translator(app, language)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    tmp = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{tmp / 'desk.db'}")
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    with factory() as s:
        seed = seed_world(s)
    worker = DbWorker()
    window = MainWindow(desk=object(), bridge=QtEventBridge(bus=EventBus()), reasons=["小休"])
    ctx = FormContext(worker=worker, session_factory=factory, actor=ACTOR, drafts=DraftStore(tmp / "drafts.db"),
                      ops=window.ops)
    panel = build_forms(ctx=ctx)
    window.work_area.addTab(panel, "Forms")
    window.resize(1366, 768)
    window.show()

    async def settle(seconds: float = 0.3) -> None:
        await asyncio.sleep(seconds)
        await window.ops.drain()

    async def shoot() -> None:
        await settle()
        panel.set_call(CallContext(linkedid="1732400000.101", caller_number=seed.mobile, queue="claims-auto"))
        await settle()
        q = panel.query
        q.name.setText(seed.name)
        q.id_last6.setText(seed.id_number[-6:])
        q.verify()
        await settle()
        q.detail_policy.setText(seed.auto_policy)
        q.show_policy()
        await settle()
        panel.focus_form("query")
        window.grab().save(str(out / "1-query.png"))
        c = panel.claim
        c.occurred_at.setText((datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"))
        c.description.setPlainText("追尾，前车急刹")
        c.vehicles.rows[0].plate.setText("粤BD12345")
        c.vehicles.rows[0].vin.setText("LSVAU2180N21834I6")
        p = c.people.add_row()
        p.name.setText("李四")
        p.phone.setText("12345")
        panel.focus_form("claim")
        await settle()
        window.grab().save(str(out / "2-claim-auto.png"))
        c.submit()
        await settle()
        c.scroll_area.verticalScrollBar().setValue(c.scroll_area.verticalScrollBar().maximum())
        window.grab().save(str(out / "2-claim-auto-submitted.png"))
        c.line.setCurrentIndex(1)
        await settle()
        window.grab().save(str(out / "3-claim-life.png"))
        w = panel.wrapup
        w.category.filter.setText("退保")
        w.resolved_yes.setChecked(True)
        panel.focus_form("wrapup")
        await settle()
        window.grab().save(str(out / "4-wrapup.png"))
        t = panel.transfer
        t.category.set_code("complaint.claim")
        t.problem.setPlainText("理赔款迟迟未到账，客户要求主管回电")
        t.submit()
        panel.focus_form("transfer")
        await settle(0.5)
        window.grab().save(str(out / "5-transfer.png"))
        o = panel.outbound
        o.select_task(seed.cooling_task)
        o.result.setCurrentIndex(o.result.findData("success"))
        panel.focus_form("outbound")
        await settle()
        o.submit()
        await settle()
        window.grab().save(str(out / "6-outbound.png"))
        c.description.setPlainText("草稿：停车场剐蹭")
        c.save_draft()
        await settle()
        d = build_forms(ctx=ctx)  # a second panel over the same drafts, as after a restart: the restore bar
        window.work_area.addTab(d, "Restart")
        window.work_area.setCurrentWidget(d)
        d.focus_form("claim")
        await settle()
        window.grab().save(str(out / "7-restore-bar.png"))
        window.work_area.setCurrentWidget(panel)  # the half-typed report stays with its call when the next rings
        panel.set_call(None)
        panel.set_call(CallContext(linkedid="1732400000.202", caller_number="13900009999", queue="service"))
        panel.focus_form("claim")
        await settle()
        window.grab().save(str(out / "8-kept-for-earlier-call.png"))

    loop.run_until_complete(shoot())
    worker.shutdown()
    print(f"shots in {out}")


if __name__ == "__main__":
    main()
