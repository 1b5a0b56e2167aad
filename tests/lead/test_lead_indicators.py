"""Appendix A indicators on a scripted shift whose right answers are worked out by hand below.

The shift, 09:00–12:00 on 2 March 2026 (UTC, as the data layer stores time):

Queue side (queue_log), contacts entering the human queue:
  c5 08:59:00 enters before the period              -> not counted
  c1 09:00:00 answered after 5 s                    -> answered, within 20 s
  c2 09:05:00 hangs up after 40 s in the queue      -> abandoned before reaching an agent
  c3 09:10:00 answered after 30 s                   -> answered, not within 20 s
  c4 09:20:00 leaves by timeout after 300 s         -> entered, not answered, not abandoned
  c6 09:40:00 hangs up after 3 s                    -> abandoned
  c7 09:50:00 rings one agent unanswered, answered after 12 s -> answered within 20 s
  answer rate = 3 answered / 6 entered = 0.5; abandoned = 2
  per 15 min: 09:00 offered 3 answered 2 (1 in SL), 09:15 1/0, 09:30 1/0, 09:45 1/1 (1 in SL), then 8 empty

Agents (state history):
  1001 signed in 08:30 (before the period) to 12:30 (after): paid 3 h = 10800 s
       ready -09:00 | talking 09:00-09:10 | wrap-up -09:12 | ready -10:00 | lunch -11:00 | ready -12:30
       productive 12 min = 720 s; ready 48 + 60 min = 6480 s -> (720 + 6480) / 10800
  1002 signed in 09:00 and signed OUT mid-period at 10:00: paid 3600 s
       ready 09:00-09:10:30 (630 s) | talking -09:20 | wrap-up -09:30 (1170 s) | break -10:00
       -> (1170 + 630) / 3600 = 0.5
  1003 never signed in: no paid time, no effect.
  team utilisation = (7200 + 1800) / (10800 + 3600) = 0.625

Contacts offered in the period (survey score; wrap-up resolved at first contact?):
  k1 1001 score 4, resolved | k2 1002 score 3, not resolved | k3 1001 no response, resolved
  k4 1001 score 1, resolved | k5 1002 score 2, not resolved | k7 1001 score 4, resolved
  k8 1001 offered, never answered: no score, no wrap-up
  k6 1001 offered 08:00 (outside): score 4, resolved -> not counted
  satisfaction = (4, 3, 4) 3 / 5 valid ratings (k3's non-response is not a rating) = 0.6
  first-contact resolution = 4 / 6 wrapped-up contacts
  handled (answered and ended): 1001: k1 595 s, k3 300 s, k4 60 s, k7 120 s -> 4, average 268.75 s
                                1002: k2 570 s, k5 60 s -> 2, average 315 s

Cooling-off callbacks due in the period: success, refused, still open, success -> 2 / 4
  (one due tomorrow and a renewal call, both successful, do not count)
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from leadkit import LeadDb

from app.actor import Actor
from app.indicators import QueueLogFile, export_csv, export_xlsx, parse_queue_log, period_figures
from app.models import Contact, Customer, OutboundTask, WrapUp
from app.services.agents import create_agent, record_sign_in, record_sign_out, record_state

D = datetime(2026, 3, 2)
SINCE, UNTIL = D.replace(hour=9), D.replace(hour=12)


def at(hm: str) -> datetime:
    h, m, *s = (int(x) for x in hm.split(":"))
    return D.replace(hour=h, minute=m, second=s[0] if s else 0)


def stamp(hm: str, plus: float = 0) -> int:
    return int((at(hm) + timedelta(seconds=plus)).replace(tzinfo=UTC).timestamp())


def queue_log() -> list[str]:
    def line(t: int, callid: str, event: str, *data: object, agent: str = "NONE") -> str:
        return "|".join([str(t), callid, "service", agent, event, *(str(d) for d in data)])

    return [
        line(stamp("08:59"), "c5", "ENTERQUEUE", "", "95500", 1),
        line(stamp("08:59"), "MANAGER", "ADDMEMBER", "PAUSED", agent="Agent 1002"),
        line(stamp("09:00", 10), "c5", "CONNECT", 70, "c5x", 2, agent="Agent 1001"),
        line(stamp("09:00"), "c1", "ENTERQUEUE", "", "95500", 1),
        line(stamp("09:00", 5), "c1", "CONNECT", 5, "c1x", 3, agent="Agent 1001"),
        line(stamp("09:05"), "c2", "ENTERQUEUE", "", "95500", 1),
        line(stamp("09:05", 40), "c2", "ABANDON", 1, 1, 40),
        line(stamp("09:10"), "c3", "ENTERQUEUE", "", "95500", 1),
        line(stamp("09:10", 30), "c3", "CONNECT", 30, "c3x", 2, agent="Agent 1002"),
        line(stamp("09:20"), "c4", "ENTERQUEUE", "", "95500", 1),
        line(stamp("09:20", 300), "c4", "EXITWITHTIMEOUT", 1, 1, 300),
        line(stamp("09:30"), "NONE", "PAUSE", "break", agent="Agent 1002"),
        line(stamp("09:40"), "c6", "ENTERQUEUE", "", "95500", 1),
        line(stamp("09:40", 3), "c6", "ABANDON", 1, 1, 3),
        line(stamp("09:50"), "c7", "ENTERQUEUE", "", "95500", 1),
        line(stamp("09:50", 6), "c7", "RINGNOANSWER", 6000, agent="Agent 1002"),
        line(stamp("09:50", 12), "c7", "CONNECT", 12, "c7x", 4, agent="Agent 1001"),
        line(stamp("09:55"), "c1", "COMPLETECALLER", 5, 590, 1, agent="Agent 1001"),
    ]


def shift(s: object) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    boss = Actor(agent_id="admin", desk_id="setup")
    for aid in ("1001", "1002", "1003"):
        create_agent(s, actor=boss, agent_id=aid, display_name=f"CSR {aid}", role="csr", team="A", skills=["service"],
                     password="long enough pw")
    create_agent(s, actor=boss, agent_id="2001", display_name="Lead", role="lead", team="A", skills=[],
                 password="long enough pw")
    a1, a2 = Actor(agent_id="1001", desk_id="d1"), Actor(agent_id="1002", desk_id="d2")
    record_sign_in(s, actor=a1, at=at("08:30"))
    for hm, state, reason in (("08:30", "ready", None), ("09:00", "talking", None), ("09:10", "wrap_up", None),
                              ("09:12", "ready", None), ("10:00", "not_ready", "lunch"), ("11:00", "ready", None)):
        record_state(s, agent_id="1001", state=state, reason=reason, at=at(hm))
    record_sign_in(s, actor=a2, at=at("09:00"))
    for hm, state, reason in (("09:00", "ready", None), ("09:10:30", "talking", None), ("09:20", "wrap_up", None),
                              ("09:30", "not_ready", "break")):
        record_state(s, agent_id="1002", state=state, reason=reason, at=at(hm))
    record_sign_out(s, actor=a2, at=at("10:00"))
    record_sign_out(s, actor=a1, at=at("12:30"))

    cust = Customer(name="C", id_number="X", birth_date=date(1980, 1, 1))
    s.add(cust)
    s.flush()
    contacts = {  # key: (agent, offered, answered, ended, score, resolved)
        "k1": ("1001", "09:00", "09:00:05", "09:10", 4, True),
        "k2": ("1002", "09:10", "09:10:30", "09:20", 3, False),
        "k3": ("1001", "09:50", "09:50:12", "09:55:12", None, True),
        "k4": ("1001", "09:30", "09:30", "09:31", 1, True),
        "k5": ("1002", "09:25", "09:25", "09:26", 2, False),
        "k7": ("1001", "11:00", "11:00", "11:02", 4, True),
        "k8": ("1001", "11:30", None, None, None, None),
        "k6": ("1001", "08:00", "08:00", "08:05", 4, True),
    }
    for key, (aid, off, ans, end, score, resolved) in contacts.items():
        c = Contact(linkedid=key, direction="inbound", queue="service", agent_id=aid, offered_at=at(off),
                    answered_at=at(ans) if ans else None, ended_at=at(end) if end else None, survey_score=score)
        s.add(c)
        s.flush()
        if resolved is not None:
            s.add(WrapUp(contact_id=c.id, category_code="consult.policy", resolved_first_contact=resolved,
                         agent_id=aid, created_at=at(end)))
    for due, kind, result in (("09:30", "cooling_off", "success"), ("10:00", "cooling_off", "refused"),
                              ("10:30", "cooling_off", None), ("11:59", "cooling_off", "success"),
                              ("11:00", "renewal", "success")):
        s.add(OutboundTask(kind=kind, customer_id=cust.id, due_at=at(due), status="done" if result else "open",
                           last_result=result))
    s.add(OutboundTask(kind="cooling_off", customer_id=cust.id, due_at=at("10:00") + timedelta(days=1),
                       status="done", last_result="success"))
    s.commit()


def test_queue_log_parses_entries_and_outcomes() -> None:
    entries = parse_queue_log(queue_log())
    got = {e.callid: (e.outcome, e.wait_seconds) for e in entries}
    assert got == {"c5": ("answered", 70), "c1": ("answered", 5), "c2": ("abandoned", 40), "c3": ("answered", 30),
                   "c4": ("timeout", 300), "c6": ("abandoned", 3), "c7": ("answered", 12)}


def test_scripted_shift_indicators(db: LeadDb) -> None:
    with db.session() as s:
        shift(s)
        p = period_figures(s, parse_queue_log(queue_log()), since=SINCE, until=UNTIL, team="A")
    assert (p.answer_rate.numerator, p.answer_rate.denominator) == (3, 6)
    assert p.abandoned == 2
    assert (p.utilisation.numerator, p.utilisation.denominator) == (9000, 14400)
    assert p.utilisation.value == 0.625
    assert (p.satisfaction.numerator, p.satisfaction.denominator) == (3, 5)
    assert (p.first_contact_resolution.numerator, p.first_contact_resolution.denominator) == (4, 6)
    assert (p.cooling_off_success.numerator, p.cooling_off_success.denominator) == (2, 4)
    per = {a.agent_id: a for a in p.agents}
    assert set(per) == {"1001", "1002", "1003"}
    assert (per["1001"].use.productive, per["1001"].use.ready, per["1001"].use.paid) == (720, 6480, 10800)
    assert (per["1002"].use.productive, per["1002"].use.ready, per["1002"].use.paid) == (1170, 630, 3600)
    assert per["1003"].use.utilisation.value is None
    assert (per["1001"].handled, per["1001"].average_handle) == (4, 268.75)
    assert (per["1002"].handled, per["1002"].average_handle) == (2, 315)
    assert len(p.intervals) == 12
    assert [(i.offered, i.answered, i.answered_in_sl) for i in p.intervals[:4]] == [(3, 2, 1), (1, 0, 0), (1, 0, 0),
                                                                                   (1, 1, 1)]
    assert p.intervals[0].service_level == pytest.approx(1 / 3)
    assert all(i.offered == 0 and i.service_level is None for i in p.intervals[4:])


def test_a_period_after_the_sign_out_has_no_paid_time_for_that_agent(db: LeadDb) -> None:
    with db.session() as s:
        shift(s)
        p = period_figures(s, [], since=at("10:30"), until=UNTIL)
    per = {a.agent_id: a for a in p.agents}
    assert per["1002"].use.paid == 0
    assert (per["1001"].use.ready, per["1001"].use.paid) == (3600, 5400)  # lunch until 11:00, then ready
    assert p.answer_rate.value is None  # nobody entered the queue: no rate, not 0 %


def test_export_writes_csv_and_xlsx(db: LeadDb, tmp_path: Path) -> None:
    import openpyxl

    with db.session() as s:
        shift(s)
        p = period_figures(s, parse_queue_log(queue_log()), since=SINCE, until=UNTIL)
    summary, agents = export_csv(p, tmp_path)
    rows = list(csv.reader(summary.open(encoding="utf-8")))
    assert rows[1] == ["indicator", "numerator", "denominator", "value"]
    assert ["answer_rate", "3.0", "6.0", "0.5"] in rows
    assert ["abandoned_calls", "2", "", "2"] in rows
    arows = list(csv.reader(agents.open(encoding="utf-8")))
    assert arows[2][:4] == ["1001", "CSR 1001", "4", "268.8"]
    wb = openpyxl.load_workbook(export_xlsx(p, tmp_path / "p.xlsx"))
    values = [list(r) for r in wb["indicators"].iter_rows(values_only=True)]
    assert ["customer_satisfaction", 3, 5, 0.6] in values
    assert [r[0] for r in wb["agents"].iter_rows(values_only=True)][1:] == ["1001", "1002", "1003"]


def test_queue_log_file_filters_the_period(tmp_path: Path) -> None:
    path = tmp_path / "queue_log"
    path.write_text("\n".join(queue_log()) + "\n", encoding="utf-8")
    entries = QueueLogFile(path).entries(since=SINCE, until=at("09:30"))
    assert [e.callid for e in entries] == ["c1", "c2", "c3", "c4"]
    assert QueueLogFile(tmp_path / "missing").entries(since=SINCE, until=UNTIL) == []
