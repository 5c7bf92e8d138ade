"""Passwords reach `boxoffice-server` and `boxoffice enroll` from a file, the environment or a prompt, never argv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from boxoffice.store.engine import DATABASE_FILE
from sync.server.auth import password_matches
from sync.server.database import Database
from sync.server.tables import Account
from tests.live_server import LiveServer

EMAIL, PASSWORD = "chef@example.ch", "correct horse battery"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def _make_account(server: LiveServer, *options: str, env: dict[str, str] | None = None
                  ) -> subprocess.CompletedProcess[str]:
    return _run("sync.server.cli", "account", "--db", server.database_url, "--organizer-code", server.organizer_code,
                "--email", EMAIL, *options, env=env)


def _enroll(folder: Path, store_template: Path, server: LiveServer, *options: str,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(store_template, folder / DATABASE_FILE)
    return _run("boxoffice", "--data-dir", str(folder), "enroll", "--server", server.url, "--email", EMAIL,
                "--role", "door", *options, env=env)


def _stored_hashes(server: LiveServer) -> list[str]:
    db = Database(server.database_url)
    with db.session() as session:
        hashes = list(session.scalars(select(Account.password_hash).where(Account.email == EMAIL)))
    db.engine.dispose()
    return hashes


class TestPasswordsOutsideTheCommandLine:
    def test_an_account_made_from_a_password_file_logs_in_with_the_password_from_the_environment(
            self, server: LiveServer, store_template: Path, tmp_path: Path):
        secret = tmp_path / "password.txt"
        secret.write_text(f"{PASSWORD}\n", encoding="utf-8")
        made = _make_account(server, "--password-file", str(secret))
        assert made.returncode == 0, made.stderr
        [stored] = _stored_hashes(server)
        assert password_matches(PASSWORD, stored)  # the first line, without its newline
        paired = _enroll(tmp_path / "door", store_template, server, env={"BOXOFFICE_PASSWORD": PASSWORD})
        assert paired.returncode == 0, paired.stderr
        assert "Paired with Théâtre du Léman as a door device." in paired.stdout

    def test_an_account_made_from_the_environment_logs_in_with_the_password_from_a_file(
            self, server: LiveServer, store_template: Path, tmp_path: Path):
        made = _make_account(server, env={"BOXOFFICE_ACCOUNT_PASSWORD": PASSWORD})
        assert made.returncode == 0, made.stderr
        secret = tmp_path / "password.txt"
        secret.write_text(PASSWORD, encoding="utf-8")
        paired = _enroll(tmp_path / "door", store_template, server, "--password-file", str(secret))
        assert paired.returncode == 0, paired.stderr
        wrong = tmp_path / "wrong.txt"
        wrong.write_text("not the password", encoding="utf-8")
        refused = _enroll(tmp_path / "other", store_template, server, "--password-file", str(wrong))
        assert refused.returncode == 1 and "wrong email or password" in refused.stderr

    def test_a_password_on_the_command_line_is_refused_without_being_repeated_or_used(
            self, server: LiveServer, store_template: Path, tmp_path: Path):
        made = _make_account(server, "--password", PASSWORD)
        assert made.returncode == 2 and "--password is not accepted" in made.stderr
        assert "BOXOFFICE_ACCOUNT_PASSWORD" in made.stderr and PASSWORD not in made.stderr
        assert _stored_hashes(server) == []
        paired = _enroll(tmp_path / "door", store_template, server, "--password", PASSWORD)
        assert paired.returncode == 2 and "--password is not accepted" in paired.stderr
        assert PASSWORD not in paired.stderr
        for command in (("sync.server.cli", "account"), ("sync.server.cli", "smtp"), ("boxoffice", "enroll")):
            shown = _run(*command, "--help").stdout
            assert "--password-file" in shown and "--password " not in shown

    def test_an_empty_or_missing_password_file_is_refused_by_name(self, server: LiveServer, tmp_path: Path):
        empty = tmp_path / "empty.txt"
        empty.write_text("\n", encoding="utf-8")
        answer = _make_account(server, "--password-file", str(empty))
        assert answer.returncode == 1
        assert f"the password file {empty} has no password on its first line" in answer.stderr
        nowhere = tmp_path / "nowhere.txt"
        missing = _make_account(server, "--password-file", str(nowhere))
        assert missing.returncode == 1 and f"the password file {nowhere} cannot be read" in missing.stderr
        assert _stored_hashes(server) == []


class TestSmtpPassword:
    def test_the_smtp_password_comes_from_a_file_and_is_stored(self, tmp_path: Path):
        from sync.server.mail import settings as mail_settings

        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        secret = tmp_path / "smtp-password"
        secret.write_text("relay s3cret\n", encoding="utf-8")
        answer = _run("sync.server.cli", "smtp", "--db", url, "--host", "mail.example.org", "--user", "boxoffice",
                      "--password-file", str(secret))
        assert answer.returncode == 0, answer.stderr
        db = Database(url)
        with db.session() as session:
            assert mail_settings.load_smtp(session).password == "relay s3cret"
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _no_password_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BOXOFFICE_PASSWORD", "BOXOFFICE_ACCOUNT_PASSWORD", "BOXOFFICE_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
