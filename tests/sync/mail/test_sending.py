"""Invitations sent by the server's mail queue over a real SMTP server (G4, G5, G8, G12)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from boxoffice.model.credits import CreditEntry
from boxoffice.services import invitations
from boxoffice.services.invitations import Recipient
from sync.server.database import Database
from sync.server.mail.sender import MailSender
from sync.server.mail.tables import MailMessage
from sync.server.mail.writes import finish, server_context, write_fields
from tests.sync.mail.conftest import PUBLIC_URL
from tests.sync.mail.organizer import GUESTS, guests_on, invitation_on, photo, picture, schedule
from tests.sync.mail.received import cids_in, parts_of
from tests.sync.mail.smtp_inbox import Inbox


class TestInvitations:
    def test_each_guest_gets_text_and_html_with_their_own_link_and_the_images_inline(
            self, make_device, sender: MailSender, inbox: Inbox, tmp_path: Path):
        writer, sync = make_device("laptop")
        banner = picture(tmp_path / "banner.png", "#7a1f3d", (600, 120))
        logo = picture(tmp_path / "logo.png", "#1f4e79", (80, 80))
        sent = schedule(writer, sync, images=(banner, logo))

        report = sender.run_once()

        assert report.counts == {"sent": 3}
        for email, first, _last in GUESTS:
            [message] = inbox.to(email)
            assert message.get_content_type() == "multipart/alternative"
            assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "multipart/related"]
            assert message["Subject"] == "Invitation Vernissage Hodler"
            parts = parts_of(message)
            link = f"{PUBLIC_URL}/rsvp/{sent.tokens[email]}"
            assert f"Bonjour {first} (Vevey)" in parts.text and link in parts.text
            assert f'href="{link}"' in parts.html
            assert [t for t in sent.tokens.values() if t != sent.tokens[email] and t in parts.text + parts.html] == []
            assert sorted(cids_in(parts.html)) == sorted(parts.images) == ["banner@boxoffice", "logo@boxoffice"]
            assert parts.images["banner@boxoffice"] == banner.read_bytes()
            assert parts.images["logo@boxoffice"] == logo.read_bytes()

    def test_a_two_megabyte_photo_banner_goes_out_scaled_and_the_message_stays_under_200_kb(
            self, make_device, sender: MailSender, inbox: Inbox, tmp_path: Path):
        writer, sync = make_device("laptop")
        banner = photo(tmp_path / "banner.jpg", (3000, 2000))
        assert banner.stat().st_size > 2_000_000
        logo = picture(tmp_path / "logo.png", "#1f4e79", (80, 80))
        sent = schedule(writer, sync, guests=GUESTS[:1], images=(banner, logo))
        sender.run_once()

        [message] = inbox.to("ann@example.ch")
        assert len(message.as_bytes()) < 200_000
        sent_banner = Image.open(io.BytesIO(parts_of(message).images["banner@boxoffice"]))
        assert 600 <= sent_banner.width <= 1200 and sent.id
        assert 'width="600" style="display:block;max-width:100%;height:auto"' in parts_of(message).html

    def test_what_is_sent_is_exactly_the_wizard_preview_with_the_fixed_texts_in_the_invitation_language(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, language="de")
        sender.run_once()

        [message] = inbox.to("ann@example.ch")
        preview = invitations.render_for(sent.draft, Recipient(None, "ann@example.ch", "Ann", "Favre",
                                                               {"Ville": "Vevey"}),
                                         sent.tokens["ann@example.ch"], f"{PUBLIC_URL}/rsvp/")
        parts = parts_of(message)
        assert message["Subject"] == preview.subject
        written, footer = parts.text.split("\n\n--\n")  # the sender adds who sends it and the opt-out link
        assert written == preview.text
        assert footer.startswith("Sie erhalten diese Einladung, weil Musée Jenisch Ihre Adresse")
        assert "Auf die Einladung antworten" in parts.html

    def test_a_public_mailbox_domain_sends_from_no_reply_with_the_organizer_as_reply_to(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        schedule(writer, sync, sender_email="musee.jenisch@gmail.com", guests=GUESTS[:1])
        sender.run_once()

        [received] = inbox.received
        assert received.mail_from == "no-reply@boxoffice.app"
        assert received.message["From"] == "Musée Jenisch <no-reply@boxoffice.app>"
        assert received.message["Reply-To"] == "musee.jenisch@gmail.com"

    def test_a_domain_whose_spf_includes_us_sends_as_the_organizer(self, make_device, sender: MailSender,
                                                                    inbox: Inbox):
        writer, sync = make_device("laptop")
        schedule(writer, sync, sender_email="info@museejenisch.ch", guests=GUESTS[:1])
        sender.run_once()

        [received] = inbox.received
        assert received.mail_from == "info@museejenisch.ch"
        assert received.message["Reply-To"] is None

    def test_the_organizer_sees_each_guest_sent_and_the_credits_debited_after_one_sync(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, companions=1)
        sender.run_once()
        sync.sync_once()

        guests = guests_on(writer, sent.id)
        assert {e: (g.delivery, g.delivery_error, g.sent_at is not None) for e, g in guests.items()} == {
            e: ("sent", "", True) for e, _f, _l in GUESTS}
        assert invitation_on(writer, sent.id).status == "sent"
        with writer.store.session() as session:
            debits = [(e.key, e.amount) for e in session.scalars(select(CreditEntry)
                                                                  .where(CreditEntry.kind == "debit"))]
        assert debits == [(f"send:{sent.id}", -6)]  # 3 guests x (1 + 1 companion)


class TestTestSends:
    def test_a_test_send_goes_at_once_marked_as_a_test_and_costs_nothing(self, make_device, sender: MailSender,
                                                                         inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, draft_only=True, push=False)  # the organizer tests before scheduling
        with writer.transaction() as work:
            invitations.send_test(work, sent.id, "proof@ecole.ch")
        sync.sync_once()

        sender.run_once()

        [message] = inbox.to("proof@ecole.ch")
        assert message["Subject"] == "[Test] Invitation Vernissage Hodler"
        assert message["X-Boxoffice-Test"] == "yes"
        assert "Bonjour Ann (Vevey)" in parts_of(message).text
        assert len(inbox.received) == 1
        sync.sync_once()
        with writer.store.session() as session:
            assert session.scalars(select(CreditEntry).where(CreditEntry.kind == "debit")).all() == []

    def test_a_test_of_a_scheduled_invitation_goes_beside_the_guests_invitations(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, push=False)
        with writer.transaction() as work:
            invitations.send_test(work, sent.id, "proof@ecole.ch")
        sync.sync_once()

        assert sender.run_once().counts == {"sent": 4}
        assert sorted(r.rcpt_tos[0] for r in inbox.received) == sorted(
            ["proof@ecole.ch", *(e for e, _f, _l in GUESTS)])


class TestReminders:
    def test_a_reminder_goes_only_to_the_guests_who_have_not_answered(self, make_device, sender: MailSender,
                                                                       inbox: Inbox, server_db: Database):
        writer, sync = make_device("laptop")
        soon = datetime.now(UTC) + timedelta(hours=1)
        sent = schedule(writer, sync, reminders=[soon])
        sender.run_once()
        assert len(inbox.received) == 3
        answered_on_rsvp_page(server_db, server_organizer(server_db, sent.id), sent.tokens["bob@example.ch"])

        report = sender.run_once(now=soon + timedelta(minutes=1))

        assert report.counts == {"sent": 2, "skipped": 1}
        reminders = [r for r in inbox.received[3:]]
        assert sorted(r.rcpt_tos[0] for r in reminders) == ["ann@example.ch", "cleo@example.ch"]
        assert {r.message["Subject"] for r in reminders} == {"Rappel : Invitation Vernissage Hodler"}
        sync.sync_once()
        with writer.store.session() as session:
            assert session.scalars(select(CreditEntry).where(CreditEntry.kind == "debit")).one().amount == -6


def server_organizer(db: Database, invitation_id: str) -> str:
    with db.session() as session:
        return str(session.scalar(select(MailMessage.organizer_id).where(MailMessage.invitation_id == invitation_id)
                                  .limit(1)))


def answered_on_rsvp_page(db: Database, organizer_id: str, token: str) -> None:
    """What the RSVP page records when a guest declines (the pages themselves are tested elsewhere)."""
    from boxoffice.model.invitations import Guest

    with db.session() as session:
        guest = session.scalars(select(Guest).where(Guest.token == token)).one()
        ctx = server_context(session, organizer_id)
        write_fields(ctx, guest, "guests", {"status": "declined", "answered_at": datetime.now(UTC)})
        finish(ctx, organizer_id)
        session.commit()
