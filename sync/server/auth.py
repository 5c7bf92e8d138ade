"""Enrollment codes, device secrets and short-lived access tokens verified without server sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from boxoffice.store.ids import new_secret
from sync.server.token_keys import load_keys

TOKEN_SECONDS = 15 * 60


class TokenError(Exception):
    """The token is missing, malformed, forged or expired."""


@dataclass(frozen=True)
class Claims:
    device_id: str
    organizer_id: str
    role: str


def new_code() -> str:
    """An organizer or profile code: 12 Crockford characters, readable aloud (60 bits)."""
    return new_secret(60)


def new_device_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes over 64 MiB, 4 lanes).
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """argon2id with a random salt, in one string that says how it was made."""
    return _HASHER.hash(password)


def password_matches(password: str, stored: str) -> bool:
    """Checks argon2id hashes, and the scrypt ones made before them."""
    if stored.startswith("scrypt$"):
        return _scrypt_matches(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_new_hash(stored: str) -> bool:
    """A scrypt hash, or an argon2id one with weaker settings than today's: hash again at the next login."""
    try:
        return stored.startswith("scrypt$") or _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def _scrypt_matches(password: str, stored: str) -> bool:
    try:
        _name, n, r, p, salt, digest = stored.split("$")
        attempt = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(attempt.hex(), digest)


def signing_key(session: Session) -> bytes:
    """The current key (sync/server/token_keys.py); the caller commits (an older database's key leaves it)."""
    return load_keys(session).current


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(key: bytes, claims: Claims, now: float | None = None) -> str:
    body = json.dumps({"d": claims.device_id, "o": claims.organizer_id, "r": claims.role,
                       "x": int((time.time() if now is None else now) + TOKEN_SECONDS)}, separators=(",", ":")).encode()
    return f"{_b64(body)}.{_b64(hmac.new(key, body, hashlib.sha256).digest())}"


def verify_token(keys: bytes | Sequence[bytes], token: str, now: float | None = None) -> Claims:
    """The token's claims if one of `keys` (the current key, then the one before a rotation) signed it."""
    try:
        body_text, signature = token.split(".")
        body = _unb64(body_text)
        given = _unb64(signature)
        if not any(hmac.compare_digest(hmac.new(key, body, hashlib.sha256).digest(), given)
                   for key in ([keys] if isinstance(keys, bytes) else keys)):
            raise TokenError("the access token is not valid")
        data = json.loads(body)
        claims = Claims(str(data["d"]), str(data["o"]), str(data["r"]))
        expires = int(data["x"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TokenError("the access token is malformed") from exc
    if expires < (time.time() if now is None else now):
        raise TokenError("the access token has expired: ask for a new one")
    return claims
