"""A remote desk reveals one masked field only for a verified caller, with a reason, and it is audited."""

from __future__ import annotations

import pytest
from appkit import Db, World
from sqlalchemy import select

from app.actor import Actor
from app.errors import IdentityRequired, ValidationError
from app.identity import verify_identity
from app.models import AuditEntry
from app.services.reveal import reveal_field


def test_reveal_with_identity_and_reason(db: Db, world: World, remote_csr: Actor) -> None:
    with db.session() as s:
        tok = verify_identity(s, actor=remote_csr, customer_id=world.zhang_id, method="name_id6", name="张三丰",
                              id_last6=world.zhang_idno[-6:])
        assert reveal_field(s, actor=remote_csr, token=tok, customer_id=world.zhang_id, field="mobile",
                            reason="callback_number") == world.zhang_mobile
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "customer.reveal"))
    assert entry is not None
    assert entry.fields == '["mobile"]'
    assert '"reason": "callback_number"' in entry.detail
    assert world.zhang_mobile not in entry.detail + entry.fields + entry.record_id


def test_reveal_refused_without_identity_reason_or_for_another_customer(db: Db, world: World,
                                                                        remote_csr: Actor) -> None:
    with db.session() as s:
        with pytest.raises(IdentityRequired):
            reveal_field(s, actor=remote_csr, token=None, customer_id=world.zhang_id, field="mobile",
                         reason="callback_number")
        tok = verify_identity(s, actor=remote_csr, customer_id=world.zhang_id, method="name_id6", name="张三丰",
                              id_last6=world.zhang_idno[-6:])
        with pytest.raises(IdentityRequired, match="not a party"):
            reveal_field(s, actor=remote_csr, token=tok, customer_id=world.ouyang_id, field="mobile",
                         reason="callback_number")
        with pytest.raises(ValidationError) as err:
            reveal_field(s, actor=remote_csr, token=tok, customer_id=world.zhang_id, field="bank_pin", reason="")
        assert set(err.value.fields) == {"field", "reason"}
        reveals = s.scalars(select(AuditEntry).where(AuditEntry.action == "customer.reveal")).all()
    assert reveals == []
