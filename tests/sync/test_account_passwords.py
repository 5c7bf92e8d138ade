"""Account passwords are kept as argon2id hashes; scrypt ones from older servers are upgraded at the next login."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from sync.client import SyncError
from sync.server import organizers
from sync.server.database import Database
from sync.server.tables import Account

EMAIL, PASSWORD = "chef@example.ch", "correct horse battery"


def _old_scrypt_hash(password: str) -> str:
    """What the server stored before argon2id: scrypt N=2^14, r=8, p=1, salt and digest in hex."""
    salt = bytes.fromhex("00112233445566778899aabbccddeeff")
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt$16384$8$1${salt.hex()}${digest.hex()}"


def _stored_hash(server) -> str:
    db = Database(server.database_url)
    with db.session() as session:
        stored = session.scalars(select(Account.password_hash).where(Account.email == EMAIL)).one()
    db.engine.dispose()
    return stored


def _create_account(server, password_hash: str | None = None) -> None:
    db = Database(server.database_url)
    with db.session() as session:
        account = organizers.create_account(session, server.organizer_code, EMAIL, PASSWORD)
        if password_hash is not None:
            account.password_hash = password_hash
        session.commit()
    db.engine.dispose()


class TestAccountPasswords:
    def test_an_account_needs_an_address_mail_can_reach(self, server):
        db = Database(server.database_url)
        with db.session() as session, pytest.raises(ValueError, match="needs an email address"):
            organizers.create_account(session, server.organizer_code, "office..team@example.ch", PASSWORD)
        db.engine.dispose()

    def test_a_new_account_is_stored_as_argon2id_never_as_the_password(self, server):
        _create_account(server)
        stored = _stored_hash(server)
        assert stored.startswith("$argon2id$") and PASSWORD not in stored

    def test_an_old_scrypt_password_logs_in_and_is_rewritten_as_argon2id(self, make_device, server):
        old = _old_scrypt_hash(PASSWORD)
        _create_account(server, old)
        _writer, client = make_device("door-1", role="door", enroll=False)
        with pytest.raises(SyncError, match="401: wrong email or password"):
            client.enroll(server.url, None, "door-1", "door", email=EMAIL, password="wrong password")
        assert _stored_hash(server) == old  # a failed login changes nothing
        answer = client.enroll(server.url, None, "door-1", "door", email=EMAIL, password=PASSWORD)
        assert answer["role"] == "door"
        assert _stored_hash(server).startswith("$argon2id$")

    def test_after_the_upgrade_the_password_still_logs_in_and_a_wrong_one_is_still_refused(self, make_device, server):
        _create_account(server, _old_scrypt_hash(PASSWORD))
        _writer, client = make_device("door-1", role="door", enroll=False)
        client.enroll(server.url, None, "door-1", "door", email=EMAIL, password=PASSWORD)
        upgraded = _stored_hash(server)
        _writer, other = make_device("door-2", role="door", enroll=False)
        with pytest.raises(SyncError, match="401: wrong email or password"):
            other.enroll(server.url, None, "door-2", "door", email=EMAIL, password=PASSWORD.upper())
        assert other.enroll(server.url, None, "door-2", "door", email=EMAIL, password=PASSWORD)["role"] == "door"
        assert _stored_hash(server) == upgraded  # hashed once: an argon2id hash is not rewritten at every login
