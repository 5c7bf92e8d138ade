"""Desk sale: sell tickets for a date, zone, seats and rates; cancel and refund (T5, T6, T7).

`places_left` is the one place that says how many places this desk may still sell for a date
and zone. Today it counts the zone's capacity minus the valid tickets in the local store; once
desks sell from allotments it will consult the desk's lease instead. Writes go through the
`sales.sell` and `sales.cancel` mutators in the caller's unit of work; nothing here commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _, ngettext
from boxoffice.model.devices import LocalDevice
from boxoffice.model.events import BoxOffice, Event, EventDate, Rate, Seat, Zone
from boxoffice.model.sales import STOCK, Allotment, Order, Ticket
from boxoffice.mutations.sales import SaleCancel, SaleRecord
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import resale
from boxoffice.services.catalogue import questions_of, sales_close_at
from boxoffice.store.ids import new_secret, uuid7, uuid7_batch

PAYMENT_METHODS = {"cash": N_("cash"), "card": N_("card terminal"), "invoice": N_("invoice"), "free": N_("free")}
MAX_TICKETS = 500


class SaleError(ValueError):
    """A sale or a cancellation was refused; the message says why in plain words."""


@dataclass(frozen=True)
class SaleLine:
    """A rate and how many tickets at that rate."""

    rate_id: str
    quantity: int = 1


@dataclass(frozen=True)
class Sale:
    """What the desk asks for: one date and zone, rates with quantities, seats where seated."""

    date_id: str
    zone_id: str
    lines: tuple[SaleLine, ...]
    seat_ids: tuple[str, ...] = ()
    customer_name: str = ""
    customer_email: str = ""
    customer: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    payment_method: str = "cash"


@dataclass(frozen=True)
class SoldOrder:
    id: str
    number: str
    total_minor: int
    currency: str
    ticket_ids: list[str]
    payment_method: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "total_minor": self.total_minor, "currency": self.currency,
                "tickets": self.ticket_ids, "payment_method": self.payment_method}


def places_left(session: Session, date_id: str, zone_id: str) -> int:
    """How many places this device can still sell for the date and zone: a desk sells only what
    it leased from the server (its allotments), an organizer what the zone has left."""
    device = session.scalars(select(LocalDevice)).first()
    if device is not None and device.role == "desk":
        left = session.scalar(select(func.coalesce(func.sum(Allotment.leased - Allotment.sold), 0)).where(
            Allotment.device_id == device.id, Allotment.date_id == date_id, Allotment.zone_id == zone_id,
            Allotment.state == "active"))
        return int(left or 0)
    zone = session.get(Zone, zone_id)
    if zone is None or zone.deleted:
        return 0
    sold = session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.date_id == date_id, Ticket.zone_id == zone_id, Ticket.state == "valid",
        Ticket.deleted.is_(False))) or 0
    return max(0, zone.capacity - sold)


def taken_seats(session: Session, date_id: str, seat_ids: Sequence[str] | None = None) -> set[str]:
    """Seats with a valid ticket for this date (among `seat_ids` when given)."""
    query = select(Ticket.seat_id).where(Ticket.date_id == date_id, Ticket.seat_id.is_not(None),
                                         Ticket.state == "valid", Ticket.deleted.is_(False))
    if seat_ids is not None:
        query = query.where(Ticket.seat_id.in_(list(seat_ids)))
    return {s for s in session.scalars(query) if s}


def rate_applies(rate: Rate, date: EventDate, zone: Zone) -> bool:
    """A rate of the date's event, for every date and zone or limited to this one."""
    return (not rate.deleted and rate.event_id == date.event_id and rate.date_id in (None, date.id)
            and rate.zone_id in (None, zone.id))


def sellable_rates(session: Session, date_id: str, zone_id: str) -> list[Rate]:
    """The rates the desk offers for a date and zone; pass-only rates need a pass, not a desk sale."""
    date, zone = session.get(EventDate, date_id), session.get(Zone, zone_id)
    if date is None or zone is None:
        return []
    rates = session.scalars(select(Rate).where(Rate.event_id == date.event_id, Rate.deleted.is_(False),
                                               Rate.visible.is_(True)).order_by(Rate.position, Rate.id))
    return [r for r in rates if rate_applies(r, date, zone) and r.kind != "pass_only"]


def next_order_number(session: Session, device_id: str) -> str:
    """Readable and unique without the network: this device's prefix and its own counter, e.g. D7F3AK2-000123.

    The prefix is 30 bits of a hash of the device id in Crockford base32: two of 1,000 devices share
    one with a chance of about 1 in 2,000 (order numbers are unique on the server).
    """
    digest = int.from_bytes(hashlib.sha256(device_id.encode()).digest()[:4]) >> 2
    prefix = "D" + "".join("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(digest >> (5 * i)) & 31] for i in range(6)) + "-"
    last = session.scalar(select(func.max(Order.number)).where(Order.number >= prefix, Order.number < prefix + "~",
                                                               func.length(Order.number) == len(prefix) + 6))
    number = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{number:06d}" if number < 10**6 else f"{prefix}{number}"


def _local_time(moment: datetime, office: BoxOffice | None) -> str:
    return moment.astimezone(ZoneInfo(office.timezone if office else "Europe/Zurich")).strftime("%d.%m.%Y %H:%M")


def _check_date_open(session: Session, date: EventDate, event: Event, now: datetime) -> None:
    if event.status in ("draft", "cancelled", "closed") or date.status != "on_sale":
        raise SaleError(_("“{event}” is not on sale for this date.").format(event=event.name))
    closes = sales_close_at(event, date)
    if closes is not None and now >= closes:
        office = session.get(BoxOffice, event.box_office_id) if event.box_office_id else None
        raise SaleError(_("Sales for this date closed at {time}.").format(time=_local_time(closes, office)))


def _check_seats(session: Session, sale: Sale, zone: Zone, quantity: int) -> None:
    if not zone.seated:
        if sale.seat_ids:
            raise SaleError(_("The zone {zone} has no numbered seats.").format(zone=zone.name))
        return
    if len(sale.seat_ids) != quantity or len(set(sale.seat_ids)) != quantity:
        raise SaleError(ngettext("The zone {zone} is seated: choose a seat for the ticket.",
                                 "The zone {zone} is seated: choose one seat for each of the {n} tickets.",
                                 quantity).format(
            zone=zone.name, n=quantity))
    seats = {s.id: s for s in session.scalars(select(Seat).where(Seat.id.in_(sale.seat_ids)))}
    if any(s is None or s.zone_id != zone.id or s.deleted for s in map(seats.get, sale.seat_ids)):
        raise SaleError(_("A chosen seat is not in the zone {zone}.").format(zone=zone.name))
    taken = taken_seats(session, sale.date_id, sale.seat_ids)
    if taken:
        names = ", ".join(sorted(f"{seats[s].row}-{seats[s].number}" for s in taken))
        raise SaleError(_("Already sold for this date: seat {seats}.").format(seats=names))


def _check_answers(session: Session, event_id: str, answers: dict[str, Any]) -> dict[str, Any]:
    """T7: every required question answered; answers kept under the question's id."""
    questions = questions_of(session, event_id)
    for question in questions:
        if question.required and not str(answers.get(question.id, "")).strip():
            raise SaleError(_("Please answer: {question}").format(question=question.label))
        if question.kind == "choice" and answers.get(question.id) and answers[question.id] not in question.options:
            raise SaleError(_("“{answer}” is not one of the answers to: {question}").format(
                answer=answers[question.id], question=question.label))
    known = {q.id for q in questions}
    return {k: v for k, v in answers.items() if k in known}


def _priced_rates(session: Session, sale: Sale, date: EventDate, zone: Zone) -> list[tuple[Rate, int]]:
    if not sale.lines or any(line.quantity < 1 for line in sale.lines):
        raise SaleError(_("Choose at least one ticket."))
    rates = {r.id: r for r in session.scalars(select(Rate).where(Rate.id.in_([ln.rate_id for ln in sale.lines])))}
    priced = []
    for line in sale.lines:
        rate = rates.get(line.rate_id)
        if rate is None or not rate_applies(rate, date, zone):
            raise SaleError(_("This rate is not valid for this date and zone."))
        if rate.kind == "pass_only":
            raise SaleError(_("The rate {rate} is for pass holders only.").format(rate=rate.name))
        priced.append((rate, line.quantity))
    return priced


def _load(session: Session, sale: Sale) -> tuple[EventDate, Event, Zone]:
    date = session.get(EventDate, sale.date_id)
    event = session.get(Event, date.event_id) if date is not None else None
    zone = session.get(Zone, sale.zone_id)
    if date is None or date.deleted or event is None or event.deleted:
        raise SaleError(_("This date no longer exists."))
    if zone is None or zone.deleted or zone.event_id != event.id:
        raise SaleError(_("This zone is not part of “{event}”.").format(event=event.name))
    return date, event, zone


def check_sale(session: Session, sale: Sale, now: datetime | None = None) -> list[tuple[Rate, int]]:
    """Every rule a desk sale must pass, with the reason in plain words; returns the rates and quantities."""
    date, event, zone = _load(session, sale)
    _check_date_open(session, date, event, now or datetime.now(UTC))
    priced = _priced_rates(session, sale, date, zone)
    quantity = sum(q for _rate, q in priced)
    if quantity > MAX_TICKETS:
        raise SaleError(ngettext("At most {n} ticket in one order.",
                                 "At most {n} tickets in one order.", MAX_TICKETS).format(n=MAX_TICKETS))
    left = places_left(session, sale.date_id, sale.zone_id)
    if quantity > left:
        if not left:
            raise SaleError(_("{zone} is sold out for this date.").format(zone=zone.name))
        raise SaleError(ngettext("Only {n} place is left in {zone}.", "Only {n} places are left in {zone}.", left)
                        .format(n=left, zone=zone.name))
    _check_seats(session, sale, zone, quantity)
    if sale.payment_method not in PAYMENT_METHODS:
        raise SaleError(_("Unknown payment method “{method}”.").format(method=sale.payment_method))
    if sale.payment_method == "free" and any(rate.price_minor for rate, _q in priced):
        raise SaleError(_("Only free rates can be given away; choose how the customer pays."))
    return priced


def sell(work: UnitOfWork, sale: Sale, now: datetime | None = None, stock: bool = False) -> SoldOrder:
    """Record one desk order with its tickets in the caller's transaction (T5).

    With `stock`, the tickets are printed in advance for sale at the door or desk and sold to nobody
    yet (D6): the order has the STOCK status, no customer, nothing paid and no place in the day's
    takings (no sold_at); its places are taken like a sale's, and quick cancel puts them back on sale.
    """
    session = work.session
    priced = check_sale(session, sale, now)
    date = session.get(EventDate, sale.date_id)
    assert date is not None
    answers = {} if stock else _check_answers(session, date.event_id, sale.answers)
    total = 0 if stock else sum(rate.price_minor * q for rate, q in priced)
    currency = priced[0][0].currency
    method = "free" if total == 0 else sale.payment_method
    order_id, number = uuid7(), next_order_number(session, work.device_id)
    name = "" if stock else sale.customer_name.strip()
    if stock:
        sale = replace(sale, customer_email="", customer={})
    seats = iter(sale.seat_ids)
    tickets: list[dict[str, Any]] = []
    ticket_ids = iter(uuid7_batch(sum(q for _r, q in priced)))
    for rate, quantity in priced:
        for _i in range(quantity):
            tickets.append({"id": next(ticket_ids), "order_id": order_id, "event_id": date.event_id,
                            "date_id": date.id, "zone_id": sale.zone_id, "seat_id": next(seats, None),
                            "rate_id": rate.id, "secret": new_secret(), "holder_name": name,
                            "price_minor": rate.price_minor, "currency": rate.currency, "state": "valid"})
    order = {"id": order_id, "number": number, "customer_name": name, "customer_email": sale.customer_email.strip(),
             "customer": dict(sale.customer), "answers": answers, "payment_method": method, "total_minor": total,
             "currency": currency, "status": STOCK if stock else "paid", "device_id": work.device_id,
             "sold_at": None if stock else (now or datetime.now(UTC)).isoformat()}
    work.run(SaleRecord.model_validate({"order": order, "tickets": tickets}))
    if sale.seat_ids:
        # A seat a pass holder put on resale (P5) is settled as soon as it is sold again, payout included.
        resale.settle_resales(work, sale.date_id, sale.seat_ids)
    return SoldOrder(order_id, number, total, currency, [str(t["id"]) for t in tickets], method)


def cancel(work: UnitOfWork, order_id: str, ticket_ids: Sequence[str] | None = None, refund_method: str | None = None,
           reason: str = "") -> list[str]:
    """Cancel a whole order or some of its tickets; their places go back on sale and each paid
    ticket gets a Refund row (by `refund_method`, default the order's payment method)."""
    order = work.session.get(Order, order_id)
    if order is None or order.deleted:
        raise SaleError(_("This order no longer exists."))
    tickets = list(work.session.scalars(select(Ticket).where(Ticket.order_id == order_id)))
    chosen = [t for t in tickets if ticket_ids is None or t.id in ticket_ids]
    if ticket_ids is not None and len(chosen) != len(set(ticket_ids)):
        raise SaleError(_("A ticket to cancel is not part of the order {number}.").format(number=order.number))
    valid = [t for t in chosen if t.state == "valid"]
    if not valid:
        raise SaleError(_("Nothing to cancel: the order {number} has no valid ticket left.").format(
            number=order.number) if ticket_ids is None else _("These tickets are already cancelled."))
    method = refund_method or order.payment_method
    # Printed stock was never paid for: cancelling it refunds nothing.
    refunds = [{"id": uuid7(), "order_id": order_id, "ticket_id": t.id, "amount_minor": t.price_minor,
                "method": method, "reason": reason} for t in valid if t.price_minor and order.status != STOCK]
    work.run(SaleCancel.model_validate({"order_id": order_id, "ticket_ids": [t.id for t in valid],
                                        "refunds": refunds, "cancelled_at": datetime.now(UTC).isoformat()}))
    return [t.id for t in valid]
