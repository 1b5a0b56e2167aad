"""Appendix A indicators from the desk's data: utilisation, FCR, satisfaction, cooling-off success."""

from __future__ import annotations

from datetime import timedelta

from appkit import NOW, Db, World

from app.actor import Actor
from app.models import Contact, OutboundTask, WrapUp
from app.services.agents import create_agent, record_sign_in, record_sign_out, record_state
from app.services.indicators import cooling_off_success, first_contact_resolution, satisfaction, utilisation


def test_utilisation_counts_productive_and_ready_over_signed_in_time(db: Db) -> None:
    me = Actor(agent_id="1001", desk_id="desk-a")
    t = NOW - timedelta(hours=2)
    with db.session() as s:
        create_agent(s, actor=me, agent_id="1001", display_name="李娜", role="csr", team="A", skills=[],
                     password="long enough pw")
        record_sign_in(s, actor=me, at=t)
        record_state(s, agent_id="1001", state="not_ready", reason="training", at=t)  # 20 min away
        record_state(s, agent_id="1001", state="ready", at=t + timedelta(minutes=20))  # 10 min ready
        record_state(s, agent_id="1001", state="talking", at=t + timedelta(minutes=30))  # 20 min talking
        record_state(s, agent_id="1001", state="wrap_up", at=t + timedelta(minutes=50))  # 10 min wrap-up
        record_state(s, agent_id="1001", state="not_ready", reason="lunch", at=t + timedelta(minutes=60))
        record_sign_out(s, actor=me, at=t + timedelta(minutes=80))
        u = utilisation(s, agent_id="1001", since=t, until=t + timedelta(hours=3))
        half = utilisation(s, agent_id="1001", since=t, until=t + timedelta(minutes=40))
        none = utilisation(s, agent_id="9999", since=t, until=t + timedelta(hours=3))
    assert (u.numerator, u.denominator) == (40 * 60, 80 * 60)
    assert u.value == 0.5
    assert half.value == 20 / 40
    assert none.value is None


def test_fcr_satisfaction_and_cooling_off_success(db: Db, world: World) -> None:
    since, until = NOW - timedelta(days=1), NOW + timedelta(days=1)
    with db.session() as s:
        contacts = [Contact(linkedid=f"L{i}", direction="inbound", agent_id="1001", offered_at=NOW,
                            survey_score=score) for i, score in enumerate((4, 3, 2, 1, None))]
        s.add_all(contacts)
        s.flush()
        s.add_all(WrapUp(contact_id=c.id, category_code="consult.policy", resolved_first_contact=i < 3,
                         agent_id="1001", created_at=NOW) for i, c in enumerate(contacts))
        s.add_all(OutboundTask(kind="cooling_off", customer_id=world.zhang_id, due_at=NOW, status=st,
                               last_result=res) for st, res in (("done", "success"), ("failed", "refused"),
                                                                ("open", None), ("done", "success")))
        s.add(OutboundTask(kind="renewal", customer_id=world.zhang_id, due_at=NOW, status="done",
                           last_result="success"))
        s.commit()
        assert first_contact_resolution(s, since=since, until=until).value == 3 / 5
        assert satisfaction(s, since=since, until=until).value == 2 / 4
        assert cooling_off_success(s, since=since, until=until).value == 2 / 4
        assert satisfaction(s, since=until, until=until + timedelta(1)).value is None
