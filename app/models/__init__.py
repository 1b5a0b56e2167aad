"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from app.models.agent import Agent, AgentSignIn, AgentSkill, AgentStateSpan
from app.models.applied import AppliedWrite
from app.models.audit import AuditEntry, AuditHead
from app.models.base import Base
from app.models.claim import Claim, ClaimEvent, ClaimReport, ReportPerson, ReportVehicle
from app.models.contact import Contact, ServiceCategory, WrapUp
from app.models.customer import Customer, CustomerPhone
from app.models.identity import IdentityCheck, IdentityFailure
from app.models.policy import Beneficiary, Policy, Vehicle
from app.models.work import (
    CoolingOffAnswer,
    Department,
    OutboundAttempt,
    OutboundTask,
    RoutingRule,
    SlaRule,
    TransferOrder,
    TransferStep,
)

__all__ = [
    "Agent", "AgentSignIn", "AgentSkill", "AgentStateSpan", "AppliedWrite", "AuditEntry", "AuditHead", "Base", "Beneficiary",
    "Claim", "ClaimEvent", "ClaimReport", "Contact", "CoolingOffAnswer", "Customer", "CustomerPhone",
    "Department", "IdentityCheck", "IdentityFailure", "OutboundAttempt", "OutboundTask", "Policy",
    "ReportPerson", "ReportVehicle", "RoutingRule", "ServiceCategory", "SlaRule", "TransferOrder",
    "TransferStep", "Vehicle", "WrapUp",
]
