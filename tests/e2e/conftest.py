"""End-to-end fixtures: the real server with its mail sender, a real SMTP inbox, an organizer's laptop, Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import DATABASE_FILE, open_store
from sync.client import SyncClient
from sync.server.database import Database
from sync.server.mail import settings as mail_settings
from sync.server.mail.sender import MailSender
from tests.live_server import LiveServer, running_server
from tests.sync.mail.smtp_inbox import SmtpServer

CHROMIUM = Path("/usr/bin/chromium")
# This machine has no outside network: nothing may try to reach it (updates, QUIC probes, sync).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class World:
    server: LiveServer
    smtp: SmtpServer
    sender: MailSender
    laptop: Writer
    laptop_sync: SyncClient


def no_spf(_domain: str) -> list[str]:
    """The sender's DNS as the tests see it: no SPF record, so the server sends from its no-reply address."""
    return []


@pytest.fixture
def world(tmp_path: Path, store_template: Path) -> Iterator[World]:
    """A server on SQLite whose mail goes to a local SMTP server, and an organizer's laptop enrolled on it."""
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    with SmtpServer() as smtp, running_server(url) as server:
        db = Database(url)
        with db.session() as session:
            mail_settings.save_smtp(session, mail_settings.SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=10))
            mail_settings.save_public_url(session, server.url)
            session.commit()
        folder = tmp_path / "laptop"
        folder.mkdir()
        shutil.copy(store_template, folder / DATABASE_FILE)
        laptop = Writer(open_store(folder))
        laptop_sync = SyncClient(laptop)
        laptop_sync.enroll(server.url, server.organizer_code, "laptop", "organizer")
        try:
            yield World(server, smtp, MailSender(db, resolver=no_spf), laptop, laptop_sync)
        finally:
            laptop.store.close()
            db.engine.dispose()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Page]:
    """A Chromium page from Debian's package, on a fresh profile, in French as the invitations are."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (scripts/system-packages.sh test)")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            locale="fr-CH")
        context.set_default_timeout(20_000)
        try:
            yield context.new_page()
        finally:
            context.close()
