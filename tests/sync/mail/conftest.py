"""The mail tests' fixtures: a real SMTP server, the real sync server set up to use it, its sender."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sync.server.database import Database
from sync.server.mail import settings as mail_settings
from sync.server.mail.sender import MailSender
from tests.live_server import LiveServer
from tests.sync.mail.smtp_inbox import Inbox, SmtpServer

PUBLIC_URL = "https://rsvp.example.org"
# Our SPF include is in the museum's record, not in the school's.
DNS = {"museejenisch.ch": ["v=spf1 include:spf.boxoffice.app -all"], "ecole.ch": ["v=spf1 mx -all"]}


def stub_dns(domain: str) -> list[str]:
    if domain == "offline.ch":
        raise LookupError("no answer")
    return DNS.get(domain, [])


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as running:
        yield running


@pytest.fixture
def inbox(smtp: SmtpServer) -> Inbox:
    return smtp.inbox


@pytest.fixture
def server_db(server: LiveServer, smtp: SmtpServer) -> Iterator[Database]:
    """The live server's database, with its SMTP relay set to the test server."""
    db = Database(server.database_url)
    with db.session() as session:
        mail_settings.save_smtp(session, mail_settings.SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=10))
        mail_settings.save_public_url(session, PUBLIC_URL)
        session.commit()
    yield db
    db.engine.dispose()


@pytest.fixture
def sender(server_db: Database) -> MailSender:
    """The sender as a server process runs it, driven pass by pass by the test."""
    return MailSender(server_db, resolver=stub_dns, batch_size=2)
