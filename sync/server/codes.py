"""Organizer and profile codes as the server keeps them: hashed, never as they were typed."""

from __future__ import annotations

import hashlib


def normalised(code: str) -> str:
    """The code as it was issued: 12 Crockford characters, whatever the case, dashes or spaces typed."""
    return code.strip().upper().replace("-", "").replace(" ", "")


def hash_code(code: str) -> str:
    """The stored form of a code. The codes carry 60 random bits, so one SHA-256 is enough (no salt
    to try: the lookup must find the row from the typed code alone)."""
    return hashlib.sha256(normalised(code).encode()).hexdigest()
