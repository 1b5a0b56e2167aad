"""Lead mode from the composition root: after the sign-in window, a lead account gets the lead window.

ui/shell.py asks ``open_if_lead`` first; for a CSR account it returns False and the CSR desk opens as before.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from app.indicators import QueueLogFile
from app.lead import LeadDesk, is_lead_account, sign_in_lead

log = logging.getLogger(__name__)


def queue_log_path(args: Any) -> Path | None:
    """The PBX's queue_log for the indicators: the lab's (``--lab``), else $CSDESK_QUEUE_LOG."""
    if getattr(args, "lab", None):
        import labsim.labinfo

        return Path(labsim.labinfo.load(args.lab).queue_log)
    env = os.environ.get("CSDESK_QUEUE_LOG")
    return Path(env) if env else None


async def open_if_lead(shell: Any, agent_id: str, password: str) -> bool:
    """Sign a lead account in and open the lead window; return False (doing nothing) for any other account."""
    desk = shell.desk
    if not await desk.worker.run(_is_lead, desk.session_factory, agent_id):
        return False
    from ui.lead.window import LeadWindow  # here: a CSR's sign-in never loads the lead window (QtCharts)

    path = queue_log_path(shell.args)
    lead: LeadDesk = await sign_in_lead(desk=desk, agent_id=agent_id, password=password,
                                        queue_source=QueueLogFile(path) if path else None)
    window = LeadWindow(lead=lead, bridge=shell.bridge, reasons=list(desk.config.not_ready_reasons))
    try:
        members = await lead.start()
    except Exception:
        window.deleteLater()
        await lead.close()
        raise
    window.show_team(members)
    window.setWindowTitle(f"csdesk · {lead.display_name} ({agent_id})")
    window.closing.connect(lambda: shell._finish(0))
    shell.window, shell.lead = window, lead
    shell.signin.hide()
    window.resize(1366, 768)
    window.show()
    log.info("lead mode opened")
    return True


def _is_lead(factory: Any, agent_id: str) -> bool:
    with factory() as s:
        return is_lead_account(s, agent_id)
