"""Delivery over SMTP: retries with backoff, refusals recorded per guest, credits, replays, several senders."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from boxoffice.model.credits import FREE_CREDITS_AT_START, CreditEntry
from boxoffice.model.devices import OutboxEntry
from boxoffice.model.invitations import Invitation
from boxoffice.services import credits
from sync.server.database import Database
from sync.server.mail import queue as mail_queue
from sync.server.mail.delivery import record_bounce
from sync.server.mail.sender import MailSender
from sync.server.mail.tables import MailMessage
from tests.sync.mail.conftest import stub_dns
from tests.sync.mail.organizer import GUESTS, guests_on, invitation_on, schedule
from tests.sync.mail.smtp_inbox import Inbox


def messages(db: Database, invitation_id: str) -> dict[str, MailMessage]:
    with db.session() as session:
        rows = session.scalars(select(MailMessage).where(MailMessage.invitation_id == invitation_id)).all()
        return {r.recipient: r for r in rows}


class TestRetries:
    def test_a_temporary_refusal_is_tried_again_after_a_backoff_then_delivered(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1])
        inbox.data_replies.append("451 4.3.0 Mailbox busy, try again later")
        start = datetime.now(UTC)

        assert sender.run_once(now=start).counts == {"temporary": 1}
        row = messages(sender.db, sent.id)["ann@example.ch"]
        assert (row.status, row.attempts, row.next_attempt_at) == ("queued", 1, start + timedelta(minutes=1))
        assert "451" in row.last_error
        sync.sync_once()
        ann = guests_on(writer, sent.id)["ann@example.ch"]
        assert ann.delivery == "deferred" and "451 4.3.0 Mailbox busy" in ann.delivery_error

        assert sender.run_once(now=start + timedelta(seconds=30)).counts == {}  # not due yet
        assert sender.run_once(now=start + timedelta(minutes=1)).counts == {"sent": 1}
        assert len(inbox.to("ann@example.ch")) == 1
        row = messages(sender.db, sent.id)["ann@example.ch"]
        assert (row.status, row.attempts) == ("sent", 2)
        sync.sync_once()
        assert guests_on(writer, sent.id)["ann@example.ch"].delivery == "sent"

    def test_an_unreachable_relay_keeps_every_message_for_later(self, make_device, server_db: Database,
                                                               inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync)
        from sync.server.mail import settings as mail_settings
        from tests.live_server import free_port

        with server_db.session() as session:
            mail_settings.save_smtp(session, mail_settings.SmtpSettings(host="127.0.0.1", port=free_port(), timeout=5))
            session.commit()

        report = MailSender(server_db, resolver=stub_dns).run_once()

        assert report.counts == {"temporary": 3}
        assert {r.status for r in messages(server_db, sent.id).values()} == {"queued"}
        assert inbox.received == []


class TestRefusals:
    def test_an_address_the_relay_refuses_is_recorded_as_bounced_and_reaches_the_organizer(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync)
        inbox.refuse["bob@example.ch"] = "550 5.1.1 <bob@example.ch>: no such user"

        assert sender.run_once().counts == {"sent": 2, "bounced": 1}
        sync.sync_once()

        guests = guests_on(writer, sent.id)
        assert guests["bob@example.ch"].delivery == "bounced"
        assert guests["bob@example.ch"].delivery_error == (
            "Le serveur de messagerie a refusé cette adresse : 550 5.1.1 <bob@example.ch>: no such user")
        assert [guests[e].delivery for e in ("ann@example.ch", "cleo@example.ch")] == ["sent", "sent"]
        assert invitation_on(writer, sent.id).status == "sent"
        assert sender.run_once(now=datetime.now(UTC) + timedelta(days=1)).counts == {}  # never tried again

    def test_a_message_refused_for_good_is_failed_on_its_guest(self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1])
        inbox.data_replies.append("554 5.7.1 Message rejected as spam")

        assert sender.run_once().counts == {"failed": 1}
        sync.sync_once()

        ann = guests_on(writer, sent.id)["ann@example.ch"]
        assert (ann.delivery, ann.delivery_error) == (
            "failed", "Le serveur de messagerie a refusé le message : 554 5.7.1 Message rejected as spam")


class TestBadMessages:
    def test_a_message_that_cannot_go_fails_alone_and_the_others_are_sent_once(
            self, make_device, sender: MailSender, inbox: Inbox):
        address = "bob@example.ch\r\nBcc: eve@example.org"
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync)
        mail_queue.queue_scheduled(sender.db)
        with sender.db.session() as session:  # an address the relay or the headers cannot carry
            row = session.scalars(select(MailMessage).where(MailMessage.invitation_id == sent.id,
                                                            MailMessage.recipient == "bob@example.ch")).one()
            row.recipient = address
            session.commit()

        assert sender.run_once().counts == {"sent": 2, "failed": 1}
        assert sender.run_once(now=datetime.now(UTC) + timedelta(days=1)).counts == {}  # none goes again

        assert sorted(r.rcpt_tos[0] for r in inbox.received) == ["ann@example.ch", "cleo@example.ch"]
        failed = messages(sender.db, sent.id)[address]
        assert failed.status == "failed" and failed.last_error

    def test_a_message_that_can_never_be_written_gives_its_guests_credits_back_once(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, companions=1)  # 3 guests x (1 + 1) = 6 credits debited
        mail_queue.queue_scheduled(sender.db)
        with sender.db.session() as session:
            row = session.scalars(select(MailMessage).where(MailMessage.invitation_id == sent.id,
                                                            MailMessage.recipient == "bob@example.ch")).one()
            row.recipient = "bob@example.ch\r\nBcc: eve@example.org"
            session.commit()

        assert sender.run_once().counts == {"sent": 2, "failed": 1}
        sender.run_once(now=datetime.now(UTC) + timedelta(days=1))  # nothing goes again, nothing is refunded twice
        sync.sync_once()

        with writer.store.session() as session:
            entries = {e.kind: e for e in session.scalars(select(CreditEntry).where(
                CreditEntry.invitation_id == sent.id))}
            assert (entries["debit"].amount, entries["refund"].amount) == (-6, 2)
            assert "bob@example.ch" in entries["refund"].note
            assert credits.balance(session) == FREE_CREDITS_AT_START - 4
        bob = guests_on(writer, sent.id)["bob@example.ch"]
        assert bob.delivery == "failed"
        assert bob.delivery_error.startswith("Ce message n'a pas pu être écrit, ses crédits ont donc été rendus")

    def test_a_non_ascii_address_goes_through_a_relay_that_offers_smtputf8(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1])
        mail_queue.queue_scheduled(sender.db)
        with sender.db.session() as session:
            row = session.scalars(select(MailMessage).where(MailMessage.invitation_id == sent.id)).one()
            row.recipient = "zoé@example.ch"
            session.commit()

        assert sender.run_once().counts == {"sent": 1}
        [received] = inbox.received
        assert received.rcpt_tos == ["zoé@example.ch"]

    def test_an_invitation_that_cannot_be_queued_holds_back_no_other(self, make_device, sender: MailSender,
                                                                      inbox: Inbox):
        writer, sync = make_device("laptop")
        broken = schedule(writer, sync, guests=GUESTS[:1])
        fine = schedule(writer, sync)
        with sender.db.session() as session:  # a row the queue cannot read
            row = session.get(Invitation, broken.id)
            assert row is not None
            row.reminders = ["not a date"]
            session.commit()

        assert sender.run_once().counts == {"sent": 3}

        assert messages(sender.db, broken.id) == {} and len(messages(sender.db, fine.id)) == 3
        assert sorted(r.rcpt_tos[0] for r in inbox.received) == sorted(e for e, _f, _l in GUESTS)


class TestCredits:
    def test_a_send_the_credits_no_longer_cover_is_refused_whole_with_the_numbers(
            self, make_device, sender: MailSender, inbox: Inbox):
        # Two laptops of one organizer schedule offline; each thinks the 200 free credits are its own.
        first, first_sync = make_device("laptop")
        second, second_sync = make_device("office")
        many = [(f"guest{i}@example.ch", f"G{i}", "Test") for i in range(5)]
        paid = schedule(first, first_sync, guests=many, companions=20)  # 5 x 21 = 105 credits
        refused = schedule(second, second_sync, guests=[(f"other{i}@example.ch", "O", "T") for i in range(5)],
                           companions=20)

        report = sender.run_once()

        assert (report.released, report.refused) == (1, 1)
        assert sorted(r.rcpt_tos[0] for r in inbox.received) == sorted(e for e, _f, _l in many)
        second_sync.sync_once()
        guests = guests_on(second, refused.id)
        assert {(g.delivery, g.delivery_error) for g in guests.values()} == {
            ("refused", "Non envoyée : cette invitation demande 105 crédits et il n'en reste que 95.")}
        assert invitation_on(second, refused.id).status == "refused"
        assert invitation_on(second, paid.id).status == "sent"
        assert {r.status for r in messages(sender.db, refused.id).values()} == {"refused"}


    def test_a_header_line_break_pushed_by_an_older_copy_is_refused_before_any_credit_is_debited(
            self, make_device, sender: MailSender, inbox: Inbox):
        # Today's app refuses it when the draft is saved; an older copy, or a hand-made push, does not.
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync)
        with sender.db.session() as session:
            row = session.get(Invitation, sent.id)
            assert row is not None
            row.subject = "Invitation\r\nBcc: eve@example.org"
            session.commit()

        report = sender.run_once()
        sync.sync_once()

        assert (report.released, report.refused) == (0, 1) and inbox.received == []
        with sender.db.session() as session:
            assert session.scalars(select(CreditEntry).where(CreditEntry.invitation_id == sent.id)).all() == []
        assert invitation_on(writer, sent.id).status == "refused"
        assert {g.delivery_error for g in guests_on(writer, sent.id).values()} == {
            "Non envoyée, aucun crédit utilisé : L'objet ne peut pas contenir de retours à la ligne ni de caractères "
            "de contrôle."}


class TestReplays:
    def test_a_push_sent_again_queues_and_sends_nothing_twice(self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync)
        with writer.store.session() as session:  # as if the reply had been lost: push everything again
            for entry in session.scalars(select(OutboxEntry)):
                entry.pushed_at = None
            session.commit()
        sync.push()

        sender.run_once()
        sender.run_once(now=datetime.now(UTC) + timedelta(days=1))

        assert sorted(r.rcpt_tos[0] for r in inbox.received) == sorted(e for e, _f, _l in GUESTS)
        with sender.db.session() as session:
            assert session.scalar(select(func.count()).select_from(MailMessage)) == 3
            organizer = messages(sender.db, sent.id)["ann@example.ch"].organizer_id
            assert mail_queue.queue_invitation(session, organizer, sent.id) == 0

    def test_two_server_processes_sending_at_once_send_each_message_once(
            self, make_device, server_db: Database, inbox: Inbox):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=[(f"guest{i}@example.ch", f"G{i}", "Test") for i in range(12)])
        # Two sender instances with their own engines, as two processes on one database have.
        databases = [Database(str(server_db.engine.url.render_as_string(hide_password=False))) for _ in range(2)]
        senders = [MailSender(db, resolver=stub_dns, batch_size=3) for db in databases]
        start = threading.Barrier(2)

        def run(one: MailSender) -> None:
            start.wait()
            one.run_once()

        threads = [threading.Thread(target=run, args=(s,)) for s in senders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for db in databases:
            db.engine.dispose()

        recipients = [r.rcpt_tos[0] for r in inbox.received]
        assert sorted(recipients) == sorted(f"guest{i}@example.ch" for i in range(12))


class TestCatchingUp:
    def test_a_scheduled_invitation_with_nothing_queued_is_queued_by_the_sender_itself(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync)
        with sender.db.session() as session:  # as if it had been pushed to a server without a sender
            session.execute(delete(MailMessage).where(MailMessage.invitation_id == sent.id))
            session.commit()

        assert sender.run_once().counts == {"sent": 3}
        assert sender.run_once().counts == {}
        assert len(inbox.received) == 3


class TestLateBounces:
    def test_a_bounce_that_comes_back_later_is_recorded_on_the_guest(self, make_device, sender: MailSender):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        row = messages(sender.db, sent.id)["ann@example.ch"]

        record_bounce(sender.db, row.id, "550 5.1.1 mailbox unavailable", datetime.now(UTC))
        sync.sync_once()

        ann = guests_on(writer, sent.id)["ann@example.ch"]
        assert (ann.delivery, ann.delivery_error) == (
            "bounced", "Le serveur de messagerie a refusé cette adresse : 550 5.1.1 mailbox unavailable")
        assert messages(sender.db, sent.id)["ann@example.ch"].status == "bounced"
