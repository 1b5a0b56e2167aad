"""Readable names for the data layer's codes (statuses, product lines, priorities, results, roles)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Code"

NAMES: dict[str, str] = {
    # policy status and product line
    "pending": QT_TRANSLATE_NOOP("Code", "pending"), "in_force": QT_TRANSLATE_NOOP("Code", "in force"),
    "lapsed": QT_TRANSLATE_NOOP("Code", "lapsed"), "expired": QT_TRANSLATE_NOOP("Code", "expired"),
    "surrendered": QT_TRANSLATE_NOOP("Code", "surrendered"), "cancelled": QT_TRANSLATE_NOOP("Code", "cancelled"),
    "auto_compulsory": QT_TRANSLATE_NOOP("Code", "compulsory auto"),
    "auto_commercial": QT_TRANSLATE_NOOP("Code", "commercial auto"),
    "property": QT_TRANSLATE_NOOP("Code", "property"), "life": QT_TRANSLATE_NOOP("Code", "life"),
    "health": QT_TRANSLATE_NOOP("Code", "health"), "accident": QT_TRANSLATE_NOOP("Code", "accident"),
    # claim status
    "reported": QT_TRANSLATE_NOOP("Code", "reported"), "registered": QT_TRANSLATE_NOOP("Code", "registered"),
    "investigating": QT_TRANSLATE_NOOP("Code", "investigating"), "assessed": QT_TRANSLATE_NOOP("Code", "assessed"),
    "approved": QT_TRANSLATE_NOOP("Code", "approved"), "paid": QT_TRANSLATE_NOOP("Code", "paid"),
    "closed": QT_TRANSLATE_NOOP("Code", "closed"), "rejected": QT_TRANSLATE_NOOP("Code", "rejected"),
    "withdrawn": QT_TRANSLATE_NOOP("Code", "withdrawn"),
    # transfer status and priority
    "new": QT_TRANSLATE_NOOP("Code", "new"), "sent": QT_TRANSLATE_NOOP("Code", "sent"),
    "accepted": QT_TRANSLATE_NOOP("Code", "accepted"), "in_progress": QT_TRANSLATE_NOOP("Code", "in progress"),
    "resolved": QT_TRANSLATE_NOOP("Code", "resolved"), "returned": QT_TRANSLATE_NOOP("Code", "returned"),
    "urgent": QT_TRANSLATE_NOOP("Code", "urgent"), "high": QT_TRANSLATE_NOOP("Code", "high"),
    "normal": QT_TRANSLATE_NOOP("Code", "normal"), "low": QT_TRANSLATE_NOOP("Code", "low"),
    # outbound status and results
    "open": QT_TRANSLATE_NOOP("Code", "open"), "done": QT_TRANSLATE_NOOP("Code", "done"),
    "failed": QT_TRANSLATE_NOOP("Code", "failed"), "success": QT_TRANSLATE_NOOP("Code", "success"),
    "no_answer": QT_TRANSLATE_NOOP("Code", "no answer"), "busy": QT_TRANSLATE_NOOP("Code", "busy"),
    "wrong_number": QT_TRANSLATE_NOOP("Code", "wrong number"), "refused": QT_TRANSLATE_NOOP("Code", "refused"),
    "call_back_later": QT_TRANSLATE_NOOP("Code", "call back later"),
    # policy parties
    "holder": QT_TRANSLATE_NOOP("Code", "policy holder"), "insured": QT_TRANSLATE_NOOP("Code", "insured person"),
    "beneficiary": QT_TRANSLATE_NOOP("Code", "beneficiary"),
    # customer identity and language, contact direction, outbound kinds (the screen-pop card)
    "resident_id": QT_TRANSLATE_NOOP("Code", "resident ID"), "passport": QT_TRANSLATE_NOOP("Code", "passport"),
    "hk_macau_permit": QT_TRANSLATE_NOOP("Code", "HK/Macau permit"),
    "taiwan_permit": QT_TRANSLATE_NOOP("Code", "Taiwan permit"),
    "foreign_permanent": QT_TRANSLATE_NOOP("Code", "foreign permanent residence"),
    "zh": QT_TRANSLATE_NOOP("Code", "Mandarin"), "en": QT_TRANSLATE_NOOP("Code", "English"),
    "yue": QT_TRANSLATE_NOOP("Code", "Cantonese"),
    "inbound": QT_TRANSLATE_NOOP("Code", "inbound"), "outbound": QT_TRANSLATE_NOOP("Code", "outbound"),
    "cooling_off": QT_TRANSLATE_NOOP("Code", "cooling-off callback"),
    "claim_follow_up": QT_TRANSLATE_NOOP("Code", "claim follow-up"), "renewal": QT_TRANSLATE_NOOP("Code", "renewal"),
}


def name_of(code: str | None) -> str:
    """Return the code's name in the desk's language; an unknown code is shown as it is."""
    if not code:
        return ""
    source = NAMES.get(code)
    return QCoreApplication.translate(CONTEXT, source) if source else code
