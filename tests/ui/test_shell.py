"""The desk shell: control enabling per state, state bar, hotkeys and sign-in input checks (pytest-qt)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from cti.bus import EventBus
from cti.events import AgentDidChangeState, CallDidOffer, frozen_vars
from ui.bridge import QtEventBridge
from ui.controls import ACTIONS, ENABLED, STATES, enabled_actions
from ui.mainwindow import MainWindow
from ui.screenpop import CardSection, CardView
from ui.signin import SignInWindow
from ui.statebar import format_elapsed

REASONS = ["小休", "用餐", "培训", "会议", "事务处理"]


class RecordingDesk:
    """Stands in for the desk service in shell tests: records each command the window sends."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def wrap_up_deadline(self) -> float | None:
        return None

    def __getattr__(self, name: str) -> Any:
        async def command(*args: Any) -> None:
            self.calls.append((name, args))

        return command


def test_control_table_covers_every_state_and_action() -> None:
    assert set(ENABLED) == set(STATES)
    for state, allowed in ENABLED.items():
        assert allowed <= set(ACTIONS), state
    assert enabled_actions("ringing") == {"answer", "hangup"}
    assert "dial" in enabled_actions("ready")
    assert "dial" not in enabled_actions("talking")
    assert "answer" not in enabled_actions("talking")
    assert enabled_actions("degraded") == frozenset()
    assert enabled_actions("no-such-state") == frozenset()


@pytest.mark.parametrize("state", STATES)
def test_each_button_is_enabled_exactly_when_the_table_says(qtbot: Any, state: str) -> None:
    bus = EventBus()
    window = MainWindow(desk=RecordingDesk(), bridge=QtEventBridge(bus=bus), reasons=REASONS)
    qtbot.addWidget(window)
    bus.publish(AgentDidChangeState(old="signed_out", new=state, cause="test"))
    enabled = {name for name, b in window.call_strip.buttons.items() if b.isEnabled()}
    assert enabled == set(enabled_actions(state))
    in_call = state in ("ringing", "talking", "held", "consulting", "conferencing")
    signed_in = state not in ("signed_out", "signing_in", "signing_out", "degraded")
    assert window.state_bar.ready_button.isEnabled() == (signed_in and not in_call and state != "ready")
    assert window.state_bar.not_ready_button.isEnabled() == (signed_in and not in_call)
    assert window.state_bar.finish_button.isVisibleTo(window) == (state == "wrap_up")


def test_offer_paints_banner_and_card_together(qtbot: Any) -> None:
    bus = EventBus()
    card = CardView(customer=[("Name", "张**")], sections=[CardSection("Active policies", ["PA123 auto"])])
    window = MainWindow(desk=RecordingDesk(), bridge=QtEventBridge(bus=bus), reasons=REASONS,
                        card_for_offer=lambda offer: card)
    qtbot.addWidget(window)
    window.show()
    bus.publish(CallDidOffer(call_ref="c1", caller_id="13800001111", queue="claims-auto",
                             ivr_vars=frozen_vars({"CSD_POLICY": "PA123"})))
    # Same turn: both are on screen before the event loop runs again.
    assert window.screen_pop.showing
    assert window.screen_pop.card.isVisible()
    assert window.screen_pop.banner.policy.text() == "PA123"
    assert window.screen_pop.card.section_rows["Active policies"] == ["PA123 auto"]


def test_the_end_of_a_call_covers_the_pop_and_empties_it(qtbot: Any) -> None:
    """Between calls the pop is covered, and no label under the cover keeps the last caller's data."""
    bus = EventBus()
    card = CardView(customer=[("Name", "张**"), ("Mobile", "139****1111")],
                    sections=[CardSection("Active policies", ["PA123 auto"])])
    window = MainWindow(desk=RecordingDesk(), bridge=QtEventBridge(bus=bus), reasons=REASONS,
                        card_for_offer=lambda offer: card)
    qtbot.addWidget(window)
    window.show()
    pop = window.screen_pop
    for n in range(2):  # the second call shows the pop again after the first was covered
        bus.publish(CallDidOffer(call_ref=f"c{n}", caller_id="13800001111", queue="claims-auto",
                                 ivr_vars=frozen_vars({"CSD_POLICY": "PA123"})))
        assert pop.showing
        texts = [w.text() for w in pop.findChildren(QLabel)]
        assert "张**" in texts
        assert "13800001111" in texts
        bus.publish(AgentDidChangeState(old="wrap_up", new="ready", cause="test"))
        assert not pop.showing
        left = " ".join(w.text() for w in pop.findChildren(QLabel))
        assert not [t for t in ("张", "1111", "PA123") if t in left]
        assert pop.card.section_rows == {}


def test_warming_the_pop_leaves_nothing_on_screen_and_nothing_behind(qtbot: Any) -> None:
    bus = EventBus()
    card = CardView(customer=[("Name", "王**")], sections=[CardSection("Open claims", ["CL1 open"])])
    window = MainWindow(desk=RecordingDesk(), bridge=QtEventBridge(bus=bus), reasons=REASONS,
                        card_for_offer=lambda offer: card)
    qtbot.addWidget(window)
    window.show()
    bus.publish(AgentDidChangeState(old="signed_out", new="ready", cause="test"))
    pop = window.screen_pop
    window.warm()
    assert window.state_bar.state == "ready"  # the ringing looks were put back
    assert {n for n, b in window.call_strip.buttons.items() if b.isEnabled()} == set(enabled_actions("ready"))
    assert not pop.showing  # the cover is over banner and card ...
    assert not pop.search.isVisible()
    left = [w.text() for w in pop.findChildren(QLabel)]
    assert not [t for t in left if "张" in t or "P00000000" in t or "13800000000" in t]  # ... nothing under it
    assert pop.card.findChildren(QLabel, "CardSection")  # the sample went through the card (widgets made) ...
    bus.publish(CallDidOffer(call_ref="c1", caller_id="13800001111", queue="claims-auto"))
    shown = [w.text() for w in pop.findChildren(QLabel) if w.isVisible()]
    assert any("王**" in t for t in shown)
    assert not [t for t in shown if "张" in t or "P00000000" in t or "安心" in t]  # ... and none of it is left
    assert pop.card.section_rows == {"Open claims": ["CL1 open"]}


def test_a_replaced_window_stops_hearing_events(qtbot: Any) -> None:
    bus = EventBus()
    bridge = QtEventBridge(bus=bus)
    before = bridge.slot_count()
    old = MainWindow(desk=RecordingDesk(), bridge=bridge, reasons=REASONS)
    qtbot.addWidget(old)
    assert bridge.slot_count() > before
    heard: list[str] = []
    bridge.on(AgentDidChangeState, lambda e: heard.append(e.new))  # not owned by the window: stays
    bridge.drop(old)  # what the shell does when the agent signs in again after a forced sign-out
    assert bridge.slot_count() == before + 1
    bus.publish(AgentDidChangeState(old="signed_out", new="ready", cause="test"))
    assert old.state_bar.state != "ready"  # the old window no longer follows the agent
    assert heard == ["ready"]


def test_hotkeys_send_commands_only_when_allowed(qtbot: Any) -> None:
    bus = EventBus()
    desk = RecordingDesk()
    window = MainWindow(desk=desk, bridge=QtEventBridge(bus=bus), reasons=REASONS)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    bus.publish(AgentDidChangeState(old="ready", new="ringing", cause="test"))
    window.shortcuts["hangup"].activated.emit()
    window.shortcuts["hold"].activated.emit()  # not allowed while ringing
    window.shortcuts["answer"].activated.emit()
    qtbot.waitUntil(lambda: len(desk.calls) == 2)
    assert [c[0] for c in desk.calls] == ["hangup", "answer"]
    bus.publish(AgentDidChangeState(old="ringing", new="held", cause="test"))
    window.shortcuts["hold"].activated.emit()  # hold key resumes a held call
    qtbot.waitUntil(lambda: len(desk.calls) == 3)
    assert desk.calls[-1][0] == "unhold"


def test_a_failed_command_shows_its_reason_without_a_dialog(qtbot: Any) -> None:
    class FailingDesk(RecordingDesk):
        async def go_ready(self) -> None:
            raise RuntimeError("You cannot go ready during a call")

    bus = EventBus()
    window = MainWindow(desk=FailingDesk(), bridge=QtEventBridge(bus=bus), reasons=REASONS)
    qtbot.addWidget(window)
    bus.publish(AgentDidChangeState(old="signed_out", new="not_ready", cause="test"))
    window.state_bar.ready_button.click()
    qtbot.waitUntil(lambda: "cannot go ready" in window.notice.text())


def test_transfer_without_a_target_asks_for_one(qtbot: Any) -> None:
    bus = EventBus()
    desk = RecordingDesk()
    window = MainWindow(desk=desk, bridge=QtEventBridge(bus=bus), reasons=REASONS)
    qtbot.addWidget(window)
    bus.publish(AgentDidChangeState(old="ringing", new="talking", cause="test"))
    window.call_strip.buttons["blind_transfer"].click()
    assert desk.calls == []
    assert window.notice.text()
    window.call_strip.target.setText("8003")
    window.call_strip.buttons["blind_transfer"].click()
    qtbot.waitUntil(lambda: desk.calls == [("blind_transfer", ("8003",))])


@pytest.mark.parametrize(
    ("agent_id", "password", "expect"),
    [("", "x", "agent ID"), ("10a1", "x", "agent ID"), ("1001", "", "password")],
)
def test_sign_in_rejects_bad_input_with_a_clear_message(qtbot: Any, agent_id: str, password: str,
                                                        expect: str) -> None:
    win = SignInWindow(profile="onsite")
    qtbot.addWidget(win)
    seen: list[tuple[str, str]] = []
    win.sign_in_requested.connect(lambda a, p: seen.append((a, p)))
    win.agent_id.setText(agent_id)
    win.password.setText(password)
    qtbot.mouseClick(win.button, Qt.MouseButton.LeftButton)
    assert seen == []
    assert expect in win.message.text()


def test_sign_in_emits_and_shows_failure(qtbot: Any) -> None:
    win = SignInWindow(profile="remote", remembered_agent_id="1001")
    qtbot.addWidget(win)
    assert "Remote" in win.profile.text()
    with qtbot.waitSignal(win.sign_in_requested) as sig:
        win.password.setText("pw")
        win.password.returnPressed.emit()
    assert sig.args == ["1001", "pw"]
    assert not win.button.isEnabled()
    win.show_error("Wrong password")
    assert win.button.isEnabled()
    assert win.password.text() == ""


def test_format_elapsed() -> None:
    assert format_elapsed(0) == "0:00"
    assert format_elapsed(75.9) == "1:15"
    assert format_elapsed(3725) == "1:02:05"
    assert format_elapsed(-3) == "0:00"


def test_operations_drain(qtbot: Any) -> None:
    from ui.ops import Operations

    errors: list[str] = []
    ops = Operations(notify_error=errors.append)

    async def boom() -> None:
        raise ValueError("bad")

    ops.run("Boom", boom())
    loop = asyncio.get_event_loop()
    loop.run_until_complete(ops.drain())
    assert errors == ["Boom: bad"]


def test_banner_waits_for_the_card_then_both_paint_in_one_turn(qtbot: Any) -> None:
    from app.events import ScreenPopDidLoad

    bus = EventBus()
    window = MainWindow(desk=RecordingDesk(), bridge=QtEventBridge(bus=bus), reasons=REASONS, pop_fallback_ms=5000)
    qtbot.addWidget(window)
    window.show()
    offer = CallDidOffer(call_ref="c9", caller_id="13900002222", queue="service")
    bus.publish(offer)
    assert not window.screen_pop.showing  # not yet: the card is on its way
    bus.publish(ScreenPopDidLoad(offer=offer, pop=None, error="database is down"))
    assert window.screen_pop.showing
    assert window.screen_pop.card.isVisible()
    assert "database is down" in window.notice.text()


def test_slow_lookup_shows_the_banner_alone_after_the_fallback(qtbot: Any) -> None:
    bus = EventBus()
    window = MainWindow(desk=RecordingDesk(), bridge=QtEventBridge(bus=bus), reasons=REASONS, pop_fallback_ms=20)
    qtbot.addWidget(window)
    window.show()
    bus.publish(CallDidOffer(call_ref="c10", caller_id="13900003333", queue="service"))
    qtbot.waitUntil(lambda: window.screen_pop.showing)
    assert window.screen_pop.banner.caller.text() == "13900003333"
    card = window.screen_pop.card
    assert card.isVisible()
    assert card._hint.isVisible()
    assert card._hint.text() == "Looking up the caller…"  # not an empty frame
    assert not any(text.isVisible() for _name, text in card._field_rows)
    from app.events import ScreenPopDidLoad
    from app.readmodels import ScreenPop

    offer = CallDidOffer(call_ref="c10", caller_id="13900003333", queue="service")
    bus.publish(ScreenPopDidLoad(offer=offer, pop=ScreenPop(looked_up_by="caller_number", customer=None)))
    qtbot.waitUntil(lambda: card._hint.text() != "Looking up the caller…")
    assert card._hint.text() == "Unknown caller: search by phone, ID, policy or plate"


def test_unknown_caller_gets_a_quick_search_that_shows_the_chosen_card(qtbot: Any) -> None:
    from app.readmodels import CustomerCard, ScreenPop

    card = CustomerCard(id=7, name="欧**", id_type="resident_id", id_number="110***********1234", birth_date="1980",
                        mobile="139****0000", other_phones=(), email=None, address="北京市北京市",
                        preferred_language="zh", vip_level=0)

    class SearchingDesk(RecordingDesk):
        async def search_customers(self, kind: str, text: str) -> tuple[CustomerCard, ...]:
            self.calls.append(("search_customers", (kind, text)))
            return (card,)

        async def pop_for_customer(self, customer_id: int) -> ScreenPop:
            self.calls.append(("pop_for_customer", (customer_id,)))
            return ScreenPop(looked_up_by="search", customer=card)

    desk = SearchingDesk()
    window = unknown_caller_window(qtbot, desk, "c11")
    search = window.screen_pop.search
    assert search.isVisible()
    search.kind.setCurrentIndex(search.kind.findData("plate"))
    search.text.setText("粤B12345")
    search.text.returnPressed.emit()
    qtbot.waitUntil(lambda: search.results.count() == 1)
    assert desk.calls[0] == ("search_customers", ("plate", "粤B12345"))
    search.results.itemActivated.emit(search.results.item(0))
    qtbot.waitUntil(lambda: ("pop_for_customer", (7,)) in desk.calls)

    def card_texts() -> list[str]:
        return [w.text() for w in window.screen_pop.card.findChildren(QLabel)]

    qtbot.waitUntil(lambda: any("欧**" in t for t in card_texts()))


def test_a_remote_desk_does_not_search_by_the_masked_caller_number(qtbot: Any) -> None:
    """On a remote desk the unknown caller's number is shown masked; the quick search starts empty rather than with
    that masked text, and a masked value typed in is refused with a reason instead of searching for nobody."""

    desk = RecordingDesk()
    window = unknown_caller_window(qtbot, desk, "c12", mask_numbers=True)
    search = window.screen_pop.search
    qtbot.waitUntil(search.isVisible)
    assert "139****9999" in window.screen_pop.banner.findChild(QLabel, "BannerCaller").text()
    assert search.text.text() == ""
    search.text.setText("139****9999")
    search.text.returnPressed.emit()
    assert "masked" in search.message.text()
    assert not [c for c in desk.calls if c[0] == "search_customers"]


def unknown_caller_window(qtbot: Any, desk: Any, call_ref: str, *, mask_numbers: bool = False) -> MainWindow:
    """A shown window where 13900009999 rings and the pop found no customer."""
    from app.events import ScreenPopDidLoad
    from app.readmodels import ScreenPop

    bus = EventBus()
    window = MainWindow(desk=desk, bridge=QtEventBridge(bus=bus), reasons=REASONS, pop_fallback_ms=5000,
                        mask_numbers=mask_numbers)
    qtbot.addWidget(window)
    window.show()
    offer = CallDidOffer(call_ref=call_ref, caller_id="13900009999", queue="service")
    bus.publish(offer)
    bus.publish(ScreenPopDidLoad(offer=offer, pop=ScreenPop(looked_up_by="caller_number", customer=None)))
    return window
