"""The relay's TLS modes and login: STARTTLS and implicit TLS, the certificate checked, a wrong password retried."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync.server.database import Database
from sync.server.mail import settings as mail_settings
from sync.server.mail.sender import MailSender
from tests.sync.mail.conftest import stub_dns
from tests.sync.mail.organizer import GUESTS, schedule
from tests.sync.mail.tls_relay import PASSWORD, USER, TlsRelay


def use_relay(db: Database, relay: TlsRelay, tls: mail_settings.TlsMode, password: str = PASSWORD) -> None:
    with db.session() as session:
        mail_settings.save_smtp(session, mail_settings.SmtpSettings(
            host="127.0.0.1", port=relay.port, tls=tls, user=USER, password=password, timeout=10))
        session.commit()


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # the relay's TLS is implicit
def test_the_relay_is_reached_over_tls_with_a_login(make_device, server_db: Database, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, tls: mail_settings.TlsMode):
    with TlsRelay(tmp_path, implicit=tls == "ssl") as relay:
        monkeypatch.setenv("SSL_CERT_FILE", str(relay.cert))  # our relay's certificate is the one trusted
        use_relay(server_db, relay, tls)
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])

        assert MailSender(server_db, resolver=stub_dns).run_once().counts == {"sent": 1}
        assert len(relay.inbox.to("ann@example.ch")) == 1


def test_an_untrusted_certificate_or_a_wrong_password_keeps_the_message_for_later(
        make_device, server_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with TlsRelay(tmp_path, implicit=False) as relay:
        use_relay(server_db, relay, "starttls")
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])
        sender = MailSender(server_db, resolver=stub_dns)

        assert sender.run_once().counts == {"temporary": 1}  # self-signed and not trusted: no TLS, no login
        monkeypatch.setenv("SSL_CERT_FILE", str(relay.cert))
        use_relay(server_db, relay, "starttls", password="wrong")
        assert sender.run_once(now=datetime.now(UTC) + timedelta(minutes=5)).counts == {"temporary": 1}
        assert relay.inbox.received == []
