"""Bounces by e-mail: each message's own return path (VERP), and `boxoffice-server bounce` reading what comes back,
bounces and unsubscribe requests to List-Unsubscribe's mailto alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from boxoffice.model.invitations import Guest
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import opt_outs
from sync.server.cli import main
from sync.server.database import Database
from sync.server.mail import settings as mail_settings
from sync.server.mail.sender import MailSender
from sync.server.mail.tables import MailMessage
from tests.live_server import LiveServer
from tests.sync.mail.organizer import GUESTS, guests_on, schedule
from tests.sync.mail.smtp_inbox import Inbox

BOUNCES = "bounces@mail.boxoffice.app"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def with_bounce_mailbox(server_db: Database) -> Database:
    with server_db.session() as session:
        mail_settings.save_sender(session, bounce_address=BOUNCES)
        session.commit()
    return server_db


def dsn(return_path: str, recipient: str, action: str = "failed", status: str = "5.1.1",
        diagnostic: str = "smtp; 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown") -> bytes:
    """A delivery status notification as Postfix writes it (RFC 3464), sent to the message's return path."""
    text = f"""Return-Path: <>
Delivered-To: {return_path}
From: MAILER-DAEMON@mx.example.ch (Mail Delivery System)
To: {return_path}
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"

--B0UND
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--B0UND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.ch
Arrival-Date: Thu,  3 Dec 2026 18:00:00 +0100 (CET)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: {diagnostic.format(rcpt=recipient)}

--B0UND
Content-Type: text/rfc822-headers

Subject: Invitation
--B0UND--
"""
    return text.replace("\n", "\r\n").encode()


def guest_token(writer: Writer) -> str:
    with writer.store.session() as session:
        return session.scalars(select(Guest.token)).one()


def message_ids(db: Database) -> dict[str, MailMessage]:
    with db.session() as session:
        return {m.recipient: m for m in session.scalars(select(MailMessage))}


class TestReturnPath:
    def test_each_message_goes_out_from_the_bounce_mailbox_tagged_with_its_own_id(
            self, make_device, with_bounce_mailbox: Database, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        schedule(writer, sync, sender_email="info@museejenisch.ch")
        sender.run_once()

        rows = message_ids(with_bounce_mailbox)
        froms = {r.rcpt_tos[0]: r.mail_from for r in inbox.received}
        assert froms == {address: f"bounces+{rows[address].id}@mail.boxoffice.app" for address, _f, _l in GUESTS}
        # The From the guest sees is still the organizer's.
        assert all(r.message["From"].addresses[0].addr_spec == "info@museejenisch.ch" for r in inbox.received)

    def test_without_a_bounce_mailbox_bounces_go_back_to_the_from(self, make_device, sender: MailSender,
                                                                   inbox: Inbox):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1], sender_email="info@museejenisch.ch")
        sender.run_once()
        assert [r.mail_from for r in inbox.received] == ["info@museejenisch.ch"]

    def test_a_bounce_address_with_a_tag_of_its_own_is_refused_by_name(self, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]):
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        assert main(["smtp", "--db", url, "--bounce-address", "bounces+x@mail.example.org"]) == 1
        assert "The bounce address bounces+x@mail.example.org must be a plain ASCII address" in capsys.readouterr().err

    def test_a_bounce_address_the_e_mail_rule_refuses_is_refused_by_name(self, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]):
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        assert main(["smtp", "--db", url, "--bounce-address", "bounces..box@mail.example.org"]) == 1
        assert "The bounce address bounces..box@mail.example.org must be" in capsys.readouterr().err


class TestBounceCommand:
    def test_a_bounce_piped_in_by_the_mail_server_marks_the_guest_bounced_on_the_organizers_device(
            self, make_device, server: LiveServer, with_bounce_mailbox: Database, sender: MailSender,
            inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync)
        sender.run_once()
        bob = next(r for r in inbox.received if r.rcpt_tos == ["bob@example.ch"])

        piped = subprocess.run(
            [sys.executable, "-m", "sync.server.cli", "bounce", "--db", server.database_url],
            input=dsn(bob.mail_from, "bob@example.ch"), capture_output=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)

        assert piped.returncode == 0, piped.stderr.decode()
        line = json.loads(piped.stdout)
        assert (line["result"], line["message"]) == ("bounced", message_ids(with_bounce_mailbox)["bob@example.ch"].id)
        sync.sync_once()
        guests = guests_on(writer, sent.id)
        assert guests["bob@example.ch"].delivery == "bounced"
        assert "550 5.1.1 <bob@example.ch>: Recipient address rejected: User unknown" in (
            guests["bob@example.ch"].delivery_error)
        assert {guests[a].delivery for a in ("ann@example.ch", "cleo@example.ch")} == {"sent"}

    def test_a_delay_notice_an_out_of_office_and_a_stranger_change_nothing_and_say_why(
            self, make_device, server: LiveServer, with_bounce_mailbox: Database, sender: MailSender, inbox: Inbox,
            tmp_path: Path, capsys: pytest.CaptureFixture[str]):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        return_path = inbox.received[0].mail_from
        delay = tmp_path / "delay.eml"
        delay.write_bytes(dsn(return_path, "ann@example.ch", action="delayed", status="4.4.1",
                              diagnostic="smtp; 451 4.4.1 try again later"))
        holiday = tmp_path / "holiday.eml"
        holiday.write_bytes(f"From: ann@example.ch\r\nTo: {return_path}\r\nSubject: Absent\r\n"
                            "Auto-Submitted: auto-replied\r\n\r\nBack on Monday.\r\n".encode())
        stranger = tmp_path / "stranger.eml"
        stranger.write_bytes(dsn("bounces@mail.boxoffice.app", "ann@example.ch"))

        assert main(["bounce", "--db", server.database_url, str(delay), str(holiday),
                     str(stranger)]) == 0

        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [(line["result"], line["reason"]) for line in lines] == [
            ("ignored", "a delivery report that is not a failure (delayed)"),
            ("ignored", "an automatic reply (auto-replied)"),
            ("ignored", "no message of ours is named in its recipients")]
        sync.sync_once()
        assert guests_on(writer, sent.id)["ann@example.ch"].delivery == "sent"

    def test_the_same_bounce_twice_is_recorded_once(self, make_device, server: LiveServer,
                                                    with_bounce_mailbox: Database,
                                                    sender: MailSender, inbox: Inbox, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        returned = tmp_path / "returned.eml"
        returned.write_bytes(dsn(inbox.received[0].mail_from, "ann@example.ch"))

        url = server.database_url
        assert main(["bounce", "--db", url, str(returned)]) == main(["bounce", "--db", url, str(returned)]) == 0

        first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
        assert (first["result"], second["result"], second["reason"]) == (
            "bounced", "ignored", "already recorded as bounced")

    def test_without_a_bounce_mailbox_the_command_says_what_to_set(self, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]):
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        returned = tmp_path / "returned.eml"
        returned.write_bytes(dsn("bounces+x@mail.boxoffice.app", "ann@example.ch"))
        assert main(["bounce", "--db", url, str(returned)]) == 78
        assert "boxoffice-server smtp --bounce-address" in capsys.readouterr().err


class TestUnsubscribeByMail:
    def test_a_guest_who_writes_to_the_mailto_is_unsubscribed_on_the_organizers_device(
            self, make_device, server: LiveServer, with_bounce_mailbox: Database, sender: MailSender,
            inbox: Inbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        header = " ".join(str(inbox.received[0].message["List-Unsubscribe"]).split())
        row = message_ids(with_bounce_mailbox)["ann@example.ch"]
        mailto = f"bounces+unsubscribe-{row.id}@mail.boxoffice.app"
        assert header == (f"<https://rsvp.example.org/unsubscribe/{guest_token(writer)}>, "
                          f"<mailto:{mailto}?subject=unsubscribe>")
        request = tmp_path / "unsubscribe.eml"  # what a mail client sends for the mailto
        request.write_bytes(f"From: Ann Favre <ann@example.ch>\r\nTo: {mailto}\r\nSubject: unsubscribe\r\n\r\n"
                            .encode())

        assert main(["bounce", "--db", server.database_url, str(request), str(request)]) == 0

        first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
        assert (first["result"], second["result"], second["reason"]) == (
            "unsubscribed", "ignored", "already unsubscribed")
        sync.sync_once()
        with writer.store.session() as session:
            assert "ann@example.ch" in opt_outs.opted_out(session)
