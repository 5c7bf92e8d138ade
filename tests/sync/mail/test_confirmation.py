"""The confirmation email after a guest accepts (G11): the QR codes decode back to the guest's and companions'."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import zxingcpp
from PIL import Image
from sqlalchemy import select

from boxoffice import mutations
from boxoffice.model.invitations import Guest
from boxoffice.store.ids import new_secret, uuid7
from sync.server.database import Database
from sync.server.mail import queue as mail_queue
from sync.server.mail.sender import MailSender
from sync.server.mail.writes import finish, owner_of, server_context
from tests.sync.mail.conftest import PUBLIC_URL
from tests.sync.mail.organizer import GUESTS, schedule
from tests.sync.mail.received import cids_in, parts_of
from tests.sync.mail.smtp_inbox import Inbox


def accept(db: Database, token: str, companions: list[str]) -> tuple[str, list[str]]:
    """What the RSVP page does when a guest accepts: the answer, then the confirmation, in one commit."""
    with db.session() as session:
        guest = session.scalars(select(Guest).where(Guest.token == token)).one()
        organizer = owner_of(session, "guests", guest.id)
        assert organizer is not None
        ctx = server_context(session, organizer)
        codes = [new_secret() for _ in companions]
        wanted = [{"id": uuid7(), "name": n, "code": c} for n, c in zip(companions, codes, strict=True)]
        mutations.lookup("rsvp.answer").run(ctx, {"guest_id": guest.id, "status": "accepted", "answers": {},
                                                 "answered_at": datetime.now(UTC).isoformat(), "companions": wanted})
        finish(ctx, organizer)
        first = mail_queue.queue_confirmation(session, guest.id)
        again = mail_queue.queue_confirmation(session, guest.id)
        assert first is not None and first == again
        session.commit()
        return guest.code, codes


def decoded(png: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


class TestConfirmation:
    def test_the_confirmation_carries_each_entry_code_as_a_qr_that_decodes_back(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, companions=2)
        sender.run_once()
        code, companion_codes = accept(sender.db, sent.tokens["ann@example.ch"], ["Léa Favre", "Marc Favre"])

        assert sender.run_once().counts == {"sent": 1}

        confirmation = inbox.to("ann@example.ch")[-1]
        assert confirmation["Subject"] == "Votre inscription à Vernissage Hodler"
        parts = parts_of(confirmation)
        assert f"{PUBLIC_URL}/rsvp/{sent.tokens['ann@example.ch']}" in parts.text
        assert "Présentez ces codes à l'entrée :" in parts.text and "Léa Favre" in parts.html
        assert cids_in(parts.html) == ["qr-0@boxoffice", "qr-1@boxoffice", "qr-2@boxoffice"]
        assert [decoded(parts.images[c]) for c in cids_in(parts.html)] == [[code], *[[c] for c in companion_codes]]
        assert code == sent.codes["ann@example.ch"]

    def test_without_access_control_the_confirmation_has_no_codes(self, make_device, sender: MailSender,
                                                                 inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, access_control=False, guests=GUESTS[:1])
        sender.run_once()
        accept(sender.db, sent.tokens["ann@example.ch"], [])

        sender.run_once()

        parts = parts_of(inbox.to("ann@example.ch")[-1])
        assert parts.images == {} and sent.codes["ann@example.ch"] not in parts.text

    def test_a_guest_who_has_not_accepted_gets_no_confirmation(self, make_device, sender: MailSender):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1])
        with sender.db.session() as session:
            guest = session.scalars(select(Guest).where(Guest.token == sent.tokens["ann@example.ch"])).one()
            assert mail_queue.queue_confirmation(session, guest.id) is None
