"""Screen pop: one lookup by caller number or IVR-entered policy number, in a bounded number of
indexed queries, masked for the desk. Also the search for an unknown caller."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select, union
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.actor import Actor
from app.masking import Masker, masker_for
from app.models import (
    Claim,
    Contact,
    Customer,
    CustomerPhone,
    OutboundTask,
    Policy,
    TransferOrder,
    Vehicle,
)
from app.models.claim import OPEN_CLAIM_STATUSES
from app.models.policy import ACTIVE_POLICY_STATUSES
from app.models.work import OPEN_TRANSFER_STATUSES
from app.readmodels import (
    ClaimSummary,
    ContactSummary,
    CustomerCard,
    OutboundSummary,
    PolicySummary,
    ScreenPop,
    TransferSummary,
)
from app.timeutil import utcnow
from app.validation import normalise_phone

MAX_CANDIDATES = 5
LAST_CONTACTS = 5
OUTBOUND_HORIZON = timedelta(days=1)
MAX_QUERIES = 3  # reads per pop (customer, lists; PostgreSQL counts its one-statement audit append too)


def _by_phone(number: str) -> Select[Any]:
    return union(
        select(Customer.id).where(Customer.mobile == number),
        select(CustomerPhone.customer_id).where(CustomerPhone.number == number),
    ).subquery().select()


# The pop's statements are built once; each call only binds values (the pop is on the call's hot path).
_C = Customer.__table__.c
_P = Policy.__table__.c
_PARTY = or_(_P.holder_id == bindparam("cid"), _P.insured_id == bindparam("cid"))
_IDS_BY_PHONE = union(
    select(_C.id).where(_C.mobile == bindparam("number")),
    select(CustomerPhone.__table__.c.customer_id).where(CustomerPhone.__table__.c.number == bindparam("number")),
).subquery()
# A caller keys only digits into the IVR; a CSR types the full number. Both find the policy.
_IDS_BY_POLICY = select(_P.holder_id).where(
    or_(_P.number == bindparam("policy"), _P.number_digits == bindparam("policy"))
).limit(MAX_CANDIDATES + 1)
_PH = CustomerPhone.__table__.c
_OTHER_PHONES = (
    select(func.aggregate_strings(_PH.number, ",")).where(_PH.customer_id == _C.id).scalar_subquery()
    .label("other_phones")
)
_CARD_COLS = (_C.id, _C.name, _C.id_type, _C.id_number, _C.birth_date, _C.mobile, _C.email, _C.addr_province,
              _C.addr_city, _C.addr_district, _C.addr_detail, _C.preferred_language, _C.vip_level, _OTHER_PHONES)
_CUSTOMERS_BY_PHONE = select(*_CARD_COLS).where(_C.id.in_(select(_IDS_BY_PHONE.c.id))).order_by(_C.id).limit(
    MAX_CANDIDATES + 1)
# A remote desk on PostgreSQL reads masked phones (schema ``remote``): the server finds the caller for it. The
# function's ids are ordered and cut to the candidates we keep (the same rows as the outer ORDER BY/LIMIT): without
# the LIMIT the planner takes the set-returning function for 1,000 rows and walks the customer key from the start
# (a merge join: 15-120 ms at 1M customers, growing with the caller's id) instead of probing it (about 1 ms).
_IDS_BY_PHONE_FN = func.csdesk_customer_ids_by_phone(bindparam("number")).table_valued("id").render_derived("ids")
_CUSTOMERS_BY_PHONE_REMOTE = select(*_CARD_COLS).where(
    _C.id.in_(select(_IDS_BY_PHONE_FN.c.id).order_by(_IDS_BY_PHONE_FN.c.id).limit(MAX_CANDIDATES + 1))
).order_by(_C.id).limit(MAX_CANDIDATES + 1)
_CUSTOMERS_BY_POLICY = select(*_CARD_COLS).where(_C.id.in_(_IDS_BY_POLICY)).order_by(_C.id).limit(MAX_CANDIDATES + 1)
_POLICIES = (
    select(_P.id, _P.number, _P.product_line, _P.product_name, _P.status, Vehicle.__table__.c.plate)
    .outerjoin(Vehicle.__table__, Vehicle.__table__.c.policy_id == _P.id)
    .where(_PARTY, _P.status.in_(ACTIVE_POLICY_STATUSES)).order_by(_P.effective_on.desc(), _P.id)
)
_CL = Claim.__table__.c
_CLAIMS = (
    select(_CL.id, _CL.number, _P.number.label("policy_number"), _CL.status)
    .join(Policy.__table__, _CL.policy_id == _P.id)
    .where(_PARTY, _CL.status.in_(OPEN_CLAIM_STATUSES)).order_by(_CL.opened_at.desc())
)
_T = TransferOrder.__table__.c
_TRANSFERS = select(_T.id, _T.number, _T.category_code, _T.department_code, _T.priority, _T.status, _T.due_at,
                    _T.version).where(_T.customer_id == bindparam("cid"), _T.status.in_(OPEN_TRANSFER_STATUSES)
                                      ).order_by(_T.due_at)
_O = OutboundTask.__table__.c
_OUTBOUND = select(_O.id, _O.kind, _O.due_at, _O.attempts, _O.status, _O.last_result, _O.version).where(
    _O.customer_id == bindparam("cid"), _O.status == "open", _O.due_at <= bindparam("horizon")).order_by(_O.due_at)
_K = Contact.__table__.c
_CONTACTS = select(_K.linkedid, _K.direction, _K.queue, _K.agent_id, _K.offered_at, _K.ended_at,
                   _K.survey_score).where(_K.customer_id == bindparam("cid")).order_by(
                       _K.offered_at.desc()).limit(LAST_CONTACTS)
# (statement, its order) for each list in the pop, in ScreenPop order.
_LIST_PARTS = (
    (_POLICIES, (_P.effective_on.desc(), _P.id)),
    (_CLAIMS, (_CL.opened_at.desc(), _CL.id)),
    (_TRANSFERS, (_T.due_at, _T.id)),
    (_OUTBOUND, (_O.due_at, _O.id)),
    (_CONTACTS, (_K.offered_at.desc(), _K.id)),
)


def _lists_statement(dialect: str) -> Select[Any]:
    """Return one SELECT that brings every list of the pop as a JSON array of rows (one round trip).

    Each row carries its rank, so the order does not depend on how the database aggregates."""
    agg, row = (func.json_agg, func.json_build_array) if dialect == "postgresql" else (
        func.json_group_array, func.json_array)
    cols = []
    for stmt, order in _LIST_PARTS:
        sub = stmt.add_columns(func.row_number().over(order_by=order).label("rank")).subquery()
        cols.append(select(agg(row(*sub.c))).scalar_subquery())
    return select(*cols)


_LISTS = {d: _lists_statement(d) for d in ("postgresql", "sqlite")}


def _rows(value: Any) -> list[list[Any]]:
    """Decode one aggregated list (JSON text on SQLite, decoded already by psycopg) into rows in rank order."""
    items: list[list[Any]] = (json.loads(value) if isinstance(value, str) else value) or []
    return [r[:-1] for r in sorted(items, key=lambda r: r[-1])]


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _card(row: Any, m: Masker) -> CustomerCard:
    phones = sorted(row.other_phones.split(",")) if row.other_phones else []
    return CustomerCard(
        id=row.id, name=m.name(row.name), id_type=row.id_type, id_number=m.id_number(row.id_number),
        birth_date=m.birth_date(row.birth_date), mobile=m.phone(row.mobile),
        other_phones=tuple(m.phone(p) or "" for p in phones), email=m.email(row.email),
        address=m.address(row.addr_province, row.addr_city, row.addr_district, row.addr_detail),
        preferred_language=row.preferred_language, vip_level=row.vip_level,
    )


def screen_pop(
    session: Session,
    *,
    caller_number: str | None,
    policy_number: str | None,
    actor: Actor,
    now: datetime | None = None,
) -> ScreenPop:
    """Look the caller up (an IVR policy number wins over the caller number) and return the pop."""
    now = now or utcnow()
    m = masker_for(actor)
    number = normalise_phone(caller_number) if caller_number else ""
    if session.bind is not None and session.bind.dialect.name == "postgresql" and not session.in_transaction():
        # Reads need no transaction, and the audit append is one atomic statement here: this saves the
        # BEGIN and COMMIT round trips on the call's hot path.
        conn = session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    else:
        conn = session.connection()
    found: list[Any] = []
    by = "none"
    if policy_number and policy_number.strip():
        by = "policy_number"
        found = list(conn.execute(_CUSTOMERS_BY_POLICY, {"policy": policy_number.strip().upper()}))
    if not found and number:  # no IVR number, or one that matches nothing: fall back to the caller's number
        by = "caller_number"
        remote_pg = actor.profile == "remote" and conn.dialect.name == "postgresql"
        found = list(conn.execute(_CUSTOMERS_BY_PHONE_REMOTE if remote_pg else _CUSTOMERS_BY_PHONE, {"number": number}))
    if by == "none":
        return ScreenPop(looked_up_by="none", customer=None)
    if len(found) != 1:
        audit.append(session, actor=actor, action="screen_pop", record_type="customer", record_id="-",
                     outcome="ambiguous" if found else "miss", detail={"by": by, "matches": len(found)}, now=now)
        session.commit()
        return ScreenPop(looked_up_by=by, customer=None,
                         candidates=tuple(_card(r, m) for r in found[:MAX_CANDIDATES]))
    return _full_pop(session, conn, found[0], by=by, m=m, actor=actor, now=now)


def warm_screen_pop(session: Session, *, actor: Actor) -> None:
    """Run the pop's statements once for a number and a policy that match nothing, and roll back: the first real
    caller then finds the statements compiled, the connection open and the indexes' top pages in memory. No
    customer is read, so nothing is audited."""
    conn = session.connection()
    remote_pg = actor.profile == "remote" and conn.dialect.name == "postgresql"
    conn.execute(_CUSTOMERS_BY_POLICY, {"policy": "-"}).all()
    conn.execute(_CUSTOMERS_BY_PHONE_REMOTE if remote_pg else _CUSTOMERS_BY_PHONE, {"number": "-"}).all()
    conn.execute(_LISTS[conn.dialect.name], {"cid": -1, "horizon": utcnow() + OUTBOUND_HORIZON}).all()
    session.rollback()


def _full_pop(session: Session, conn: Any, cust: Any, *, by: str, m: Masker, actor: Actor, now: datetime) -> ScreenPop:
    lists = conn.execute(_LISTS[conn.dialect.name], {"cid": cust.id, "horizon": now + OUTBOUND_HORIZON}).one()
    policies = tuple(PolicySummary(*r) for r in _rows(lists[0]))
    claims = tuple(ClaimSummary(*r) for r in _rows(lists[1]))
    transfers = tuple(TransferSummary(r[0], r[1], r[2], r[3], r[4], r[5], _when(r[6]), r[7]) for r in _rows(lists[2]))
    outbound = tuple(OutboundSummary(r[0], r[1], _when(r[2]), r[3], r[4], r[5], r[6]) for r in _rows(lists[3]))
    contacts = tuple(ContactSummary(r[0], r[1], r[2], r[3], _when(r[4]), _dt(r[5]), r[6]) for r in _rows(lists[4]))
    audit.append(session, actor=actor, action="screen_pop", record_type="customer", record_id=cust.id,
                 outcome="hit", detail={"by": by}, now=now)
    session.commit()
    return ScreenPop(
        looked_up_by=by, customer=_card(cust, m), policies=policies, open_claims=claims,
        open_transfers=transfers, due_outbound=outbound, last_contacts=contacts,
    )


def pop_for_customer(session: Session, *, customer_id: int, actor: Actor, now: datetime | None = None) -> ScreenPop:
    """The screen pop of one customer the CSR chose (after a search for an unknown caller)."""
    now = now or utcnow()
    conn = session.connection()
    row = conn.execute(select(*_CARD_COLS).where(_C.id == customer_id)).first()
    if row is None:
        return ScreenPop(looked_up_by="search", customer=None)
    return _full_pop(session, conn, row, by="search", m=masker_for(actor), actor=actor, now=now)


def search_customers(
    session: Session,
    *,
    actor: Actor,
    phone: str | None = None,
    id_number: str | None = None,
    policy_number: str | None = None,
    plate: str | None = None,
    limit: int = 20,
) -> tuple[CustomerCard, ...]:
    """Find customers for an unknown caller by any of phone, ID number, policy number or plate."""
    parts: list[Select[Any]] = []
    used: list[str] = []
    # A remote desk on PostgreSQL reads masked phones and ID numbers: the server matches them for it.
    remote_pg = actor.profile == "remote" and session.get_bind().dialect.name == "postgresql"
    if phone and normalise_phone(phone):
        n = normalise_phone(phone)
        parts.append(select(func.csdesk_customer_ids_by_phone(n)) if remote_pg else _by_phone(n))
        used.append("phone")
    if id_number and id_number.strip():
        v = id_number.strip().upper()
        parts.append(select(func.csdesk_customer_ids_by_id_number(v)) if remote_pg
                     else select(Customer.id).where(Customer.id_number == v))
        used.append("id_number")
    if policy_number and policy_number.strip():
        wanted = policy_number.strip().upper()
        parts.append(select(Policy.holder_id).where(or_(Policy.number == wanted, Policy.number_digits == wanted)))
        used.append("policy_number")
    if plate and plate.strip():
        p = plate.strip().upper().replace(" ", "").replace("·", "")
        parts.append(select(Policy.holder_id).join(Vehicle, Vehicle.policy_id == Policy.id).where(Vehicle.plate == p))
        used.append("plate")
    if not parts:
        return ()
    ids = parts[0] if len(parts) == 1 else union(*parts).subquery().select()
    found = session.scalars(
        select(Customer).where(Customer.id.in_(ids)).options(selectinload(Customer.phones))
        .order_by(Customer.id).limit(limit)
    ).all()
    audit.append(session, actor=actor, action="customer.search", record_type="customer", record_id="-",
                 outcome=f"{len(found)} found", fields=used)
    session.commit()
    m = masker_for(actor)
    return tuple(CustomerCard.of(c, m) for c in found)
