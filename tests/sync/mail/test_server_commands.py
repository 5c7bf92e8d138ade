"""`boxoffice-server smtp`, `boxoffice-server send-mail --once`, and the sender `serve` runs beside the API."""

from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
import requests

from sync.server.app import create_app
from sync.server.cli import main
from tests.live_server import serving
from tests.sync.mail.organizer import GUESTS, schedule
from tests.sync.mail.smtp_inbox import Inbox, SmtpServer


class TestSmtpCommand:
    def test_settings_are_stored_and_shown_without_the_password(self, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]):
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        (tmp_path / "smtp-password").write_text("s3cret\n", encoding="utf-8")
        assert main(["smtp", "--db", url, "--host", "mail.example.org", "--port", "587", "--tls", "starttls",
                     "--user", "boxoffice", "--password-file", str(tmp_path / "smtp-password"),
                     "--public-url", "https://rsvp.example.org/"]) == 0
        capsys.readouterr()
        assert main(["smtp", "--db", url]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["smtp"] == {"host": "mail.example.org", "port": 587, "tls": "starttls", "user": "boxoffice",
                                 "password": "***", "timeout": 30.0}
        assert shown["public_url"] == "https://rsvp.example.org"

    def test_a_wrong_port_is_refused_by_name(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        assert main(["smtp", "--db", url, "--host", "mail.example.org", "--port", "70000"]) == 1
        assert "The SMTP port must be between 1 and 65535, not 70000." in capsys.readouterr().err


class TestSenderProcesses:
    def test_send_mail_once_sends_what_is_due_and_says_what_happened(
            self, make_device, server_db, inbox: Inbox, capsys: pytest.CaptureFixture[str]):
        writer, sync = make_device("laptop")
        schedule(writer, sync, sender_email="musee.jenisch@gmail.com")
        capsys.readouterr()

        assert main(["send-mail", "--db", str(server_db.engine.url), "--once"]) == 0

        assert json.loads(capsys.readouterr().out) == {"released": 1, "refused": 0, "sent": 3}
        assert len(inbox.received) == 3

    def test_an_app_made_to_send_mail_sends_in_the_background_while_it_serves(
            self, make_device, server, server_db, smtp: SmtpServer):
        writer, sync = make_device("laptop")
        schedule(writer, sync, sender_email="musee.jenisch@gmail.com")  # a public domain: no DNS lookup

        with serving_with_mail(server.database_url) as url:
            assert requests.get(f"{url}/v1/health", timeout=10).status_code == 200  # requests are answered meanwhile
            deadline = time.monotonic() + 60
            while len(smtp.inbox.received) < len(GUESTS) and time.monotonic() < deadline:
                time.sleep(0.1)

        assert sorted(r.rcpt_tos[0] for r in smtp.inbox.received) == sorted(e for e, _f, _l in GUESTS)


def serving_with_mail(database_url: str) -> AbstractContextManager[str]:
    """A second server process on the same database, as `boxoffice-server serve` runs it (with its sender)."""
    return serving(create_app(database_url, migrate=False, send_mail=True))
