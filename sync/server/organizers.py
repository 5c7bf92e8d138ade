"""Create organizers and their profile codes on the server."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.store.ids import uuid7
from sync.server.auth import hash_password, new_code
from sync.server.tables import Account, ChangeCounter, Organizer, ProfileCode


def create_organizer(session: Session, name: str) -> Organizer:
    if not name.strip():
        raise ValueError("an organizer needs a name")
    organizer = Organizer(id=uuid7(), name=name.strip(), code=new_code(), created_at=datetime.now(UTC))
    session.add(organizer)
    session.add(ChangeCounter(organizer_id=organizer.id, value=0))
    session.flush()
    return organizer


def create_profile(session: Session, organizer_code: str, role: str, dates: list[str]) -> ProfileCode:
    organizer = session.scalars(select(Organizer).where(Organizer.code == organizer_code)).first()
    if organizer is None:
        raise ValueError(f"no organizer has the code {organizer_code}")
    if role not in ("door", "desk", "organizer"):
        raise ValueError(f"unknown role {role!r}: choose door, desk or organizer")
    profile = ProfileCode(code=new_code(), organizer_id=organizer.id, role=role, dates=dates,
                          created_at=datetime.now(UTC))
    session.add(profile)
    session.flush()
    return profile


def create_account(session: Session, organizer_code: str, email: str, password: str) -> Account:
    organizer = session.scalars(select(Organizer).where(Organizer.code == organizer_code)).first()
    if organizer is None:
        raise ValueError(f"no organizer has the code {organizer_code}")
    if "@" not in email or len(password) < 8:
        raise ValueError("an account needs an email address and a password of at least 8 characters")
    if session.scalars(select(Account).where(Account.email == email.strip().lower())).first() is not None:
        raise ValueError(f"{email} already has an account")
    account = Account(id=uuid7(), organizer_id=organizer.id, email=email.strip().lower(),
                      password_hash=hash_password(password), created_at=datetime.now(UTC))
    session.add(account)
    session.flush()
    return account


def pairing_qr(server_url: str, code: str) -> str:
    """The JSON a pairing QR code carries (S4): scanned by the app's pairing dialog."""
    return json.dumps({"v": 1, "url": server_url, "token": code}, separators=(",", ":"))
