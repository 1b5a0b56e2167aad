"""Show the data layer's messages (field errors, refusals) in the desk's language.

The data layer writes plain English; each message it can produce is listed here for lupdate, and the
few with a number or a name inside are matched by pattern and translated as a template."""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "FieldMessage"

_STATIC = (
    QT_TRANSLATE_NOOP("FieldMessage", "this field is required"),
    QT_TRANSLATE_NOOP("FieldMessage", "a resident ID is 17 digits followed by a digit or X"),
    QT_TRANSLATE_NOOP("FieldMessage", "the birth date inside the ID number is not a real date"),
    QT_TRANSLATE_NOOP("FieldMessage", "the birth date inside the ID number is impossible"),
    QT_TRANSLATE_NOOP("FieldMessage", "the ID number's check digit is wrong; please read it again"),
    QT_TRANSLATE_NOOP("FieldMessage", "a mobile number has digits only"),
    QT_TRANSLATE_NOOP("FieldMessage", "a mobile number has 11 digits and starts with 13 to 19"),
    QT_TRANSLATE_NOOP("FieldMessage", "a plate starts with a province character such as 京 or 粤"),
    QT_TRANSLATE_NOOP("FieldMessage", "a VIN never contains I, O or Q"),
    QT_TRANSLATE_NOOP("FieldMessage", "a VIN has letters and digits only"),
    QT_TRANSLATE_NOOP("FieldMessage", "this is not an email address"),
    QT_TRANSLATE_NOOP("FieldMessage", "this time is in the future"),
    QT_TRANSLATE_NOOP("FieldMessage", "this date is in the future"),
    QT_TRANSLATE_NOOP("FieldMessage", "no policy with this number"),
    QT_TRANSLATE_NOOP("FieldMessage", "this policy was cancelled"),
    QT_TRANSLATE_NOOP("FieldMessage", "the policy was not in force at this time"),
    QT_TRANSLATE_NOOP("FieldMessage", "say whether the police came"),
    QT_TRANSLATE_NOOP("FieldMessage", "add at least the insured vehicle"),
    QT_TRANSLATE_NOOP("FieldMessage", "mark which vehicle is the insured one"),
    QT_TRANSLATE_NOOP("FieldMessage", "give the injury level of an injured person"),
    QT_TRANSLATE_NOOP("FieldMessage", "this field is required for a hospitalisation or critical illness"),
    QT_TRANSLATE_NOOP("FieldMessage", "this field is required for a hospitalisation"),
    QT_TRANSLATE_NOOP("FieldMessage", "discharge cannot be before admission"),
    QT_TRANSLATE_NOOP("FieldMessage", "admission cannot be before the event"),
    QT_TRANSLATE_NOOP("FieldMessage", "no call of yours with this id"),
    QT_TRANSLATE_NOOP("FieldMessage", "this call is already wrapped up"),
    QT_TRANSLATE_NOOP("FieldMessage", "choose a service category"),
    QT_TRANSLATE_NOOP("FieldMessage", "choose a second-level category"),
    QT_TRANSLATE_NOOP("FieldMessage", "choose a second-level service category"),
    QT_TRANSLATE_NOOP("FieldMessage", "say whether it was resolved on this contact"),
    QT_TRANSLATE_NOOP("FieldMessage", "at most 2000 characters"),
    QT_TRANSLATE_NOOP("FieldMessage", "no department is routed for this category; choose one"),
    QT_TRANSLATE_NOOP("FieldMessage", "unknown department or branch"),
    QT_TRANSLATE_NOOP("FieldMessage", "unknown customer"),
    QT_TRANSLATE_NOOP("FieldMessage", "no SLA is defined for this priority"),
    QT_TRANSLATE_NOOP("FieldMessage", "give the time the customer asked to be called back"),
    QT_TRANSLATE_NOOP("FieldMessage", "the call-back time must be in the future"),
    QT_TRANSLATE_NOOP("FieldMessage", "only a cooling-off callback has regulator questions"),
    QT_TRANSLATE_NOOP("FieldMessage", "use the form YYYY-MM-DD HH:MM"),
    QT_TRANSLATE_NOOP("FieldMessage", "use the form YYYY-MM-DD"),
    QT_TRANSLATE_NOOP("FieldMessage", "choose a customer first"),
    QT_TRANSLATE_NOOP("FieldMessage", "enter the last 6 characters of the ID number"),
    QT_TRANSLATE_NOOP("FieldMessage", "no customer found; try another phone, ID, policy or plate"),
    QT_TRANSLATE_NOOP("FieldMessage", "there is no call to attach this to"),
    QT_TRANSLATE_NOOP("FieldMessage", "the answers do not match our records"),
    QT_TRANSLATE_NOOP("FieldMessage", "verify the caller's identity first (name + last 6 of ID, or policy number + birth date)"),
    QT_TRANSLATE_NOOP("FieldMessage", "the identity check has expired; verify the caller again"),
    QT_TRANSLATE_NOOP("FieldMessage", "this identity check is not valid; verify the caller again"),
    QT_TRANSLATE_NOOP("FieldMessage", "the identity was verified at another desk or by another agent; verify the caller again"),
    QT_TRANSLATE_NOOP("FieldMessage", "the verified caller is not a party to this record"),
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^a resident ID has 18 characters, this has (\d+)$"),
     QT_TRANSLATE_NOOP("FieldMessage", "a resident ID has 18 characters, this has %1")),
    (re.compile(r"^a plate has 7 characters \(8 for new energy\), this has (\d+)$"),
     QT_TRANSLATE_NOOP("FieldMessage", "a plate has 7 characters (8 for new energy), this has %1")),
    (re.compile(r"^a VIN has 17 characters, this has (\d+)$"),
     QT_TRANSLATE_NOOP("FieldMessage", "a VIN has 17 characters, this has %1")),
    (re.compile(r"^at most (\d+) characters$"), QT_TRANSLATE_NOOP("FieldMessage", "at most %1 characters")),
    (re.compile(r"^this is not a valid (plate|new-energy plate)$"),
     QT_TRANSLATE_NOOP("FieldMessage", "this is not a valid plate")),
    (re.compile(r"^this is a (\w+) policy; use the matching claim form$"),
     QT_TRANSLATE_NOOP("FieldMessage", "this is a %1 policy; use the matching claim form")),
    (re.compile(r"^the answers do not match our records; (\d+) attempt\(s\) left on this call$"),
     QT_TRANSLATE_NOOP("FieldMessage", "the answers do not match our records; %1 attempt(s) left on this call")),
    (re.compile(r"^identity checks for this customer are locked after (\d+) failures on this call; .*$"),
     QT_TRANSLATE_NOOP("FieldMessage", "identity checks are locked after %1 failures on this call; "
                       "transfer to a team lead or ask the customer to visit a branch")),
    (re.compile(r"^this task is already (\w+)$"), QT_TRANSLATE_NOOP("FieldMessage", "this task is already %1")),
    (re.compile(r"^no (.+) found for (.+)$"), QT_TRANSLATE_NOOP("FieldMessage", "not found: %1")),
    (re.compile(r"^.* was changed by someone else .*$"),
     QT_TRANSLATE_NOOP("FieldMessage", "someone else changed this record after you loaded it; reload it and try again")),
)


def tr_message(message: str) -> str:
    """Return ``message`` (from the data layer) in the desk's language; unknown ones pass through."""
    for pattern, template in _PATTERNS:
        m = pattern.match(message)
        if m:
            text = QCoreApplication.translate(CONTEXT, template)
            return text.replace("%1", m.group(1)) if m.groups() else text
    return QCoreApplication.translate(CONTEXT, message)
