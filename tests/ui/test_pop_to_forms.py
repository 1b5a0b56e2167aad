"""The forms serve the customer the screen pop shows: the window hands them the pop it painted (no second lookup
of the caller), and the customer the CSR picks in the quick search for an unknown caller. Through wrap-up they
still serve the call that ended (after-call work belongs to it); once the CSR leaves wrap-up they serve none."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget

from app.events import ScreenPopDidLoad
from app.readmodels import CustomerCard, ScreenPop
from cti.bus import EventBus
from cti.events import AgentDidChangeState, CallDidCorrelate, CallDidOffer, OutboundDidRing
from ui.bridge import QtEventBridge
from ui.mainwindow import MainWindow

REASONS = ["小休", "用餐", "培训", "会议", "事务处理"]
CARD = CustomerCard(id=7, name="欧**", id_type="resident_id", id_number="110***********1234", birth_date="1980",
                    mobile="139****0000", other_phones=(), email=None, address="北京市北京市", preferred_language="zh",
                    vip_level=0)


class Forms(QTabWidget):
    """The forms panel as the window sees it; records every call context it is handed."""

    wrap_up_saved = Signal(int)
    dial_requested = Signal(str, int)

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Any] = []

    def set_call(self, call: Any) -> None:
        self.calls.append(call)

    def focus_form(self, name: str) -> None:
        pass


class Desk:
    def wrap_up_deadline(self) -> None:
        return None

    async def pop_for_customer(self, customer_id: int) -> ScreenPop:
        return ScreenPop(looked_up_by="search", customer=CARD)


def shown_window(qtbot: Any) -> tuple[EventBus, Forms, MainWindow]:
    """The window on its own bus, with a recording forms panel, shown."""
    bus = EventBus()
    forms = Forms()
    window = MainWindow(desk=Desk(), bridge=QtEventBridge(bus=bus), reasons=REASONS, forms=forms, pop_fallback_ms=5000)
    qtbot.addWidget(window)
    window.show()
    return bus, forms, window


def test_the_forms_get_the_painted_pop_and_then_the_customer_chosen_in_the_quick_search(qtbot: Any) -> None:
    bus, forms, window = shown_window(qtbot)
    window.apply_state(AgentDidChangeState(old="ready", new="ringing", cause="offer"))
    offer = CallDidOffer(call_ref="c1", caller_id="13900009999", queue="service", linkedid="1732400000.5")
    unknown = ScreenPop(looked_up_by="caller_number", customer=None)
    bus.publish(offer)
    bus.publish(ScreenPopDidLoad(offer=offer, pop=unknown))
    qtbot.waitUntil(lambda: bool(forms.calls))
    assert forms.calls[-1].linkedid == "1732400000.5"
    assert forms.calls[-1].pop is unknown  # the pop the card shows: the forms need not look the caller up

    window.screen_pop.search.customer_chosen.emit(7)
    qtbot.waitUntil(lambda: forms.calls[-1].pop is not unknown)
    chosen = forms.calls[-1]
    assert chosen.linkedid == "1732400000.5"
    assert chosen.pop.customer is CARD


def test_the_forms_keep_the_ended_call_through_wrap_up_and_let_go_after_it(qtbot: Any) -> None:
    bus, forms, window = shown_window(qtbot)
    window.apply_state(AgentDidChangeState(old="ready", new="ringing", cause="offer"))
    offer = CallDidOffer(call_ref="c1", caller_id="13900009999", queue="service", linkedid="1732400000.5")
    bus.publish(offer)
    bus.publish(ScreenPopDidLoad(offer=offer, pop=ScreenPop(looked_up_by="caller_number", customer=CARD)))
    qtbot.waitUntil(lambda: bool(forms.calls))
    window.apply_state(AgentDidChangeState(old="ringing", new="talking", cause="answered"))
    assert forms.calls[-1].ended is False
    window.apply_state(AgentDidChangeState(old="talking", new="wrap_up", cause="hung up"))
    ended = forms.calls[-1]
    assert (ended.linkedid, ended.ended, ended.pop.customer) == ("1732400000.5", True, CARD)
    window.apply_state(AgentDidChangeState(old="wrap_up", new="ready", cause="wrap-up finished"))
    assert forms.calls[-1] is None
    count = len(forms.calls)
    window.apply_state(AgentDidChangeState(old="ready", new="not_ready", cause="break", reason="小休"))
    assert len(forms.calls) == count  # nothing more to let go of


def test_an_answered_outbound_call_is_the_forms_call_through_its_wrap_up(qtbot: Any) -> None:
    bus, forms, window = shown_window(qtbot)
    bus.publish(CallDidCorrelate(call_ref="c9", channel="PJSIP/1001-00000001", uniqueid="1732400700.1",
                                 linkedid="1732400700.1", outbound=True, dialed="13812345678"))
    qtbot.waitUntil(lambda: bool(forms.calls))
    call = forms.calls[-1]
    assert (call.linkedid, call.caller_number, call.outbound, call.ended) == (
        "1732400700.1", "13812345678", True, False)
    window.apply_state(AgentDidChangeState(old="talking", new="wrap_up", cause="hung up"))
    assert (forms.calls[-1].linkedid, forms.calls[-1].ended) == ("1732400700.1", True)
    count = len(forms.calls)
    bus.publish(CallDidCorrelate(call_ref="c1", channel="PJSIP/1001-00000002", uniqueid="1732400800.1",
                                 linkedid="1732400800.1", outbound=False))  # an inbound call: its offer did it
    qtbot.wait(50)
    assert len(forms.calls) == count


def test_a_call_dialled_from_a_task_is_the_forms_call_from_its_ring_and_names_the_task(qtbot: Any) -> None:
    """The forms get an outbound call when it rings (an unanswered call has a linkedid too), tagged with the task
    it was dialled from; the answer that follows changes nothing; a call dialled from the call strip has no task."""

    class Dialling(Desk):
        async def dial(self, number: str) -> str:
            return "c9"

    bus = EventBus()
    forms = Forms()
    window = MainWindow(desk=Dialling(), bridge=QtEventBridge(bus=bus), reasons=REASONS, forms=forms,
                        pop_fallback_ms=5000)
    qtbot.addWidget(window)
    window.show()
    forms.dial_requested.emit("13812345678", 42)
    bus.publish(OutboundDidRing(call_ref="c9", linkedid="1732400900.1", dialed="13812345678"))
    qtbot.waitUntil(lambda: bool(forms.calls))
    call = forms.calls[-1]
    assert (call.linkedid, call.outbound, call.outbound_task, call.ended) == ("1732400900.1", True, 42, False)
    count = len(forms.calls)
    bus.publish(CallDidCorrelate(call_ref="c9", channel="PJSIP/1001-00000009", uniqueid="1732400900.1",
                                 linkedid="1732400900.1", outbound=True, dialed="13812345678"))
    qtbot.wait(50)
    assert len(forms.calls) == count  # the same call: the forms keep it as they have it
    bus.publish(OutboundDidRing(call_ref="c10", linkedid="1732401000.1", dialed="13900000001"))
    qtbot.waitUntil(lambda: len(forms.calls) > count)
    assert (forms.calls[-1].linkedid, forms.calls[-1].outbound_task) == ("1732401000.1", None)


def test_a_remote_desk_shows_the_callers_number_masked_on_the_banner(qtbot: Any) -> None:
    bus = EventBus()
    forms = Forms()
    window = MainWindow(desk=Desk(), bridge=QtEventBridge(bus=bus), reasons=REASONS, forms=forms,
                        pop_fallback_ms=5000, mask_numbers=True)
    qtbot.addWidget(window)
    window.show()
    window.apply_state(AgentDidChangeState(old="ready", new="ringing", cause="offer"))
    offer = CallDidOffer(call_ref="c1", caller_id="13900009999", queue="service", linkedid="1732400000.5")
    bus.publish(offer)
    bus.publish(ScreenPopDidLoad(offer=offer, pop=ScreenPop(looked_up_by="caller_number", customer=CARD)))
    qtbot.waitUntil(lambda: window.screen_pop.showing)
    assert window.screen_pop.banner.caller.text() == "139****9999"
    assert forms.calls[-1].caller_number == "13900009999"  # the forms still look the caller up by it
