"""Read what the desk needs from an incoming INVITE: the caller and the PBX's X-CSD-* headers."""

from __future__ import annotations

import re

_URI_USER = re.compile(r"<?(?:sips?|tel):([^@;>]+)")
_HEADERS = {
    "x-csd-queue": "queue",
    "x-csd-linkedid": "linkedid",
    "x-csd-uniqueid": "uniqueid",
}
_IVR = {"x-csd-policy": "CSD_POLICY", "x-csd-menu": "CSD_MENU"}
_COMPACT = {"f": "from"}


def parse_offer(msg: str) -> dict[str, object]:
    """Return caller_id, queue, linkedid, uniqueid and ivr_vars from a raw SIP INVITE."""
    offer: dict[str, object] = {"caller_id": "", "queue": None, "linkedid": None, "uniqueid": None}
    ivr: dict[str, str] = {}
    for line in msg.split("\r\n")[1:] if "\r\n" in msg else msg.split("\n")[1:]:
        if not line:
            break
        name, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = name.strip().lower(), value.strip()
        key = _COMPACT.get(key, key)
        if key == "from":
            offer["caller_id"] = caller_of(value)
        elif key in _HEADERS:
            offer[_HEADERS[key]] = value
        elif key in _IVR:
            ivr[_IVR[key]] = value
    offer["ivr_vars"] = ivr
    return offer


def caller_of(from_value: str) -> str:
    """Return the user part of a From/remote URI (the caller's number), or the display name."""
    m = _URI_USER.search(from_value)
    return m.group(1) if m else from_value.strip().strip('"')
