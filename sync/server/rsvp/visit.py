"""What an RSVP link opens: the guest, the invitation, the event, and whether answers may still change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.model.events import Event
from boxoffice.model.invitations import Companion, Guest, Invitation
from boxoffice.mutations.rsvp import CLOSED_INVITATIONS, present_companions, registration_closes_at
from sync.server.tables import RowChange

# Tokens are `secrets.token_urlsafe(24)` (32 characters); anything else is not worth a query.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class LinkNotFound(Exception):
    """No guest has this token (a mistyped or guessed link): 404."""


class LinkGone(Exception):
    """The link was real but no longer works (guest removed, invitation withdrawn, registration closed): 410."""

    def __init__(self, reason: str, visit: Visit | None = None) -> None:
        super().__init__(reason)
        self.reason, self.visit = reason, visit


@dataclass(frozen=True)
class Visit:
    guest: Guest
    invitation: Invitation
    event: Event | None
    organizer_id: str
    companions: list[Companion]
    closes_at: datetime | None
    now: datetime

    @property
    def is_open(self) -> bool:
        return self.closes_at is None or self.now <= self.closes_at

    @property
    def answered(self) -> bool:
        return self.guest.status in ("accepted", "declined")


def guest_of(session: Session, token: str) -> tuple[Guest, Invitation, str]:
    """The guest behind a link's token, its invitation and its organizer; LinkNotFound when there is none."""
    if not TOKEN.match(token):
        raise LinkNotFound(token)
    guest = session.scalars(select(Guest).where(Guest.token == token)).first()
    invitation = session.get(Invitation, guest.invitation_id) if guest is not None else None
    owner = session.scalar(select(RowChange.organizer_id).where(
        RowChange.entity == "guests", RowChange.entity_id == guest.id)) if guest is not None else None
    if guest is None or invitation is None or owner is None:
        raise LinkNotFound(token)
    return guest, invitation, owner


def open_link(session: Session, token: str, now: datetime | None = None) -> Visit:
    """The visit behind `token`; raises LinkNotFound or LinkGone with the reason in `reason`.

    A guest who has answered can still read their answer after the deadline; one who has not
    gets LinkGone("closed"), so a late link is refused with 410.
    """
    guest, invitation, owner = guest_of(session, token)
    if invitation.status == "draft":
        raise LinkNotFound(token)
    if guest.deleted or invitation.deleted or invitation.status in CLOSED_INVITATIONS:
        raise LinkGone("withdrawn")
    event = session.get(Event, invitation.event_id) if invitation.event_id else None
    visit = Visit(guest, invitation, event, owner, present_companions(session, guest.id),
                  registration_closes_at(session, invitation), now or datetime.now(UTC))
    if not visit.is_open and not visit.answered:
        raise LinkGone("closed", visit)
    return visit


def accepted_guests(session: Session, invitation_id: str) -> list[tuple[str, str]]:
    """First and last names of the guests who accepted, for an invitation that shows its guest list."""
    rows = session.execute(select(Guest.first_name, Guest.last_name).where(
        Guest.invitation_id == invitation_id, Guest.status == "accepted", Guest.deleted.is_(False))
        .order_by(Guest.last_name, Guest.first_name))
    return [(first, last) for first, last in rows]
