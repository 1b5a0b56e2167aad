"""Password hashing with hashlib.scrypt and a per-user salt. Passwords are never stored or logged."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
_DUMMY = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def hash_password(password: str) -> str:
    """Return ``scrypt$N$r$p$salt$hash`` (base64 parts) for a new password."""
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return "$".join(("scrypt", str(N), str(R), str(P), base64.b64encode(salt).decode(), base64.b64encode(dk).decode()))


def check_password(stored: str | None, password: str) -> bool:
    """Return whether ``password`` matches ``stored``; with ``stored`` None, spend the same time and say no."""
    scheme, n, r, p, salt_b64, dk_b64 = (stored or _DUMMY).split("$")
    if scheme != "scrypt":
        return False
    dk = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt_b64), n=int(n), r=int(r), p=int(p),
                        dklen=len(base64.b64decode(dk_b64)))
    return stored is not None and hmac.compare_digest(dk, base64.b64decode(dk_b64))
