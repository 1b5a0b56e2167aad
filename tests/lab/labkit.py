"""Helpers for lab tests: put an agent in a queue, and walk a simulator call through the IVR."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from labsim.ami import AmiClient, Msg
from labsim.phone import Leg, Phones


@contextmanager
def queue_member(ami: AmiClient, queue: str, ext: str) -> Iterator[None]:
    """Add PJSIP/<ext> to ``queue`` unpaused for the test, and remove it afterwards."""
    iface = f"PJSIP/{ext}"
    ami.action("QueueRemove", Queue=queue, Interface=iface)
    res = ami.action("QueueAdd", Queue=queue, Interface=iface, MemberName=f"test{ext}",
                     StateInterface=iface, Paused="false")
    assert res.get("Response") == "Success", res
    try:
        yield
    finally:
        ami.action("QueueRemove", Queue=queue, Interface=iface)


def dial_hotline(phones: Phones, ami: AmiClient, caller_id: str, digit: str, policy: str,
                 wav: Path) -> tuple[Leg, Msg]:
    """Call 95500 as ``caller_id``, press ``digit`` ("" = none), enter ``policy`` + #; return leg and join event."""
    start = len(ami.messages)
    line = phones.line(caller_id, auth_user="pstn", register=False)
    leg = line.call("95500")
    phones.wait(lambda: leg.connected or leg.ended, 15, "the hotline to answer")
    assert leg.connected, f"hotline call failed with SIP {leg.last_code}"
    leg.play(wav)
    if digit:  # no digit: let the menu time out
        phones.pump(1.0)
        leg.dtmf(digit)
        phones.pump(1.0)
        leg.dtmf(policy + "#")
    join = None

    def joined() -> bool:
        nonlocal join
        join = ami.find(lambda m: m.get("Event") == "QueueCallerJoin" and m.get("CallerIDNum") == caller_id,
                        start)
        return join is not None

    phones.wait(joined, 45, "QueueCallerJoin on AMI")
    assert join is not None
    return leg, join


def wait_ringing(phones: Phones, line_incoming: list[Leg], what: str,
                 match: Callable[[Leg], bool] = lambda leg: True) -> Leg:
    """Wait for an incoming leg that ``match``es and return it.

    The lab is shared: a call from someone else's simulator may ring this agent too. Such calls are
    declined (the queue then tries another member) and dropped from ``line_incoming``.
    """
    found: list[Leg] = []

    def ringing() -> bool:
        for leg in list(line_incoming):
            if leg in found:
                continue
            if match(leg):
                found.append(leg)
            else:
                leg.hangup()
                line_incoming.remove(leg)
        return bool(found)

    phones.wait(ringing, 60, what)
    return found[0]


def for_call(linkedid: str) -> Callable[[Leg], bool]:
    """Match the agent leg of the queue call with this linkedid (by its X-CSD-Linkedid header)."""
    return lambda leg: leg.headers.get("x-csd-linkedid") == linkedid
