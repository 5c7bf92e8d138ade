"""The customers of an event with their contact, and their order-form answers as CSV (T2, T7).

A customer is everyone who holds an order with at least one valid ticket for the event; orders
with the same email (or, without one, the same name) are one customer. Read-only.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _
from boxoffice.model.events import BoxOffice, Question
from boxoffice.model.sales import Order, Ticket
from boxoffice.services.catalogue import get_event, questions_of
from boxoffice.services.contact_export import neutralise

YES_NO = {"yes": N_("yes"), "no": N_("no")}


@dataclass(frozen=True)
class EventOrder:
    """One order of the event with the contact it was made with and its answers."""

    id: str
    number: str
    name: str
    email: str
    phone: str
    tickets: int
    total_minor: int
    currency: str
    sold_at: datetime | None
    answers: dict[str, Any]


@dataclass(frozen=True)
class Customer:
    name: str
    email: str
    phone: str
    orders: int
    tickets: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "phone": self.phone, "orders": self.orders,
                "tickets": self.tickets}


def event_orders(session: Session, event_id: str) -> list[EventOrder]:
    """Orders with valid tickets for the event, oldest first, each with its count of those tickets."""
    counts = (select(Ticket.order_id, func.count().label("n")).where(
        Ticket.event_id == event_id, Ticket.state == "valid", Ticket.deleted.is_(False), Ticket.order_id.is_not(None))
        .group_by(Ticket.order_id).subquery())
    query = (select(Order.id, Order.number, Order.customer_name, Order.customer_email, Order.customer,
                    Order.total_minor, Order.currency, Order.sold_at, Order.answers, counts.c.n)
             .join(counts, counts.c.order_id == Order.id).where(Order.deleted.is_(False)).order_by(Order.id))
    return [EventOrder(row.id, row.number, row.customer_name, row.customer_email,
                       str((row.customer or {}).get("phone", "")), int(row.n), row.total_minor, row.currency,
                       row.sold_at, dict(row.answers or {})) for row in session.execute(query)]


def customers_of(session: Session, event_id: str) -> list[Customer]:
    """One row per customer (same email, else same name), sorted by name."""
    get_event(session, event_id)
    grouped: dict[str, list[EventOrder]] = {}
    for order in event_orders(session, event_id):
        key = order.email.strip().lower() or "name:" + order.name.strip().lower()
        grouped.setdefault(key, []).append(order)
    out = []
    for orders in grouped.values():
        latest = orders[-1]
        phone = next((o.phone for o in reversed(orders) if o.phone), "")
        name = next((o.name for o in reversed(orders) if o.name), "")
        out.append(Customer(name, latest.email, phone, len(orders), sum(o.tickets for o in orders)))
    out.sort(key=lambda c: (c.name.lower(), c.email))
    return out


def answer_text(question: Question, value: Any) -> str:
    """An answer as the organizer reads it: yes/no in words, lists joined."""
    if value is None:
        return ""
    if question.kind == "yes_no" and str(value) in YES_NO:
        return _(YES_NO[str(value)])
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def export_answers(session: Session, event_id: str, path: Path, delimiter: str = ",") -> int:
    """Write one row per order with its contact and one column per question; returns the rows written.

    Cells a spreadsheet would read as formulas are neutralised; the file appears only when whole.
    """
    event = get_event(session, event_id)
    office = session.get(BoxOffice, event.box_office_id) if event.box_office_id else None
    zone = ZoneInfo(office.timezone if office else "Europe/Zurich")
    questions = questions_of(session, event_id)
    orders = event_orders(session, event_id)
    header = [_("Order"), _("Sold"), _("Name"), _("Email"), _("Phone"), _("Tickets"), *(q.label for q in questions)]
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow([neutralise(h) for h in header])
            for order in orders:
                sold = order.sold_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if order.sold_at else ""
                cells = [order.number, sold, order.name, order.email, order.phone, str(order.tickets),
                         *(answer_text(q, order.answers.get(q.id)) for q in questions)]
                writer.writerow([neutralise(cell) for cell in cells])
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValueError(_("Cannot write {file}: {error}").format(file=path, error=exc.strerror)) from exc
    return len(orders)
