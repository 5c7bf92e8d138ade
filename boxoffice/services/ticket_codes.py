# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signed ticket codes (DESIGN: Ticket codes): version byte, compact payload, Ed25519 signature, base64url.

Plain random secrets (`Ticket.secret`) stay the default. An event that wants doors to admit tickets
sold at desks they never synced with signs its codes; a door verifies them offline with the event's
public keys (`Event.signing_keys`) and a revocation list of cancelled or changed ticket ids.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from boxoffice.i18n import _

VERSION = 1
# version, ticket id, date id, zone id (zeros: none), valid from, valid until (unix seconds, 0: open)
_PAYLOAD = struct.Struct(">B16s16s16sII")
_SIGNATURE_SIZE = 64
CODE_LENGTH = len(base64.urlsafe_b64encode(bytes(_PAYLOAD.size + _SIGNATURE_SIZE)).rstrip(b"="))
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")
_NO_ZONE = bytes(16)


class TicketCodeError(ValueError):
    """A signed code was refused; `reason` is the door's reason key, the message says why in plain words."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SignedTicket:
    """What a signed code vouches for: one ticket for one date (and zone), within a validity window."""

    ticket_id: str
    date_id: str
    zone_id: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class SignedCode:
    """A parsed but not yet verified code: the ticket it claims, the signed bytes and the signature."""

    ticket: SignedTicket
    signed: bytes
    signature: bytes


def new_signing_key() -> tuple[str, str]:
    """A new event key pair as base64url text: (private key, public key for Event.signing_keys)."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    return _b64(raw), public_key_of(_b64(raw))


def public_key_of(private_key: str) -> str:
    key = _private_key(private_key)
    return _b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def sign_ticket(private_key: str, ticket: SignedTicket) -> str:
    """The code a ticket's QR carries when its event signs codes (~120 bytes, 162 characters)."""
    payload = _PAYLOAD.pack(VERSION, uuid.UUID(ticket.ticket_id).bytes, uuid.UUID(ticket.date_id).bytes,
                            uuid.UUID(ticket.zone_id).bytes if ticket.zone_id else _NO_ZONE,
                            _seconds(ticket.valid_from), _seconds(ticket.valid_until))
    return _b64(payload + _private_key(private_key).sign(payload))


def looks_signed(code: str) -> bool:
    """True for text shaped like a signed code; plain secrets are 26 base32 characters, never this long."""
    return len(code) == CODE_LENGTH and bool(_BASE64URL.match(code))


def read_ticket_code(code: str) -> SignedCode:
    """Parse without verifying (the door first needs the date to know which event's keys apply)."""
    try:
        raw = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != _PAYLOAD.size + _SIGNATURE_SIZE:
        raise TicketCodeError("malformed", _("This code is damaged or not a ticket code."))
    version, ticket, date, zone, start, end = _PAYLOAD.unpack(raw[:_PAYLOAD.size])
    if version != VERSION:
        raise TicketCodeError("malformed", _("This ticket code has a format this app does not know."))
    claimed = SignedTicket(str(uuid.UUID(bytes=ticket)), str(uuid.UUID(bytes=date)),
                           None if zone == _NO_ZONE else str(uuid.UUID(bytes=zone)), _moment(start), _moment(end))
    return SignedCode(claimed, raw[:_PAYLOAD.size], raw[_PAYLOAD.size:])


def check_signed_code(signed: SignedCode, public_keys: Iterable[str], revoked: Collection[str] = (),
                      now: datetime | None = None) -> SignedTicket:
    """The ticket if one of the event's keys signed it, it is not revoked and `now` is in its window."""
    if not any(_verifies(key, signed) for key in public_keys):
        raise TicketCodeError("signature_invalid", _("Forged or altered code: its signature does not match "
                                                     "this event's keys."))
    ticket = signed.ticket
    if ticket.ticket_id in revoked:
        raise TicketCodeError("revoked", _("This ticket was cancelled or replaced."))
    now = now or datetime.now(UTC)
    if ticket.valid_until is not None and now > ticket.valid_until:
        raise TicketCodeError("expired", _("This ticket has expired."))
    if ticket.valid_from is not None and now < ticket.valid_from:
        raise TicketCodeError("not_yet_valid", _("This ticket is not valid yet."))
    return ticket


def verify_ticket_code(code: str, public_keys: Iterable[str], revoked: Collection[str] = (),
                       now: datetime | None = None) -> SignedTicket:
    """Parse and verify in one call; TicketCodeError says why a code is refused."""
    return check_signed_code(read_ticket_code(code), public_keys, revoked, now)


def _verifies(public_key: str, signed: SignedCode) -> bool:
    key = _public_key(public_key)
    if key is None:
        return False
    try:
        key.verify(signed.signature, signed.signed)
    except InvalidSignature:
        return False
    return True


@lru_cache(maxsize=256)
def _public_key(text: str) -> Ed25519PublicKey | None:
    # Keys come from synced data: a broken one must fail its own check, not the whole door.
    try:
        return Ed25519PublicKey.from_public_bytes(_unb64(text))
    except (ValueError, binascii.Error):
        return None


@lru_cache(maxsize=64)
def _private_key(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_unb64(text))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _seconds(moment: datetime | None) -> int:
    return 0 if moment is None else int(moment.timestamp())


def _moment(seconds: int) -> datetime | None:
    return None if seconds == 0 else datetime.fromtimestamp(seconds, UTC)
