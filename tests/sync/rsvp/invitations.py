"""An organizer's invitation made on a real device store and sent to the real server, for the RSVP tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from boxoffice.model.invitations import Companion, Guest
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, invitations
from boxoffice.services.guest_events import save_guest_event
from boxoffice.services.invitation_form import added_field, default_form
from boxoffice.services.invitations import InvitationDraft
from sync.client import SyncClient

GUESTS = [("ann@example.ch", "Ann", "Favre"), ("bob@example.ch", "Bob", "Meier"), ("cleo@example.ch", "Cléo", "Rossi")]


@dataclass
class Sent:
    """The invitation as the organizer's laptop knows it: its id and each guest's token by email."""

    draft: InvitationDraft
    tokens: dict[str, str]

    @property
    def id(self) -> str:
        return self.draft.id


def send_invitation(writer: Writer, sync: SyncClient, *, companions: int = 2, show_guest_list: bool = False,
                    language: str = "fr", deadline: datetime | None = None, logo: str = "") -> Sent:
    """Make a list, an event and an invitation with a small form on `writer`, schedule it and push it."""
    now = datetime.now(UTC)
    with writer.transaction() as work:
        list_id = contacts.create_list(work, f"Vernissage {now.timestamp()}")
        for email, first, last in GUESTS:
            contacts.add_contact(work, list_id, email, first, last)
    draft = InvitationDraft()
    event = draft.event
    event.name, event.location, event.event_type = "Vernissage Hodler", "Musée Jenisch, Vevey", "inauguration"
    event.starts_at = now + timedelta(days=30)
    event.appearance.primary_colour, event.appearance.logo = "#7a1f3d", logo
    event.sending.organizer, event.sending.sender_email = "Musée Jenisch", "info@museejenisch.ch"
    event.sending.language, event.sending.deadline = language, deadline or now + timedelta(days=20)
    draft.subject, draft.body = "Invitation {event_name}", "Bonjour {first_name},\n\n{rsvp_link}"
    draft.form = [*default_form(), added_field("Menu", "single", ["Viande", "Végétarien"], required=True),
                  added_field("Allergies", "text")]
    draft.list_ids, draft.companions, draft.show_guest_list = [list_id], companions, show_guest_list
    with writer.transaction() as work:
        invitations.save_draft(work, draft)
    with writer.transaction() as work:
        invitations.schedule(work, draft.id)
    report = sync.sync_once()
    assert report.pending == 0 and report.rejected == 0, report
    with writer.store.session() as session:
        tokens = {g.email: g.token for g in session.scalars(select(Guest).where(Guest.invitation_id == draft.id))}
    return Sent(draft, tokens)


def move_deadline(writer: Writer, sync: SyncClient, sent: Sent, deadline: datetime) -> None:
    """The organizer changes the registration deadline on the laptop and syncs."""
    sent.draft.event.sending.deadline = deadline
    with writer.transaction() as work:
        save_guest_event(work, sent.draft.event)
    assert sync.sync_once().rejected == 0


def guest_on(writer: Writer, email: str) -> tuple[Guest, list[str]]:
    """The guest row on a device, with the names of its present companions."""
    with writer.store.session() as session:
        guest = session.scalars(select(Guest).where(Guest.email == email)).one()
        names = [c.name for c in session.scalars(select(Companion).where(Companion.guest_id == guest.id)
                                                 .order_by(Companion.created_at, Companion.id)) if c.cl % 2 == 1]
        session.expunge(guest)
    return guest, names


def form_secret(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)
