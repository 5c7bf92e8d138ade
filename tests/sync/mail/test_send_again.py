"""A send refused for lack of credits is sent again from the organizer's app once credits are added."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from boxoffice.model.credits import CreditEntry
from boxoffice.model.devices import OutboxEntry
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import credits, invitations
from boxoffice.services.credits import CreditsError
from boxoffice.services.invitations import InvitationError
from sync.client import SyncClient
from sync.server.mail.sender import MailSender
from tests.sync.mail.organizer import Scheduled, guests_on, invitation_on, schedule
from tests.sync.mail.smtp_inbox import Inbox

OTHERS = [(f"other{i}@example.ch", "O", "T") for i in range(5)]


def refused_send(make_device, sender: MailSender) -> tuple[Writer, SyncClient, Scheduled]:
    """Two laptops schedule offline on the same 200 free credits: the second send (105) is refused."""
    first, first_sync = make_device("laptop")
    second, second_sync = make_device("office")
    schedule(first, first_sync, guests=[(f"guest{i}@example.ch", "G", "T") for i in range(5)], companions=20)
    refused = schedule(second, second_sync, guests=OTHERS, companions=20)
    assert (sender.run_once().refused, second_sync.sync_once().rejected) == (1, 0)
    assert invitation_on(second, refused.id).status == "refused"
    return second, second_sync, refused


def outbox_size(writer: Writer) -> int:
    with writer.store.session() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0


class TestSendAgain:
    def test_after_credits_are_added_the_refused_invitation_goes_to_every_guest_and_is_debited_once(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync, refused = refused_send(make_device, sender)
        with writer.transaction() as work:
            credits.add_credits(work, 20, "Facture 2026-114")
        with writer.transaction() as work:
            assert invitations.send_again(work, refused.id) == 105
        assert invitation_on(writer, refused.id).status == "scheduled"
        assert sync.sync_once().rejected == 0

        report = sender.run_once()

        assert (report.released, report.refused) == (1, 0)
        assert sorted(r.rcpt_tos[0] for r in inbox.received if r.rcpt_tos[0].startswith("other")) == [
            e for e, _f, _l in OTHERS]
        sync.sync_once()
        assert invitation_on(writer, refused.id).status == "sent"
        assert {(g.delivery, g.delivery_error) for g in guests_on(writer, refused.id).values()} == {("sent", "")}
        with writer.store.session() as session:
            assert credits.balance(session) == 200 - 105 + 20 - 105
            debits = session.scalars(select(CreditEntry.amount).where(
                CreditEntry.invitation_id == refused.id, CreditEntry.kind == "debit")).all()
        assert debits == [-105]
        assert sender.run_once().counts == {}  # nothing goes twice

    def test_while_the_credits_still_fall_short_nothing_is_written_and_the_numbers_are_said(
            self, make_device, sender: MailSender):
        writer, _sync, refused = refused_send(make_device, sender)
        before = outbox_size(writer)

        with pytest.raises(CreditsError, match="This invitation needs 105 credits, 95 left"), \
                writer.transaction() as work:
            invitations.send_again(work, refused.id)

        assert outbox_size(writer) == before
        assert invitation_on(writer, refused.id).status == "refused"

    def test_an_invitation_that_went_cannot_be_sent_again(self, make_device, sender: MailSender):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync)
        sender.run_once()
        sync.sync_once()

        with pytest.raises(InvitationError, match="Only an invitation that was not sent can be sent again"), \
                writer.transaction() as work:
            invitations.send_again(work, sent.id)
