"""The CSR's window end to end against the lab (issue 6): a simulator call arrives, the card shows the right
customer before answering, the CSR answers, files a claim report, hangs up and saves the wrap-up; the contact,
the report and the wrap-up exist with the same linkedid."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.db.engine import make_engine, make_session_factory
from app.models import ClaimReport, Contact, Customer, Policy
from app.prefs import Prefs
from tests.e2e.conftest import PASSWORD, ROOT

AGENT = "1002"  # demo skills: claims-auto and service


def wait(loop: Any, cond: Any, what: str, timeout: int = 15000) -> None:
    """Run the qasync loop (Qt events and asyncio tasks) until ``cond()`` holds."""

    async def poll() -> None:
        end = loop.time() + timeout / 1000
        while not cond():
            if loop.time() > end:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.05)

    loop.run_until_complete(poll())


@pytest.fixture
def qt_loop(qapp: Any) -> Any:
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


def desk_shell(qtbot: Any, qapp: Any, seeded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               agent: str) -> tuple[Any, Any]:
    """The desk as the CSR starts it, at its sign-in window with ``agent`` remembered: (shell, signin)."""
    from ui.shell import DeskShell
    from ui.signin import SignInWindow

    monkeypatch.setenv("CSDESK_PREFS", str(tmp_path / "prefs.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", os.environ.get("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}"))
    args = argparse.Namespace(config=ROOT / "resources" / "centre.toml", profile="onsite", db=seeded_db,
                              language="en", lab="primary", agent=agent, auto_sign_in=False, screenshots=None,
                              tour_seconds=0)
    signin = SignInWindow(profile="onsite")
    qtbot.addWidget(signin)
    shell = DeskShell(app=qapp, args=args, prefs=Prefs(), signin=signin, root=ROOT)
    shell._built = asyncio.ensure_future(shell._build())
    return shell, signin


def sign_in(qtbot: Any, qt_loop: Any, shell: Any, signin: Any, agent: str) -> Any:
    """Sign ``agent`` in through the shell; return the desk window."""
    qt_loop.run_until_complete(shell._sign_in(agent, PASSWORD))
    window = shell.window
    assert window is not None, signin.message.text()
    qtbot.addWidget(window)
    return window


def signed_in_shell(qtbot: Any, qapp: Any, qt_loop: Any, seeded_db: str, tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch, agent: str) -> tuple[Any, Any, Any]:
    """The desk signed in as ``agent`` through its sign-in window: (shell, signin, window)."""
    shell, signin = desk_shell(qtbot, qapp, seeded_db, tmp_path, monkeypatch, agent)
    return shell, signin, sign_in(qtbot, qt_loop, shell, signin, agent)


def test_call_to_claim_report_and_wrap_up_through_the_window(
    qtbot: Any, qapp: Any, qt_loop: Any, lab: Any, seeded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sf = make_session_factory(make_engine(seeded_db))
    with sf() as s:  # a customer with an auto policy in force, who calls from their mobile
        row = s.execute(select(Customer.id, Customer.mobile, Customer.name, Policy.number)
                        .join(Policy, Policy.holder_id == Customer.id)
                        .where(Policy.product_line.like("auto%"), Policy.status == "in_force",
                               Customer.mobile.is_not(None)).order_by(Customer.id)).first()
    assert row is not None
    customer_id, mobile, name, policy_number = row

    shell, _signin, window = signed_in_shell(qtbot, qapp, qt_loop, seeded_db, tmp_path, monkeypatch, AGENT)
    wait(qt_loop, lambda: window.state_bar.state == "ready", "ready")

    sim = subprocess.Popen([sys.executable, "-m", "labsim.sim", "--calls", "1", "--scenario", "claims-auto",
                            "--caller-ids", mobile, "--policy", "none", "--talk-max", "0", "--max-call", "120",
                            "--survey", "none"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait(qt_loop, lambda: window.screen_pop.showing and window.screen_pop.banner.caller.text() == mobile,
             "the ringing banner and card", 45000)
        assert window.state_bar.state == "ringing"  # the card is there before the answer
        from PySide6.QtWidgets import QLabel

        assert any(lbl.text().startswith(name) for lbl in window.screen_pop.card.findChildren(QLabel))

        window.call_strip.buttons["answer"].click()
        wait(qt_loop, lambda: window.state_bar.state == "talking", "talking")

        forms = window.forms
        forms.focus_form("claim")
        claim = forms.claim
        claim.line.setCurrentIndex(claim.line.findData("auto"))
        claim.policy_number.setText(policy_number)
        claim.occurred_at.setText((datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
        claim.description.setPlainText("追尾，前车急刹")
        claim.location.setText("北京市朝阳区建国路")
        claim.police.setCurrentIndex(claim.police.findData("no"))
        claim.vehicles.rows[0].plate.setText("京A12345")
        claim.submit_button.click()
        wait(qt_loop, lambda: claim.receipt.isVisible(), "the report number")

        window.call_strip.buttons["hangup"].click()
        wait(qt_loop, lambda: window.state_bar.state == "wrap_up", "wrap-up")
        assert not window.state_bar.finish_button.isEnabled()  # the wrap-up form first
        wrap = forms.wrapup
        wrap.category.set_code("claim.auto")
        wrap.resolved_yes.setChecked(True)
        wrap.submit()
        wait(qt_loop, window.state_bar.finish_button.isEnabled, "the wrap-up to be saved")
        window.state_bar.finish_button.click()
        wait(qt_loop, lambda: window.state_bar.state == "ready", "ready after wrap-up")
    finally:
        sim.wait(timeout=120)
        qt_loop.run_until_complete(shell.desk.settle())
        qt_loop.run_until_complete(shell._shutdown())

    with sf() as s:
        contact = s.scalars(select(Contact).where(Contact.agent_id == AGENT, Contact.customer_id == customer_id)
                            .order_by(Contact.id.desc())).first()
        assert contact is not None
        report = s.scalars(select(ClaimReport).where(ClaimReport.linkedid == contact.linkedid)).one()
        assert contact.wrap_up is not None
        assert contact.wrap_up.category_code == "claim.auto"
        assert contact.answered_at is not None
        assert contact.ended_at is not None
        assert report.kind == "auto"


def test_a_lead_signing_the_agent_out_returns_the_window_to_sign_in_naming_the_lead(
    qtbot: Any, qapp: Any, qt_loop: Any, lab: Any, seeded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8: the lead signs out an agent who walked away; the agent's desk goes back to its sign-in window,
    which says which lead did it and when; the agent signs in again there."""
    from app.config import load_config
    from app.lead import build_supervisor
    from app.secrets import StaticCredentials
    from cti.bus import EventBus

    agent = "1006"
    shell, signin, window = signed_in_shell(qtbot, qapp, qt_loop, seeded_db, tmp_path, monkeypatch, agent)
    try:
        wait(qt_loop, lambda: window.state_bar.state == "ready", "ready")
        assert not signin.isVisible()
        slots = shell.bridge.slot_count()
        centre = load_config(ROOT / "resources" / "centre.toml")
        sup = build_supervisor(config=centre, profile=centre.profiles["onsite"], lead_extension="2001",
                               queues=("claims-auto", "claims-life", "service", "complaints"),
                               credentials=StaticCredentials(sip=lab.sip_passwords, ami=lab.ami_users), bus=EventBus(),
                               softphone=None)
        qt_loop.run_until_complete(sup.start())
        try:
            assert qt_loop.run_until_complete(sup.force_sign_out(agent)) > 0
        finally:
            qt_loop.run_until_complete(sup.close())
        wait(qt_loop, lambda: signin.isVisible() and "2001" in signin.message.text(), "the sign-in window", 30000)
        assert not window.isVisible()
        assert shell.desk.session is None
        text = signin.message.text()
        assert text.startswith("Your team lead "), text
        assert "(2001) signed you out at " in text, text  # the lead's name, then the id

        again = sign_in(qtbot, qt_loop, shell, signin, agent)  # back at the desk
        assert again is not window
        wait(qt_loop, lambda: again.state_bar.state == "ready", "ready after signing in again")
        assert not signin.isVisible()
        assert shell.bridge.slot_count() == slots  # the old window stopped hearing events (no leak per sign-out)
    finally:
        qt_loop.run_until_complete(shell.desk.settle())
        qt_loop.run_until_complete(shell._shutdown())


def test_an_unanswered_callback_from_a_task_is_saved_as_an_attempt_on_its_call(
    qtbot: Any, qapp: Any, qt_loop: Any, lab: Any, seeded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CSR dials a due callback from the outbound form; it rings, nobody answers, the CSR hangs up and the desk
    is back to not ready with no call. The "no answer" result saved afterwards carries the call's linkedid: the
    attempt has its call record (it once had none: the desk learned the linkedid only when a call was answered)."""
    from app.models import OutboundAttempt

    network = subprocess.Popen(  # the PSTN side: lets the desk's calls ring and answers none within the test
        [sys.executable, "-m", "labsim.sim", "--calls", "0", "--answer-outbound", "--answer-delay", "600",
         "--duration", "90"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shell, signin = desk_shell(qtbot, qapp, seeded_db, tmp_path, monkeypatch, AGENT)
    try:
        window = sign_in(qtbot, qt_loop, shell, signin, AGENT)
        wait(qt_loop, lambda: window.state_bar.state == "ready", "ready")
        window.state_bar.not_ready_requested.emit("事务处理")
        wait(qt_loop, lambda: window.state_bar.state == "not_ready", "not ready")

        forms = window.forms
        forms.focus_form("outbound")
        page = forms.outbound
        wait(qt_loop, lambda: page.tasks.rowCount() > 0, "the due callbacks")
        page.tasks.selectRow(0)
        task_id = page.task.id
        page.number.setText("13800138007")
        page.dial_button.click()
        wait(qt_loop, lambda: page.linkedid is not None, "the ringing call's linkedid on the form", 30000)
        ringing = page.linkedid
        assert window.state_bar.state != "talking"
        window.call_strip.buttons["hangup"].click()
        wait(qt_loop, lambda: window.state_bar.state == "not_ready", "not ready after giving up")
        assert page.linkedid == ringing  # the desk let the call go; the task's attempt keeps it
        assert "13800138007" in page.call_label.text()
        page.result.setCurrentIndex(page.result.findData("no_answer"))
        page.submit_button.click()
        wait(qt_loop, lambda: page.linkedid is None, "the result saved")
    finally:
        network.terminate()
        network.wait(timeout=30)
        qt_loop.run_until_complete(shell.desk.settle())
        qt_loop.run_until_complete(shell._shutdown())

    sf = make_session_factory(make_engine(seeded_db))
    with sf() as s:
        attempt = s.scalars(select(OutboundAttempt).where(OutboundAttempt.task_id == task_id)
                            .order_by(OutboundAttempt.id.desc())).first()
    assert attempt is not None
    assert (attempt.result, attempt.agent_id, attempt.linkedid) == ("no_answer", AGENT, ringing)
