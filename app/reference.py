"""Reference tables seeded by migration: service categories, departments, routing and SLA.

The migration copies these values; change them with a new migration, not here alone."""

from __future__ import annotations

# (code, parent, name_zh, name_en); level 1 has parent None.
SERVICE_CATEGORIES: tuple[tuple[str, str | None, str, str], ...] = (
    ("consult", None, "咨询", "Consultation"),
    ("consult.product", "consult", "产品咨询", "Product question"),
    ("consult.policy", "consult", "保单咨询", "Policy question"),
    ("consult.claim_progress", "consult", "理赔进度咨询", "Claim progress question"),
    ("claim", None, "报案", "Claim report"),
    ("claim.auto", "claim", "车险报案", "Auto claim report"),
    ("claim.life_health", "claim", "人身险报案", "Life and health claim report"),
    ("claim.property", "claim", "财产险报案", "Property claim report"),
    ("complaint", None, "投诉", "Complaint"),
    ("complaint.service", "complaint", "服务投诉", "Service complaint"),
    ("complaint.claim", "complaint", "理赔投诉", "Claim complaint"),
    ("complaint.sales", "complaint", "销售投诉", "Sales complaint"),
    ("policy_service", None, "保全服务", "Policy service"),
    ("policy_service.change_contact", "policy_service", "联系方式变更", "Change of contact details"),
    ("policy_service.beneficiary", "policy_service", "受益人变更", "Change of beneficiary"),
    ("policy_service.surrender", "policy_service", "退保", "Surrender"),
    ("policy_service.renewal", "policy_service", "续保", "Renewal"),
    ("callback", None, "回访", "Callback"),
    ("callback.cooling_off", "callback", "犹豫期回访", "Cooling-off callback"),
    ("callback.claim_follow_up", "callback", "理赔回访", "Claim follow-up"),
    ("other", None, "其他", "Other"),
    ("other.misdial", "other", "误拨", "Misdial"),
    ("other.other", "other", "其他", "Other"),
)

DEPARTMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("claims_auto", "车险理赔部", "Auto claims", "department"),
    ("claims_life", "人身险理赔部", "Life and health claims", "department"),
    ("claims_property", "财产险理赔部", "Property claims", "department"),
    ("policy_admin", "保全部", "Policy administration", "department"),
    ("complaints", "客户投诉处理中心", "Complaints", "department"),
    ("sales_quality", "销售品质管理部", "Sales quality", "department"),
    ("branch_sh", "上海分公司", "Shanghai branch", "branch"),
    ("branch_gd", "广东分公司", "Guangdong branch", "branch"),
    ("branch_bj", "北京分公司", "Beijing branch", "branch"),
)

ROUTING: tuple[tuple[str, str], ...] = (
    ("consult.claim_progress", "claims_auto"),
    ("claim.auto", "claims_auto"),
    ("claim.life_health", "claims_life"),
    ("claim.property", "claims_property"),
    ("complaint.service", "complaints"),
    ("complaint.claim", "complaints"),
    ("complaint.sales", "sales_quality"),
    ("policy_service.change_contact", "policy_admin"),
    ("policy_service.beneficiary", "policy_admin"),
    ("policy_service.surrender", "policy_admin"),
    ("policy_service.renewal", "policy_admin"),
)

SLA_HOURS: tuple[tuple[str, int], ...] = (("urgent", 4), ("high", 24), ("normal", 72), ("low", 120))
