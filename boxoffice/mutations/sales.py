"""Mutations of the desk: sell tickets in an order, cancel and refund orders or single tickets (T5).

Orders and tickets are decided by the server (DESIGN: merge policies): on the server these
mutators re-check capacity and seats against its own rows and reject a sale that would
oversell. On the device the sale service has already checked, inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import Field
from sqlalchemy import Table, func, select, update

from boxoffice.i18n import N_
from boxoffice.model.events import Zone
from boxoffice.model.sales import Order, Refund, Ticket
from boxoffice.mutations import MutationContext, MutationRejected, Result, allotments, mutator
from boxoffice.mutations.args import Id, Int64, MutationArgs, Name, Note, Row, Time
from boxoffice.store.bulk import insert_rows

DESK_ROLES = ("organizer", "desk")
_TICKETS = cast(Table, Ticket.__table__)
ORDER_FIELDS = ("id", "number", "customer_name", "customer_email", "customer", "answers", "payment_method",
                "total_minor", "currency", "status", "device_id", "sold_at")
TICKET_FIELDS = ("id", "order_id", "event_id", "date_id", "zone_id", "seat_id", "rate_id", "secret",
                 "holder_name", "price_minor", "currency", "state")
REFUND_FIELDS = ("id", "order_id", "ticket_id", "amount_minor", "method", "reason")


class SaleOrder(Row):
    """The order of a desk sale as the desk made it (ORDER_FIELDS): number, customer, payment, total."""

    id: Id
    number: Name | None = None
    customer_name: Name | None = None
    customer_email: Name | None = None
    customer: dict[Name, Any] | None = None  # the customer's other fields, as the desk's form asked them
    answers: dict[Name, Any] | None = None  # the event's questions answered at the desk
    payment_method: Name | None = None
    total_minor: Int64 | None = None
    currency: Name | None = None
    status: Name | None = None
    device_id: Id | None = None
    sold_at: Time | None = None


class SaleTicket(Row):
    """One ticket of a sale (TICKET_FIELDS), with its secret and price; a pass's names its pass."""

    id: Id
    order_id: Id | None = None
    event_id: Id | None = None
    date_id: Id
    zone_id: Id
    seat_id: Id | None = None
    rate_id: Id | None = None
    secret: Name | None = None
    holder_name: Name | None = None
    price_minor: Int64 | None = None
    currency: Name | None = None
    state: Name | None = None
    pass_id: Id | None = None


class SaleRecord(MutationArgs):
    mutation = "sales.sell"
    order: SaleOrder
    tickets: list[SaleTicket] = Field(max_length=10_000)


class SaleRefund(Row):
    id: Id
    order_id: Id | None = None
    ticket_id: Id | None = None
    amount_minor: Int64 | None = None
    method: Name | None = None
    reason: Note | None = None


class SaleCancel(MutationArgs):
    mutation = "sales.cancel"
    order_id: Id
    ticket_ids: list[Id] = Field(max_length=10_000)
    refunds: list[SaleRefund] = Field(default=[], max_length=10_000)
    cancelled_at: Time | None = None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def require_parents(ctx: MutationContext, tickets: list[dict[str, Any]]) -> None:
    """The dates, zones, rates and events a sale names must be this organizer's own."""
    for entity, key in (("event_dates", "date_id"), ("zones", "zone_id"), ("rates", "rate_id"),
                        ("events", "event_id")):
        for row_id in {t.get(key) for t in tickets}:
            ctx.require_owned(entity, row_id)


def _per_date_zone(tickets: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    wanted: dict[tuple[str, str], int] = {}
    for ticket in tickets:
        key = (ticket["date_id"], ticket["zone_id"])
        wanted[key] = wanted.get(key, 0) + 1
    return wanted


def _recheck_on_server(ctx: MutationContext, tickets: list[dict[str, Any]]) -> None:
    """The server's own count: what every desk sold and what desks still hold in leases."""
    for (date_id, zone_id), count in _per_date_zone(tickets).items():
        zone = ctx.session.get(Zone, zone_id)
        if zone is None or zone.deleted:
            raise MutationRejected(N_("the zone of this sale no longer exists"))
        free = allotments.free_places(ctx, date_id, zone_id)
        if count > free:
            # The number stands apart from the noun: "1 places" cannot happen in any language.
            raise MutationRejected(N_("not enough places left in {zone}: {free}"), free=free, zone=zone.name)
    _check_seats(ctx, tickets)


def single_date(date_ids: Iterable[str]) -> str | None:
    """An order's date: the one its tickets share, else None (none, or several)."""
    found = set(date_ids)
    return found.pop() if len(found) == 1 else None


def _check_seats(ctx: MutationContext, tickets: list[dict[str, Any]]) -> None:
    seats = [(t["date_id"], t["seat_id"]) for t in tickets if t.get("seat_id")]
    for date_id, seat_id in seats:
        taken = ctx.session.scalar(select(_TICKETS.c.id).where(
            _TICKETS.c.date_id == date_id, _TICKETS.c.seat_id == seat_id, _TICKETS.c.state == "valid",
            _TICKETS.c.deleted.is_(False)).limit(1))
        if taken is not None:
            raise MutationRejected(N_("the seat {seat_id} is already sold for this date"), seat_id=seat_id)


@mutator(SaleRecord, roles=DESK_ROLES, summary=lambda a: f"sell order {a.order.number} with {len(a.tickets)} tickets")
def sell(ctx: MutationContext, args: SaleRecord) -> Result:
    """Record one desk order with its tickets; args carry every id, secret and price."""
    order, tickets = args.order.model_dump(), [ticket.model_dump() for ticket in args.tickets]
    if ctx.on_server and ctx.session.get(Order, order["id"]) is not None:
        return {"id": order["id"], "tickets": len(tickets), "recorded": False}
    require_parents(ctx, tickets)
    if ctx.role == "desk":
        # A desk sells only what it leased (DESIGN: allotments), offline or not; on the server
        # the same check runs against the leases the server granted.
        for (date_id, zone_id), count in _per_date_zone(tickets).items():
            allotments.consume(ctx, ctx.device_id, date_id, zone_id, count)
        if ctx.on_server:
            _check_seats(ctx, tickets)
    elif ctx.on_server:
        _recheck_on_server(ctx, tickets)
    now = datetime.now(UTC)
    order_row = (*(order.get(name) for name in ORDER_FIELDS[:-1]), _when(order.get("sold_at")))
    insert_rows(ctx.session, Order, (*ORDER_FIELDS, "date_id", "hlc", "created_at"),
                [(*order_row, single_date(t["date_id"] for t in tickets), ctx.hlc, now)])
    insert_rows(ctx.session, Ticket, (*TICKET_FIELDS, "hlc", "created_at"),
                [(*(t.get(name) for name in TICKET_FIELDS), ctx.hlc, now) for t in tickets])
    ctx.touch("orders", order["id"], "organizer")
    for ticket in tickets:
        ctx.touch("tickets", ticket["id"], f"date:{ticket['date_id']}")
    return {"id": order["id"], "tickets": len(tickets), "recorded": True}


@mutator(SaleCancel, roles=DESK_ROLES, summary=lambda a: f"cancel {len(a.ticket_ids)} tickets of order {a.order_id}")
def cancel(ctx: MutationContext, args: SaleCancel) -> Result:
    """Cancel tickets (their places go back on sale), record the refunds, close the order when empty."""
    order = ctx.session.get(Order, args.order_id)
    if order is None or order.deleted:
        raise MutationRejected(N_("the order {order_id} does not exist"), order_id=args.order_id)
    rows = ctx.session.execute(select(_TICKETS.c.id, _TICKETS.c.state, _TICKETS.c.date_id).where(
        _TICKETS.c.id.in_(args.ticket_ids), _TICKETS.c.order_id == order.id)).all()
    if len(rows) != len(set(args.ticket_ids)):
        raise MutationRejected(N_("some tickets are not part of this order"))
    valid = [row for row in rows if row.state == "valid"]
    when = _when(args.cancelled_at) or datetime.now(UTC)
    if valid:
        ctx.session.execute(update(_TICKETS).where(_TICKETS.c.id.in_([r.id for r in valid]))
                            .values(state="cancelled", cancelled_at=when, hlc=ctx.hlc))
    for row in valid:
        ctx.touch("tickets", row.id, f"date:{row.date_id}")
    refunds = [(*(getattr(r, name) for name in REFUND_FIELDS), ctx.hlc, datetime.now(UTC)) for r in args.refunds]
    insert_rows(ctx.session, Refund, (*REFUND_FIELDS, "hlc", "created_at"), refunds)
    for refund in args.refunds:
        ctx.touch("refunds", refund.id, "organizer")
    still_valid = ctx.session.scalar(select(func.count()).select_from(_TICKETS).where(
        _TICKETS.c.order_id == order.id, _TICKETS.c.state == "valid")) or 0
    if still_valid == 0 and order.status != "cancelled":
        order.status = "cancelled"
        order.hlc = max(order.hlc, ctx.hlc)
        ctx.session.flush()
    ctx.touch("orders", order.id, "organizer")
    return {"id": order.id, "cancelled": [r.id for r in valid], "status": order.status}
