"""What the desk reads: dates on sale, zones with places left, free seats, and orders found by
name or number with their tickets (T5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.model.events import BoxOffice, Event, EventDate, Rate, Seat, Zone
from boxoffice.model.sales import Order, Ticket
from boxoffice.services.catalogue import sales_close_at
from boxoffice.services.sales import places_left, sellable_rates, taken_seats
from boxoffice.services.text_search import Listing, match_expression, ordered_matches

# Orders newest first (ids are UUIDv7: time-ordered); the walk's bound is read off the primary key's
# index alone, so `span_where` is every row.
_NEWEST_FIRST = Listing("orders", "o", "o.deleted = 0", ("o.id",), descending=True, span_where="1")


@dataclass(frozen=True)
class DeskDate:
    id: str
    event_id: str
    event_name: str
    starts_at: datetime
    timezone: str
    closes_at: datetime | None


@dataclass(frozen=True)
class DeskZone:
    id: str
    name: str
    seated: bool
    capacity: int
    left: int


@dataclass(frozen=True)
class DeskRate:
    id: str
    name: str
    kind: str
    price_minor: int
    currency: str


@dataclass(frozen=True)
class DeskSeat:
    id: str
    row: str
    number: str
    free: bool

    @property
    def label(self) -> str:
        return f"{self.row}-{self.number}"


@dataclass(frozen=True)
class OrderSummary:
    id: str
    number: str
    customer_name: str
    customer_email: str
    total_minor: int
    currency: str
    status: str
    payment_method: str
    sold_at: datetime | None
    tickets: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "customer": self.customer_name, "email": self.customer_email,
                "total_minor": self.total_minor, "currency": self.currency, "status": self.status,
                "payment_method": self.payment_method, "tickets": self.tickets,
                "sold_at": self.sold_at.isoformat() if self.sold_at else None}


@dataclass(frozen=True)
class OrderTicket:
    id: str
    event: str
    starts_at: datetime
    zone: str
    seat: str
    rate: str
    price_minor: int
    currency: str
    state: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "event": self.event, "date": self.starts_at.isoformat(), "zone": self.zone,
                "seat": self.seat, "rate": self.rate, "price_minor": self.price_minor,
                "currency": self.currency, "state": self.state}


def dates_on_sale(session: Session, now: datetime | None = None) -> list[DeskDate]:
    """Dates of ticketed events whose sales are not closed yet, soonest first."""
    now = now or datetime.now(UTC)
    query = (select(EventDate, Event, BoxOffice.timezone).join(Event, Event.id == EventDate.event_id)
             .outerjoin(BoxOffice, BoxOffice.id == Event.box_office_id)
             .where(EventDate.deleted.is_(False), Event.deleted.is_(False), Event.kind == "ticketing",
                    EventDate.status == "on_sale", Event.status.not_in(("draft", "cancelled", "closed")))
             .order_by(EventDate.starts_at))
    out = []
    for date, event, timezone in session.execute(query):
        closes = sales_close_at(event, date)
        if closes is None or closes > now:
            out.append(DeskDate(date.id, event.id, event.name, date.starts_at, timezone or "Europe/Zurich", closes))
    return out


def zones_for(session: Session, date_id: str) -> list[DeskZone]:
    date = session.get(EventDate, date_id)
    if date is None:
        return []
    zones = session.scalars(select(Zone).where(Zone.event_id == date.event_id, Zone.deleted.is_(False))
                            .order_by(Zone.name))
    return [DeskZone(z.id, z.name, z.seated, z.capacity, places_left(session, date_id, z.id)) for z in zones]


def rates_for(session: Session, date_id: str, zone_id: str) -> list[DeskRate]:
    return [DeskRate(r.id, r.name, r.kind, r.price_minor, r.currency)
            for r in sellable_rates(session, date_id, zone_id)]


def seats_for(session: Session, date_id: str, zone_id: str) -> list[DeskSeat]:
    """Every seat of the zone, saying whether it is still free for this date."""
    taken = taken_seats(session, date_id)
    seats = session.scalars(select(Seat).where(Seat.zone_id == zone_id, Seat.deleted.is_(False)))
    out = [DeskSeat(s.id, s.row, s.number, s.id not in taken) for s in seats]
    out.sort(key=lambda s: (s.row, int(s.number) if s.number.isdigit() else 0, s.number))
    return out


def find_orders(session: Session, text: str = "", limit: int = 50) -> list[OrderSummary]:
    """Orders whose number, customer name or e-mail has words starting with each word of `text`, newest first.

    Served by the orders' search index (migration 0012); each order's valid tickets are counted
    through the tickets' order index, for the orders shown only.
    """
    valid = (select(func.count()).where(Ticket.order_id == Order.id, Ticket.state == "valid")
             .correlate(Order).scalar_subquery())
    query = select(Order, valid).where(Order.deleted.is_(False)).order_by(Order.id.desc()).limit(limit)
    if text.strip():
        match = match_expression(text)
        if match is None:
            return []
        # The newest matches first, without ordering every match of a short prefix (text_search).
        found = [row[0] for row in ordered_matches(session, _NEWEST_FIRST, "o.id", match, {}, None, limit)]
        query = query.where(Order.id.in_(found))
    return [OrderSummary(o.id, o.number, o.customer_name, o.customer_email, o.total_minor, o.currency, o.status,
                         o.payment_method, o.sold_at, n) for o, n in session.execute(query)]


def order_by_number(session: Session, number: str) -> Order | None:
    return session.scalars(select(Order).where(func.upper(Order.number) == number.strip().upper(),
                                               Order.deleted.is_(False))).first()


def tickets_of(session: Session, order_id: str) -> list[OrderTicket]:
    query = (select(Ticket, Event.name, EventDate.starts_at, Zone.name, Seat.row, Seat.number, Rate.name)
             .join(Event, Event.id == Ticket.event_id).join(EventDate, EventDate.id == Ticket.date_id)
             .outerjoin(Zone, Zone.id == Ticket.zone_id).outerjoin(Seat, Seat.id == Ticket.seat_id)
             .outerjoin(Rate, Rate.id == Ticket.rate_id).where(Ticket.order_id == order_id).order_by(Ticket.id))
    return [OrderTicket(t.id, event, starts, zone or "", f"{row}-{number}" if row else "", rate or "",
                        t.price_minor, t.currency, t.state)
            for t, event, starts, zone, row, number, rate in session.execute(query)]
