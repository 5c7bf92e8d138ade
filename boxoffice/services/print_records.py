"""What to print for an order, an event date or a contact list, read from the store as plain values.

The `printing` package never queries the database: this module turns rows into `PrintItem`s
(a printing `Record` plus the ids the print log needs) and hands only those over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.contacts import Contact, ContactList
from boxoffice.model.events import BoxOffice, Event, EventDate, Rate, Seat, Zone
from boxoffice.model.passes import Pass, PassDefinition
from boxoffice.model.sales import Order, Ticket
from boxoffice.money import format_money
from printing.render import Record

# Custom contact fields read as the badge's company and role, in the spellings imports bring.
COMPANY_FIELDS = ("company", "Company", "Entreprise", "Société", "Firma", "Organisation", "Organization")
ROLE_FIELDS = ("role", "Role", "Rôle", "Fonction", "Funktion")


class PrintRecordsError(ValueError):
    """What was asked to print does not exist or holds nothing printable."""


@dataclass(frozen=True)
class PrintItem:
    """One card or page to print: its record, a label for people, and the ids the print log keeps."""

    what: str
    label: str
    record: Record
    order_id: str | None = None
    ticket_id: str | None = None
    pass_id: str | None = None
    contact_id: str | None = None
    # P3: a pass definition's background picture and text colour, applied over the layout.
    appearance: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _TicketRow:
    ticket: Ticket
    event: Event
    date: EventDate
    zone: Zone | None
    seat: Seat | None
    rate: Rate | None
    box_office: BoxOffice | None


def split_name(full_name: str) -> tuple[str, str]:
    """'Léa Müller' -> ('Léa', 'Müller'); the last name keeps every later word."""
    first, _space, last = full_name.strip().partition(" ")
    return first, last.strip()


def order_by_number(session: Session, number: str) -> Order:
    order = session.scalars(select(Order).where(Order.number == number.strip(), Order.deleted.is_(False))).first()
    if order is None:
        raise PrintRecordsError(_("There is no order number {number}.").format(number=number))
    return order


def _ticket_rows(session: Session, *where: Any) -> list[_TicketRow]:
    query = (
        select(Ticket, Event, EventDate, Zone, Seat, Rate, BoxOffice)
        .join(Event, Event.id == Ticket.event_id)
        .join(EventDate, EventDate.id == Ticket.date_id)
        .outerjoin(Zone, Zone.id == Ticket.zone_id)
        .outerjoin(Seat, Seat.id == Ticket.seat_id)
        .outerjoin(Rate, Rate.id == Ticket.rate_id)
        .outerjoin(BoxOffice, BoxOffice.id == Event.box_office_id)
        .where(Ticket.state == "valid", Ticket.deleted.is_(False), *where)
        .order_by(Ticket.id)
    )
    return [_TicketRow(*row) for row in session.execute(query)]


def _when(moment: datetime | None, box_office: BoxOffice | None) -> str:
    if moment is None:
        return ""
    zone = ZoneInfo(box_office.timezone if box_office is not None else "Europe/Zurich")
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def _price(minor: int, currency: str) -> str:
    return format_money(minor, currency)


def _ticket_variables(row: _TicketRow, order: Order | None) -> dict[str, Any]:
    first, last = split_name(row.ticket.holder_name or (order.customer_name if order else ""))
    customer = order.customer if order is not None else {}
    return {
        "event": row.event.name,
        "date": _when(row.date.starts_at, row.box_office),
        "venue": row.event.location,
        "zone": row.zone.name if row.zone else "",
        "seat": _("row {row}, seat {number}").format(row=row.seat.row, number=row.seat.number) if row.seat else "",
        "rate": row.rate.name if row.rate else "",
        "role": customer.get("role") or (row.rate.name if row.rate else ""),
        "price": _price(row.ticket.price_minor, row.ticket.currency),
        "first_name": first,
        "last_name": last,
        "company": customer.get("company", ""),
        "order": order.number if order is not None else "",
        "conditions": row.event.ticket_template.get("conditions", ""),
    }


def _ticket_item(what: str, row: _TicketRow, order: Order | None) -> PrintItem:
    variables = _ticket_variables(row, order)
    label = f"{variables['first_name']} {variables['last_name']} — {row.event.name}".strip()
    return PrintItem(what, label, Record(variables, row.ticket.secret), row.ticket.order_id, row.ticket.id)


def _pass_items(session: Session, order: Order) -> list[PrintItem]:
    query = (
        select(Pass, PassDefinition, BoxOffice)
        .join(PassDefinition, PassDefinition.id == Pass.definition_id)
        .outerjoin(BoxOffice, BoxOffice.id == PassDefinition.box_office_id)
        .where(Pass.order_id == order.id, Pass.state == "valid", Pass.deleted.is_(False))
        .order_by(Pass.id)
    )
    items = []
    for held, definition, box_office in session.execute(query):
        holder = dict(held.holder)
        variables = {**holder, "pass_name": definition.name, "season": box_office.name if box_office else "",
                     "order": order.number}
        label = f"{holder.get('first_name', '')} {holder.get('last_name', '')} — {definition.name}".strip()
        record = Record(variables, held.secret, held.photo)
        items.append(PrintItem("pass", label, record, order.id, pass_id=held.id,
                               appearance=dict(definition.appearance)))
    return items


def items_for_order(session: Session, number: str, what: str) -> list[PrintItem]:
    """Badges (one per ticket holder), passes (one per pass, with photo) or tickets of an order."""
    order = order_by_number(session, number)
    if what == "pass":
        items = _pass_items(session, order)
    else:
        items = [_ticket_item(what, row, order) for row in _ticket_rows(session, Ticket.order_id == order.id)]
    if not items:
        words = {"badge": _("badges"), "pass": _("passes"), "ticket": _("tickets")}
        raise PrintRecordsError(_("The order {number} has no {things} to print.").format(
            number=order.number, things=words.get(what, what)))
    return items


def badge_items_for_date(session: Session, date_id: str) -> list[PrintItem]:
    """A badge for every valid ticket of one event date, for printing them all before doors open."""
    rows = _ticket_rows(session, Ticket.date_id == date_id)
    orders = {o.id: o for o in session.scalars(select(Order).where(
        Order.id.in_({r.ticket.order_id for r in rows if r.ticket.order_id})))}
    return [_ticket_item("badge", row, orders.get(row.ticket.order_id or "")) for row in rows]


def _field(fields: Mapping[str, Any], names: tuple[str, ...]) -> str:
    return next((str(fields[name]) for name in names if fields.get(name)), "")


def badge_items_for_list(session: Session, list_id: str, event_name: str = "") -> list[PrintItem]:
    """Conference badges: one per present contact of a list, its id as the QR payload."""
    the_list = session.get(ContactList, list_id)
    if the_list is None or the_list.deleted:
        raise PrintRecordsError(_("This contact list no longer exists."))
    query = (select(Contact).where(Contact.list_id == list_id, Contact.cl % 2 == 1, Contact.deleted.is_(False))
             .order_by(Contact.last_name, Contact.first_name, Contact.id))
    items = []
    for contact in session.scalars(query):
        variables = {"first_name": contact.first_name, "last_name": contact.last_name,
                     "company": _field(contact.fields, COMPANY_FIELDS), "role": _field(contact.fields, ROLE_FIELDS),
                     "event": event_name or the_list.name, "email": contact.email}
        label = f"{contact.first_name} {contact.last_name}".strip() or contact.email
        items.append(PrintItem("badge", label, Record(variables, contact.id), contact_id=contact.id))
    return items


@dataclass(frozen=True)
class DateChoice:
    """An event date as the batch print dialog lists it."""

    id: str
    label: str


def upcoming_dates(session: Session) -> list[DateChoice]:
    """Every event date with tickets' event name and start, soonest first."""
    query = (select(EventDate, Event, BoxOffice).join(Event, Event.id == EventDate.event_id)
             .outerjoin(BoxOffice, BoxOffice.id == Event.box_office_id)
             .where(EventDate.deleted.is_(False)).order_by(EventDate.starts_at))
    return [DateChoice(date.id, f"{event.name} — {_when(date.starts_at, office)}")
            for date, event, office in session.execute(query)]
