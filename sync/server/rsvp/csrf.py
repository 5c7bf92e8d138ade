"""CSRF protection for the RSVP forms: a signed double-submit cookie bound to the guest's link.

The page sets a random cookie and puts HMAC(server key, cookie, token) in the form. A POST is
taken only when both come back and match: another site can make a browser send the cookie
but cannot read it, so it cannot compute the form value (OWASP "signed double-submit cookie").
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

COOKIE = "rsvp_csrf"
FIELD = "csrf"
_COOKIE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def new_cookie() -> str:
    return secrets.token_urlsafe(32)


def usable_cookie(value: str | None) -> str | None:
    """The browser's cookie when it has the shape this module makes, else None (a new one is set)."""
    return value if value and _COOKIE_SHAPE.match(value) else None


def form_value(key: bytes, cookie: str, token: str) -> str:
    return hmac.new(key, f"rsvp-form|{cookie}|{token}".encode(), hashlib.sha256).hexdigest()


def is_valid(keys: tuple[bytes, ...], cookie: str | None, token: str, sent: str | None) -> bool:
    """True when the form came from a page this server served to this browser for this link.

    `keys` are the current key and the one before rotate-key, so a page served just before a
    rotation can still be sent.
    """
    cookie = usable_cookie(cookie)
    if cookie is None or not sent:
        return False
    # Bytes: compare_digest raises TypeError on a str with non-ASCII characters.
    return any(hmac.compare_digest(form_value(key, cookie, token).encode(), sent.encode()) for key in keys)
