"""Enrollment, access tokens and revocation (S4)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import EnrollRequest, EnrollResponse, Role, TokenRequest, TokenResponse
from sync.server import profiles
from sync.server.auth import (
    TOKEN_SECONDS,
    Claims,
    hash_password,
    hash_secret,
    issue_token,
    needs_new_hash,
    new_device_secret,
    password_matches,
)
from sync.server.codes import hash_code, normalised
from sync.server.deps import Refused, current_device, schema_version, session, token_key
from sync.server.device_scopes import device_scopes
from sync.server.tables import Account, Device, Organizer, ProfileCode
from sync.server.throttle import address_key, throttles

router = APIRouter(prefix="/v1/devices", tags=["devices"])


def _read_code(code: str) -> str:
    """A code typed by hand, or the QR handshake {"v":1,"url":…,"token":…} scanned from a screen."""
    text = code.strip()
    if not text.startswith("{"):
        return normalised(text)
    try:
        data = json.loads(text)
        if data.get("v") != 1 or not isinstance(data.get("token"), str):
            raise ValueError
    except (ValueError, AttributeError):
        raise Refused(400, "the scanned QR code is not a boxoffice pairing code") from None
    return _read_code(data["token"])


def _resolve(opened: Session, code: str, role: Role | None, dates: list[str] | None
             ) -> tuple[Organizer, Role, list[str], ProfileCode | None]:
    organizer = opened.scalars(select(Organizer).where(Organizer.code_hash == hash_code(code))).first()
    if organizer is not None:
        return organizer, role or "organizer", dates or [], None
    try:
        profile = profiles.usable(opened, code)
    except profiles.CodeRefused as exc:
        raise Refused(403, str(exc)) from None
    if profile is None:
        raise Refused(404, "this code is unknown: check it with the organizer")
    found = opened.get(Organizer, profile.organizer_id)
    assert found is not None
    if role and role != profile.role:
        raise Refused(409, f"this profile code enrolls a {profile.role} device, not a {role}")
    # A profile fixes what its devices replicate: the device cannot widen it.
    return found, cast(Role, profile.role), list(profile.dates) or (dates or []), profile


def _log_in(opened: Session, email: str, password: str) -> Organizer:
    account = opened.scalars(select(Account).where(Account.email == email.strip().lower())).first()
    # The same answer and the same work for an unknown email and a wrong password.
    if not password_matches(password, account.password_hash if account else _DECOY_HASH) or account is None:
        raise Refused(401, "wrong email or password")
    if needs_new_hash(account.password_hash):  # scrypt from before argon2id: upgraded, committed with the enrollment
        account.password_hash = hash_password(password)
    found = opened.get(Organizer, account.organizer_id)
    assert found is not None
    return found


_DECOY_HASH = hash_password("not a real password")


@router.post("/enroll", response_model=EnrollResponse, responses={
    403: {"description": "the profile code expired, enrolled all the devices it may, or was revoked"},
    429: {"description": "too many failed tries"}})
def enroll(body: EnrollRequest, request: Request, opened: Annotated[Session, Depends(session)],
           _schema: Annotated[int, Depends(schema_version)]) -> EnrollResponse:
    """Pair a device; wrong codes and passwords slow the caller down (throttle.py), per address and per account."""
    keys = [address_key(request), *([f"account:{body.email.strip().lower()}"] if body.email else [])]
    limit = throttles(request).enrollment
    limit.check(*keys)
    try:
        answer = _enroll(body, request, opened)
    except Refused as exc:
        if exc.status in (401, 404):
            limit.count(*keys)
        raise
    limit.forget(*keys[1:])  # the right password: its account starts afresh, the address does not
    return answer


def _enroll(body: EnrollRequest, request: Request, opened: Session) -> EnrollResponse:
    if body.code:
        organizer, role, dates, profile = _resolve(opened, _read_code(body.code), body.role, body.dates)
    elif body.email and body.password:
        organizer, profile = _log_in(opened, body.email, body.password), None
        role, dates = body.role or "organizer", body.dates or []
    else:
        raise Refused(400, "give a code, or an email and a password")
    secret = new_device_secret()
    device = opened.get(Device, body.device_id)
    if device is not None and (device.organizer_id != organizer.id or device.revoked_at is not None
                               or device.secret_hash != hash_secret(body.secret or "")):
        # Only the device itself (it knows its secret) may pair again under its id.
        raise Refused(409, "this device id is already used; wipe the app's data and enroll again")
    if device is None:
        if profile is not None:
            try:
                profiles.use(opened, profile)
            except profiles.CodeRefused as exc:
                raise Refused(403, str(exc)) from None
        device = Device(id=body.device_id, organizer_id=organizer.id, created_at=datetime.now(UTC), last_seq=0,
                        profile_id=profile.id if profile else None)
        opened.add(device)
    device.name, device.role, device.dates, device.secret_hash = body.name, role, dates, hash_secret(secret)
    token = issue_token(token_key(request, opened), Claims(device.id, organizer.id, role))
    opened.commit()
    return EnrollResponse(device_id=device.id, organizer_id=organizer.id, organizer_name=organizer.name, role=role,
                          secret=secret, token=token, expires_in=TOKEN_SECONDS,
                          scopes=device_scopes(opened.connection(), organizer.id, role, device.id, dates))


@router.post("/token", response_model=TokenResponse)
def token(body: TokenRequest, request: Request, opened: Annotated[Session, Depends(session)],
          _schema: Annotated[int, Depends(schema_version)]) -> TokenResponse:
    keys = [address_key(request), f"device:{body.device_id}"]
    limit = throttles(request).enrollment
    limit.check(*keys)
    device = opened.get(Device, body.device_id)
    if device is None or device.secret_hash != hash_secret(body.secret):
        limit.count(*keys)
        raise Refused(401, "unknown device or wrong secret")
    if device.revoked_at is not None:
        raise Refused(403, "this device was revoked: its copy must be wiped", revoked=True)
    issued = issue_token(token_key(request, opened), Claims(device.id, device.organizer_id, device.role))
    return TokenResponse(token=issued, expires_in=TOKEN_SECONDS,
                         scopes=device_scopes(opened.connection(), device.organizer_id, device.role, device.id,
                                              list(device.dates)))


@router.post("/{device_id}/revoke", status_code=204)
def revoke(device_id: str, caller: Annotated[Device, Depends(current_device)],
           opened: Annotated[Session, Depends(session)]) -> None:
    if caller.role != "organizer":
        raise Refused(403, "only an organizer device may revoke devices")
    target = opened.get(Device, device_id)
    if target is None or target.organizer_id != caller.organizer_id:
        raise Refused(404, "no such device")
    target.revoked_at = datetime.now(UTC)
    profiles.spend(opened, target, target.revoked_at)
    opened.commit()
