"""The event overview (T2): status, visibility, end of sales, door code, sales per rate and per date.

Everything is counted with SQL aggregates over the local store (indexes on tickets' event and
date), so the overview of an event with 100,000 tickets stays quick. Read-only: no unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.checkins import CheckIn
from boxoffice.model.events import BoxOffice, Event, EventDate, Rate, Zone
from boxoffice.model.sales import STOCK, Order, Ticket
from boxoffice.services.catalogue import get_event, questions_of, sales_close_at

ADMITTED = "admitted"


@dataclass(frozen=True)
class RateSales:
    """Valid tickets sold at one rate and what they brought in (cancelled tickets excluded)."""

    rate_id: str | None
    name: str
    sold: int
    revenue_minor: int

    def to_json(self) -> dict[str, Any]:
        return {"rate_id": self.rate_id, "name": self.name, "sold": self.sold, "revenue_minor": self.revenue_minor}


@dataclass(frozen=True)
class DateSales:
    """One date: valid tickets against the event's capacity, and how many were let in at the door."""

    date_id: str
    starts_at: datetime
    status: str
    closes_at: datetime | None
    sold: int
    capacity: int
    checked_in: int

    def to_json(self) -> dict[str, Any]:
        return {"date_id": self.date_id, "starts_at": self.starts_at.isoformat(), "status": self.status,
                "closes_at": self.closes_at.isoformat() if self.closes_at else None, "sold": self.sold,
                "capacity": self.capacity, "checked_in": self.checked_in}


@dataclass(frozen=True)
class EventOverview:
    event_id: str
    name: str
    status: str
    visibility: str
    location: str
    sales_close_at: datetime | None
    door_access_code: str
    currency: str
    timezone: str
    rates: list[RateSales]
    dates: list[DateSales]
    orders: int
    questions: int

    @property
    def sold(self) -> int:
        return sum(r.sold for r in self.rates)

    @property
    def revenue_minor(self) -> int:
        return sum(r.revenue_minor for r in self.rates)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.event_id, "name": self.name, "status": self.status, "visibility": self.visibility,
                "location": self.location,
                "sales_close_at": self.sales_close_at.isoformat() if self.sales_close_at else None,
                "door_access_code": self.door_access_code, "currency": self.currency, "timezone": self.timezone,
                "sold": self.sold, "revenue_minor": self.revenue_minor, "orders": self.orders,
                "questions": self.questions, "rates": [r.to_json() for r in self.rates],
                "dates": [d.to_json() for d in self.dates]}


# Tickets printed as unsold stock (D6) are sold to nobody yet: not in the sales per rate nor the
# orders; they do take their places, so a date's sold places against capacity counts them.
_SOLD = ~exists(select(Order.id).where(Order.id == Ticket.order_id, Order.status == STOCK))


def rate_sales(session: Session, event_id: str) -> list[RateSales]:
    """Every rate of the event in its order, with what it sold; tickets without a rate (passes) last."""
    totals = {rate_id: (int(n), int(revenue or 0)) for rate_id, n, revenue in session.execute(
        select(Ticket.rate_id, func.count(), func.sum(Ticket.price_minor))
        .where(Ticket.event_id == event_id, Ticket.state == "valid", Ticket.deleted.is_(False), _SOLD)
        .group_by(Ticket.rate_id))}
    rates = session.execute(select(Rate.id, Rate.name, Rate.deleted).where(Rate.event_id == event_id)
                            .order_by(Rate.position, Rate.id)).all()
    out = [RateSales(rate_id, name, *totals.pop(rate_id, (0, 0))) for rate_id, name, deleted in rates
           if not deleted or rate_id in totals]
    for rate_id, (sold, revenue) in totals.items():
        out.append(RateSales(rate_id, _("Passes and other tickets") if rate_id is None else _("Removed rate"),
                             sold, revenue))
    return out


def date_sales(session: Session, event: Event) -> list[DateSales]:
    """Each date's sold places against the capacity of the event's zones, and its admissions."""
    capacity = int(session.scalar(select(func.coalesce(func.sum(Zone.capacity), 0)).where(
        Zone.event_id == event.id, Zone.deleted.is_(False))) or 0)
    sold = dict(session.execute(select(Ticket.date_id, func.count()).where(
        Ticket.event_id == event.id, Ticket.state == "valid", Ticket.deleted.is_(False)).group_by(Ticket.date_id)
    ).all())
    dates = list(session.scalars(select(EventDate).where(EventDate.event_id == event.id,
                                                         EventDate.deleted.is_(False)).order_by(EventDate.starts_at)))
    admitted = dict(session.execute(select(CheckIn.date_id, func.count(distinct(CheckIn.ticket_id))).where(
        CheckIn.date_id.in_([d.id for d in dates]), CheckIn.verdict == ADMITTED, CheckIn.ticket_id.is_not(None))
        .group_by(CheckIn.date_id)).all())
    return [DateSales(d.id, d.starts_at, d.status, sales_close_at(event, d), int(sold.get(d.id, 0)), capacity,
                      int(admitted.get(d.id, 0))) for d in dates]


def event_overview(session: Session, event_id: str) -> EventOverview:
    """The overview of one event (T2); raises CatalogueError when the event does not exist."""
    event = get_event(session, event_id)
    office = session.get(BoxOffice, event.box_office_id) if event.box_office_id else None
    orders = session.scalar(select(func.count(distinct(Ticket.order_id))).where(
        Ticket.event_id == event_id, Ticket.state == "valid", Ticket.deleted.is_(False), _SOLD)) or 0
    return EventOverview(event.id, event.name, event.status, event.visibility, event.location,
                         event.sales_close_at, event.door_access_code, office.currency if office else "CHF",
                         office.timezone if office else "Europe/Zurich", rate_sales(session, event_id),
                         date_sales(session, event), int(orders), len(questions_of(session, event_id)))


def find_event(session: Session, wanted: str) -> str:
    """The id of the one ticketed event whose id or name is `wanted`, else a ValueError naming it."""
    matches = list(session.scalars(select(Event.id).where(Event.deleted.is_(False), Event.kind == "ticketing",
                                                          (Event.id == wanted) | (Event.name == wanted))))
    if len(matches) != 1:
        raise ValueError(_("There is no single event “{event}”.").format(event=wanted))
    return matches[0]

