"""Create organizers and their accounts on the server (profile codes: profiles.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.services.email_addresses import is_valid_email
from boxoffice.store.ids import uuid7
from sync.server.auth import hash_password, new_code
from sync.server.codes import hash_code
from sync.server.profiles import find_organizer
from sync.server.tables import Account, ChangeCounter, Organizer


def create_organizer(session: Session, name: str) -> tuple[Organizer, str]:
    """The new organizer and its code, shown this once: the server keeps only the code's hash."""
    if not name.strip():
        raise ValueError("an organizer needs a name")
    code = new_code()
    organizer = Organizer(id=uuid7(), name=name.strip(), code_hash=hash_code(code), created_at=datetime.now(UTC))
    session.add(organizer)
    session.add(ChangeCounter(organizer_id=organizer.id, value=0))
    session.flush()
    return organizer, code


def create_account(session: Session, organizer_code: str, email: str, password: str) -> Account:
    organizer = find_organizer(session, organizer_code)
    if not is_valid_email(email.strip()) or len(password) < 8:
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
