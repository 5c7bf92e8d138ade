# SPDX-License-Identifier: AGPL-3.0-or-later
"""Selling a pass at the desk (P1, P2, P4), offline like a ticket sale: an order, the pass and its secret.

A pass with fixed seats holds its seat for every coming date of the events it admits: it is sold
with one pass ticket per date on that seat, so the seat is taken at the desk and counted in the
zone's capacity like any sold ticket, and a holder can put one date's seat back on sale (P5).
Writes go through the `passes.sell` mutator in the caller's unit of work; nothing here commits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.devices import LocalDevice
from boxoffice.model.events import Event, EventDate, Seat, Zone
from boxoffice.model.passes import Pass, PassDefinition
from boxoffice.model.sales import Order
from boxoffice.mutations.passes import PassSaleRecord
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import resale, sales
from boxoffice.services.passes import PassError, check_holder, get_definition, holder_fields_of, holder_name
from boxoffice.store.ids import new_secret, uuid7, uuid7_batch


@dataclass(frozen=True)
class PassSale:
    """What the desk asks for: a definition, the holder's fields, a photo, a seat when seats are fixed."""

    definition_id: str
    holder: dict[str, Any] = field(default_factory=dict)
    photo: bytes | None = None
    seat_id: str | None = None
    payment_method: str = "cash"
    customer_email: str = ""


@dataclass(frozen=True)
class SoldPass:
    order_id: str
    number: str
    pass_id: str
    secret: str
    total_minor: int
    currency: str
    ticket_ids: list[str]
    area_key: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"order": self.order_id, "number": self.number, "pass": self.pass_id, "secret": self.secret,
                "total_minor": self.total_minor, "currency": self.currency, "tickets": self.ticket_ids}


def _seat_label(zone: Zone, seat: Seat) -> str:
    return _("{zone}, row {row}, seat {number}").format(zone=zone.name, row=seat.row, number=seat.number)


def seats_held(session: Session, definition: PassDefinition, seat_id: str) -> list[tuple[EventDate, Zone, Seat]]:
    """The seat a fixed-seat pass holds on each coming date: the same zone name, row and number in
    every event the pass admits (a season's events each have their own hall plan)."""
    chosen = session.get(Seat, seat_id)
    zone = session.get(Zone, chosen.zone_id) if chosen is not None else None
    if chosen is None or chosen.deleted or zone is None or zone.event_id not in definition.event_ids:
        raise PassError(_("This seat is not in an event the pass admits."))
    held = []
    now = datetime.now(UTC)
    for event_id in definition.event_ids:
        match = session.execute(select(Zone, Seat).join(Seat, Seat.zone_id == Zone.id).where(
            Zone.event_id == event_id, Zone.name == zone.name, Zone.deleted.is_(False), Seat.deleted.is_(False),
            Seat.row == chosen.row, Seat.number == chosen.number)).first()
        dates = list(session.scalars(select(EventDate).where(
            EventDate.event_id == event_id, EventDate.deleted.is_(False), EventDate.status != "cancelled",
            EventDate.starts_at > now).order_by(EventDate.starts_at)))
        if dates and match is None:
            event = session.get(Event, event_id)
            raise PassError(_("“{event}” has no seat {seat}.").format(
                event=event.name if event else event_id, seat=_seat_label(zone, chosen)))
        held += [(d, match[0], match[1]) for d in dates] if match else []
    return held


def _check_seats_free(session: Session, held: list[tuple[EventDate, Zone, Seat]]) -> None:
    for date, zone, seat in held:
        # A seat another holder put on resale is for the desk's single-ticket buyers, not for a new pass.
        if sales.taken_seats(session, date.id, [seat.id]) or resale.seat_on_resale(session, date.id, seat.id):
            raise PassError(_("The seat {seat} is already sold for {date}.").format(
                seat=_seat_label(zone, seat), date=date.starts_at.astimezone().strftime("%d.%m.%Y %H:%M")))
        if sales.places_left(session, date.id, zone.id) < 1:
            raise PassError(_("{zone} is sold out for {date}.").format(
                zone=zone.name, date=date.starts_at.astimezone().strftime("%d.%m.%Y %H:%M")))


def _pass_tickets(definition: PassDefinition, held: list[tuple[EventDate, Zone, Seat]], order_id: str,
                  pass_id: str, name: str) -> list[dict[str, Any]]:
    return [{"id": ticket_id, "order_id": order_id, "event_id": date.event_id, "date_id": date.id,
             "zone_id": zone.id, "seat_id": seat.id, "rate_id": None, "secret": new_secret(), "holder_name": name,
             "price_minor": 0, "currency": definition.currency, "state": "valid", "pass_id": pass_id}
            for ticket_id, (date, zone, seat) in zip(uuid7_batch(len(held)), held, strict=True)]


def check_pass_sale(session: Session, sale: PassSale) -> tuple[PassDefinition, dict[str, str], list[Any]]:
    """Every rule a pass sale must pass; returns the definition, the cleaned holder and the seats held."""
    definition = get_definition(session, sale.definition_id)
    if definition.archived_at is not None:
        raise PassError(_("“{name}” is archived: it is no longer sold. Restore it on the Passes page to sell it "
                          "again.").format(name=definition.name))
    holder = check_holder(definition, sale.holder, sale.photo)
    if sale.payment_method not in sales.PAYMENT_METHODS:
        raise PassError(_("Unknown payment method “{method}”.").format(method=sale.payment_method))
    if sale.payment_method == "free" and definition.price_minor:
        raise PassError(_("Only free passes can be given away; choose how the customer pays."))
    held: list[Any] = []
    if definition.fixed_seats:
        if not sale.seat_id:
            raise PassError(_("This pass has fixed seats: choose the holder's seat."))
        held = seats_held(session, definition, sale.seat_id)
        _check_seats_free(session, held)
    elif sale.seat_id:
        raise PassError(_("This pass has no fixed seats."))
    return definition, holder, held


def sell_pass(work: UnitOfWork, sale: PassSale, now: datetime | None = None) -> SoldPass:
    """Record an order with one pass (and its pass tickets for fixed seats) in the caller's transaction."""
    definition, holder, held = check_pass_sale(work.session, sale)
    photo = sale.photo if any(f.name == "photo" for f in holder_fields_of(definition)) else None
    # Two secrets: the QR code's, which doors hold to check it, and the pass area's, which they never get.
    order_id, pass_id, secret, area_key = uuid7(), uuid7(), new_secret(), new_secret()
    number = sales.next_order_number(work.session, work.device_id)
    name = holder_name(holder)
    total = definition.price_minor
    order = {"id": order_id, "number": number, "customer_name": name,
             "customer_email": sale.customer_email.strip() or holder.get("email", ""), "customer": dict(holder),
             "answers": {}, "payment_method": "free" if total == 0 else sale.payment_method, "total_minor": total,
             "currency": definition.currency, "status": "paid", "device_id": work.device_id,
             "sold_at": (now or datetime.now(UTC)).isoformat()}
    tickets = _pass_tickets(definition, held, order_id, pass_id, name)
    row = {"id": pass_id, "definition_id": definition.id, "order_id": order_id, "secret": secret,
           "area_key": area_key, "holder": holder,
           "photo": base64.b64encode(photo).decode() if photo else None, "seat_id": sale.seat_id if held else None}
    work.run(PassSaleRecord.model_validate({"order": order, "pass": row, "tickets": tickets}))
    return SoldPass(order_id, number, pass_id, secret, total, definition.currency, [t["id"] for t in tickets],
                    area_key)


# The pass area link --------------------------------------------------------------------------------

def area_token(pass_id: str, area_key: str) -> str:
    """The pass area's address part: the pass id and a tag only its area key gives, so any desk or
    organizer device can print the link offline. The key is not the QR secret: a door holds that one
    to check pass codes, and must not be able to open the holder's pass area (docs/roles.md)."""
    tag = hmac.new(area_key.encode(), b"boxoffice pass area", hashlib.sha256).digest()[:15]
    return f"{pass_id}.{base64.b32encode(tag).decode().lower()}"


def pass_for_token(session: Session, token: str) -> Pass | None:
    """The pass a pass-area token belongs to, or None; compared in constant time."""
    pass_id, _dot, _tag = token.partition(".")
    held = session.get(Pass, pass_id) if pass_id else None
    if held is None or held.deleted or not held.area_key:
        return None
    if not hmac.compare_digest(area_token(held.id, held.area_key), token):
        return None
    return held


def pass_area_link(session: Session, pass_id: str, server_url: str = "") -> str | None:
    """The holder's pass-area address on `server_url` (default: the server this copy syncs with), or None."""
    held = session.get(Pass, pass_id)
    device = session.scalars(select(LocalDevice)).first()
    base = (server_url or (device.server_url if device is not None else "")).rstrip("/")
    if held is None or not base or not held.area_key:
        return None  # no area key: a pass sold before it had one, until its key arrives from the server
    return f"{base}/pass/{area_token(held.id, held.area_key)}"


# Reading -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PassRow:
    """A sold pass as the Passes page lists it."""

    id: str
    holder: str
    definition: str
    order_number: str
    seat: str
    state: str
    credit_minor: int


def sold_passes(session: Session, search: str = "", limit: int = 500) -> list[PassRow]:
    """Sold passes, newest first; `search` matches the holder's name or the order number."""
    query = (select(Pass, PassDefinition.name, Order.number, Seat, Zone.name)
             .join(PassDefinition, PassDefinition.id == Pass.definition_id)
             .outerjoin(Order, Order.id == Pass.order_id).outerjoin(Seat, Seat.id == Pass.seat_id)
             .outerjoin(Zone, Zone.id == Seat.zone_id).where(Pass.deleted.is_(False))
             .order_by(Pass.id.desc()).limit(limit * 4 if search else limit))
    rows = []
    needle = search.strip().lower()
    for held, definition, number, seat, zone in session.execute(query):
        name = holder_name(held.holder)
        if needle and needle not in name.lower() and needle not in (number or "").lower():
            continue
        seat_text = _("{zone}, row {row}, seat {number}").format(zone=zone, row=seat.row, number=seat.number) \
            if seat is not None else ""
        rows.append(PassRow(held.id, name, definition, number or "", seat_text, held.state, held.credit_minor))
    return rows[:limit]


def seat_choices(session: Session, definition_id: str) -> list[tuple[str, str]]:
    """(seat id, label) of the seats a fixed-seat pass can still take: the seated zones of the first event
    it admits that has some, without the seats sold on any of that event's coming dates."""
    definition = get_definition(session, definition_id)
    now = datetime.now(UTC)
    for event_id in definition.event_ids:
        seats = session.execute(select(Seat, Zone).join(Zone, Zone.id == Seat.zone_id).where(
            Zone.event_id == event_id, Zone.seated.is_(True), Zone.deleted.is_(False), Seat.deleted.is_(False))).all()
        if not seats:
            continue
        dates = session.scalars(select(EventDate.id).where(EventDate.event_id == event_id,
                                                           EventDate.deleted.is_(False), EventDate.starts_at > now))
        taken: set[str] = set()
        for date_id in dates:
            taken |= sales.taken_seats(session, date_id)
        free = [(seat, zone) for seat, zone in seats if seat.id not in taken]
        free.sort(key=lambda pair: (pair[1].name, pair[0].row, int(pair[0].number) if pair[0].number.isdigit()
                                    else 0, pair[0].number))
        return [(seat.id, _seat_label(zone, seat)) for seat, zone in free]
    return []
