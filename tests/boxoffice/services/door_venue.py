# SPDX-License-Identifier: AGPL-3.0-or-later
"""A small venue for door tests: the demo season, a guest-manager invitation and a season pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.model.events import EventDate, Zone
from boxoffice.model.invitations import Companion, Guest, Invitation
from boxoffice.model.passes import Pass, PassDefinition
from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.demo import create_demo
from boxoffice.services.door import DoorSetup
from boxoffice.services.door_lists import door_choices, make_setup
from boxoffice.store.ids import new_secret, uuid7


@dataclass(frozen=True)
class Venue:
    writer: Writer
    ticket: Ticket
    other_date_ticket: Ticket
    other_event_ticket: Ticket
    guest_event_id: str
    guest_code: str
    companion_code: str
    declined_code: str
    pass_code: str


def _ticket(tickets: list[Ticket], **where: str) -> Ticket:
    return next(t for t in tickets if all(getattr(t, k) == v for k, v in where.items()))


def build_venue(writer: Writer, tickets: int = 300) -> Venue:
    with writer.transaction() as work:
        create_demo(work, tickets=tickets, contact_count=5)
    with writer.store.session() as session:
        choices = door_choices(session)
        first = choices.dates[0]
        all_tickets = list(session.scalars(select(Ticket).order_by(Ticket.id)))
        ticket = _ticket(all_tickets, date_id=first.id)
        other_date = next(t for t in all_tickets if t.event_id == first.event_id and t.date_id != first.id)
        other_event = next(t for t in all_tickets if t.event_id != first.event_id)
        guest_event, _name, _starts = choices.guest_events[0]
        codes = _add_guests(session, guest_event)
        pass_code = _add_pass(session, first.event_id)
        session.commit()
    return Venue(writer, ticket, other_date, other_event, guest_event, *codes, pass_code)


def _add_guests(session: Session, event_id: str) -> tuple[str, str, str]:
    now = datetime.now(UTC)
    invitation = Invitation(id=uuid7(), event_id=event_id, name="Vernissage", status="sent", created_at=now)
    accepted = Guest(id=uuid7(), invitation_id=invitation.id, email="ines.rochat@example.ch", first_name="Inès",
                     last_name="Rochat", token=new_secret(), code=new_secret(), status="accepted")
    declined = Guest(id=uuid7(), invitation_id=invitation.id, email="hugo.favre@example.ch", first_name="Hugo",
                     last_name="Favre", token=new_secret(), code=new_secret(), status="declined")
    companion = Companion(id=uuid7(), guest_id=accepted.id, name="Björn Lüthi", code=new_secret())
    for row in (invitation, accepted, declined, companion):  # one by one: no ORM relationships order them
        session.add(row)
        session.flush()
    return accepted.code, companion.code, declined.code


def _add_pass(session: Session, event_id: str) -> str:
    definition = PassDefinition(id=uuid7(), name="Abonnement Saison", event_ids=[event_id])
    holder = Pass(id=uuid7(), definition_id=definition.id, secret=new_secret(),
                  holder={"first_name": "Giulia", "last_name": "Bianchi"}, photo=b"\x89PNG-photo")
    session.add(definition)
    session.flush()
    session.add(holder)
    return holder.secret


def setup_for(venue: Venue, *date_ids: str, **options: object) -> DoorSetup:
    ids = list(date_ids) or [venue.ticket.date_id]
    with venue.writer.store.session() as session:
        return make_setup(session, ids, [venue.guest_event_id], door="Main door", **options)  # type: ignore[arg-type]


def zone_named(venue: Venue, event_id: str, name: str) -> str:
    with venue.writer.store.session() as session:
        return session.scalars(select(Zone.id).where(Zone.event_id == event_id, Zone.name == name)).one()


def date_of(venue: Venue, date_id: str) -> EventDate:
    with venue.writer.store.session() as session:
        found = session.get(EventDate, date_id)
        assert found is not None
        return found
