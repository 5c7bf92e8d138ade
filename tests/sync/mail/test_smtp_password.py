"""The SMTP relay's password lives in a 0600 secrets file or the environment, never in the server database (#13)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from boxoffice.store import migrate
from sync.server.database import SERVER_MIGRATIONS, Database, upgrade
from sync.server.mail import settings as mail_settings
from sync.server.mail.sender import MailSender
from sync.server.mail.smtp_password import PASSWORD_FILE
from tests.postgres import PostgresCluster
from tests.sync.mail.conftest import stub_dns
from tests.sync.mail.organizer import GUESTS, schedule
from tests.sync.mail.tls_relay import PASSWORD, USER, TlsRelay

OLD_PASSWORDS = ("first-relay-Pa55word", "second-relay-Pa55word")


def _database_text(url: str) -> str:
    """Every row of every table, as text: what a dump of the database would show."""
    db = Database(url)
    with db.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        rows = [repr(tuple(row)) for table in tables for row in connection.execute(text(f'SELECT * FROM "{table}"'))]
    db.engine.dispose()
    return "\n".join(rows)


def _file_bytes(url: str) -> bytes:
    """An SQLite database's bytes on disk, its write-ahead log included."""
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(part.read_bytes() for part in (path, path.with_name(path.name + "-wal")) if part.exists())


def _smtp_cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sync.server.cli", "smtp", "--db", url, *args],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))


@pytest.fixture(autouse=True)
def _no_password_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOXOFFICE_SMTP_PASSWORD", raising=False)


def test_the_smtp_command_keeps_the_password_in_a_0600_file_and_mail_still_logs_in(
        make_device, server, server_db: Database, server_secrets: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch):
    given = tmp_path / "relay-password.txt"
    given.write_text(PASSWORD + "\n", encoding="utf-8")
    with TlsRelay(tmp_path, implicit=False) as relay:
        monkeypatch.setenv("SSL_CERT_FILE", str(relay.cert))
        answer = _smtp_cli(server.database_url, "--host", "127.0.0.1", "--port", str(relay.port),
                           "--tls", "starttls", "--user", USER, "--password-file", str(given))
        assert answer.returncode == 0, answer.stderr
        assert PASSWORD not in answer.stdout

        secret = server_secrets / PASSWORD_FILE
        assert secret.read_text(encoding="utf-8") == PASSWORD
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
        assert stat.S_IMODE(server_secrets.stat().st_mode) == 0o700
        stored = _database_text(server.database_url)
        assert USER in stored and PASSWORD not in stored
        if server.database_url.startswith("sqlite:///"):
            assert PASSWORD.encode() not in _file_bytes(server.database_url)

        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])
        assert MailSender(server_db, resolver=stub_dns).run_once().counts == {"sent": 1}
        assert len(relay.inbox.to("ann@example.ch")) == 1

        # Changing only the host keeps the password where it is, and still out of the database.
        assert _smtp_cli(server.database_url, "--port", str(relay.port)).returncode == 0
        assert secret.read_text(encoding="utf-8") == PASSWORD
        assert PASSWORD not in _database_text(server.database_url)


def test_the_environment_variable_wins_over_the_file_and_is_not_copied_into_it(
        tmp_path: Path, server_secrets: Path, monkeypatch: pytest.MonkeyPatch):
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    db = Database(url)
    upgrade(db.engine)
    with db.session() as session:
        mail_settings.save_smtp(session, mail_settings.SmtpSettings(user=USER, password="from the file"))
        session.commit()
        monkeypatch.setenv("BOXOFFICE_SMTP_PASSWORD", "from the environment")
        assert mail_settings.load_smtp(session).password == "from the environment"
        mail_settings.save_smtp(session, mail_settings.SmtpSettings(host="relay.example.org", user=USER,
                                                                    password="from the environment"))
        session.commit()
    db.engine.dispose()
    assert (server_secrets / PASSWORD_FILE).read_text(encoding="utf-8") == "from the file"
    assert "from the" not in _database_text(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A server database from before s0009, whose SMTP settings held the password (changed once)."""
    if request.param == "sqlite":
        (tmp_path / "old").mkdir()
        url = f"sqlite:///{tmp_path / 'old' / 'server.sqlite3'}"
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        url = cluster.create_database(f"smtp_{os.getpid()}_{id(request)}")
    db = Database(url)
    migrate.upgrade(db.engine, search_indexes=False)
    config = Config()
    config.set_main_option("script_location", str(SERVER_MIGRATIONS))
    config.attributes["engine"] = db.engine
    command.upgrade(config, "s0008")
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO server_settings (key, value) VALUES ('mail.public_url', "
                                "'https://rsvp.example.org')"))
        values = [json.dumps({"host": "mail.example.org", "port": 587, "tls": "starttls", "user": USER,
                              "password": password, "timeout": 30.0}) for password in OLD_PASSWORDS]
        connection.execute(text("INSERT INTO server_settings (key, value) VALUES ('mail.smtp', :value)"),
                           {"value": values[0]})
        connection.execute(text("UPDATE server_settings SET value = :value WHERE key = 'mail.smtp'"),
                           {"value": values[1]})
    db.engine.dispose()
    return url


def test_an_older_servers_password_leaves_the_database_for_the_secrets_file_on_upgrade(
        old_database: str, server_secrets: Path):
    if old_database.startswith("sqlite:///"):
        assert OLD_PASSWORDS[1].encode() in _file_bytes(old_database)  # the file did hold it before
    db = Database(old_database)
    upgrade(db.engine)
    with db.session() as session:
        kept = mail_settings.load(session)
    db.engine.dispose()

    secret = server_secrets / PASSWORD_FILE
    assert secret.read_text(encoding="utf-8") == OLD_PASSWORDS[1]
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert (kept.smtp.host, kept.smtp.user, kept.smtp.password) == ("mail.example.org", USER, OLD_PASSWORDS[1])
    assert kept.public_url == "https://rsvp.example.org"
    stored = _database_text(old_database)
    assert all(password not in stored for password in OLD_PASSWORDS)
    if old_database.startswith("sqlite:///"):
        on_disk = _file_bytes(old_database)
        assert all(password.encode() not in on_disk for password in OLD_PASSWORDS)
