# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mutations of passes: sell a pass (P1, P2), put a pass seat on resale, settle and pay out resales (P5).

Orders, tickets and resales are decided by the server (DESIGN: merge policies): the pass sale goes
through the desk's own sale checks (leases, capacity, seats), and a resale is re-checked against
the server's rows, so a seat is never offered twice nor resold twice.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Annotated, Any, cast

from pydantic import ConfigDict, Field, StringConstraints
from sqlalchemy import Table, select, update

from boxoffice.i18n import N_
from boxoffice.model.passes import Pass, PassDefinition, Resale
from boxoffice.model.sales import Ticket
from boxoffice.mutations import Args, MutationContext, MutationRejected, Result, mutator, sales
from boxoffice.mutations.args import Id, Int64, MutationArgs, Name, Row, Time
from boxoffice.store.ids import new_secret

_TICKETS = cast(Table, Ticket.__table__)
ACTIVE = ("offered", "resold", "paid")


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


# A holder's photo as base64 text: the pass editor takes pictures up to a few MB.
_Photo = Annotated[str, StringConstraints(strict=True, max_length=20_000_000)]


class PassRow(Row):
    """The pass a desk sold: its definition, order, QR secret, the area's key, the holder and photo."""

    id: Id
    definition_id: Id
    order_id: Id
    secret: Name
    area_key: Name | None = None  # older versions sent none: the server makes one
    holder: dict[Name, Any]
    photo: _Photo | None = None
    seat_id: Id | None = None


class PassSaleRecord(MutationArgs):
    """`pass` on the wire, as a Python name `sold`: `pass` is a keyword."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True)
    mutation = "passes.sell"
    order: sales.SaleOrder
    sold: PassRow = Field(alias="pass")
    tickets: list[sales.SaleTicket] = Field(max_length=10_000)


@mutator(PassSaleRecord, roles=sales.DESK_ROLES, summary=lambda a: f"sell pass {a.sold.id} in order {a.order.number}")
def sell(ctx: MutationContext, args: PassSaleRecord) -> Result:
    """Record the order, its pass tickets (through the desk's sale rules) and the pass."""
    row = args.sold.model_dump()
    if ctx.on_server and ctx.session.get(Pass, row["id"]) is not None:
        return {"id": row["id"], "recorded": False}
    definition = ctx.session.get(PassDefinition, row["definition_id"])
    ctx.require_owned("pass_definitions", row["definition_id"])
    if definition is None or definition.deleted:
        raise MutationRejected(N_("this pass definition does not exist"))
    tickets = [ticket.model_dump() for ticket in args.tickets]
    sales.sell(ctx, sales.SaleRecord(order=args.order, tickets=args.tickets))
    photo = base64.b64decode(row["photo"]) if row.get("photo") else None
    ctx.session.add(Pass(id=row["id"], definition_id=row["definition_id"], order_id=row["order_id"],
                         secret=row["secret"], area_key=_area_key(ctx, row), holder=row["holder"], photo=photo,
                         seat_id=row.get("seat_id"),
                         state="valid", credit_minor=0, hlc=ctx.hlc, field_hlc={}, created_at=datetime.now(UTC)))
    ctx.session.flush()
    if tickets:
        # The sale mutation knows no passes: link its tickets to the pass they belong to.
        ctx.session.execute(update(_TICKETS).where(_TICKETS.c.id.in_([t["id"] for t in tickets]))
                            .values(pass_id=row["id"]))
    ctx.touch("passes", row["id"], "organizer")
    return {"id": row["id"], "order": args.order.id, "tickets": len(tickets), "recorded": True}


def _area_key(ctx: MutationContext, row: Args) -> str | None:
    """The pass area's key as sold; a device of an older version sent none: the server makes one
    (the device receives it with the pass)."""
    key = row.get("area_key")
    if isinstance(key, str) and 16 <= len(key) <= 64:
        return key
    return new_secret() if ctx.on_server else None


def pass_ticket(ctx: MutationContext, pass_id: str, date_id: str) -> Any:
    return ctx.session.execute(select(_TICKETS.c.id, _TICKETS.c.state, _TICKETS.c.seat_id).where(
        _TICKETS.c.pass_id == pass_id, _TICKETS.c.date_id == date_id, _TICKETS.c.deleted.is_(False))).first()


# How a holder is paid for a seat resold: bank transfer, credit on the pass, or a gift to the organizer.
_PayoutKind = Annotated[str, StringConstraints(strict=True, pattern=r"^(transfer|credit|donation)$")]


class ResaleOffer(MutationArgs):
    """A pass holder's seat of one date put back on sale (P5), with how the holder is paid if it sells."""

    mutation = "resale.offer"
    id: Id
    pass_id: Id
    date_id: Id
    payout_kind: _PayoutKind
    iban: Name = ""  # checked by the service (boxoffice/services/iban.py) before it gets here
    account_holder: Name = ""


class ResaleSettle(MutationArgs):
    mutation = "resale.settle"
    id: Id
    ticket_id: Id
    payout_minor: Int64
    at: Time | None = None


class ResalePaid(MutationArgs):
    mutation = "resale.mark_paid"
    id: Id
    at: Time | None = None


@mutator(ResaleOffer, roles=sales.DESK_ROLES,
         summary=lambda a: f"put the seat of pass {a.pass_id} on resale for date {a.date_id}")
def offer(ctx: MutationContext, args: ResaleOffer) -> Result:
    """The pass ticket of that date goes back on sale ('unsold') and a resale is recorded."""
    if ctx.session.get(Resale, args.id) is not None:
        return {"id": args.id, "recorded": False}
    held = ctx.session.get(Pass, args.pass_id)
    ctx.require_owned("passes", args.pass_id)
    if held is None or held.deleted or held.state != "valid":
        raise MutationRejected(N_("this pass is not valid"))
    definition = ctx.session.get(PassDefinition, held.definition_id)
    if definition is None or not definition.fixed_seats or not (definition.resale or {}).get("active"):
        raise MutationRejected(N_("this pass has no resale campaign"))
    ticket = pass_ticket(ctx, held.id, args.date_id)
    taken = ctx.session.scalar(select(Resale.id).where(Resale.pass_id == held.id, Resale.date_id == args.date_id,
                                                       Resale.status.in_(ACTIVE), Resale.deleted.is_(False)))
    if ticket is None:
        raise MutationRejected(N_("this pass holds no seat on this date"))
    if taken is not None or ticket.state != "valid":
        raise MutationRejected(N_("this seat is already on resale for this date"))
    ctx.session.execute(update(_TICKETS).where(_TICKETS.c.id == ticket.id).values(state="unsold", hlc=ctx.hlc))
    ctx.session.add(Resale(
        id=args.id, pass_id=held.id, date_id=args.date_id, seat_id=ticket.seat_id, status="offered",
        payout_kind=args.payout_kind, percentage=int(definition.resale["percentage"]),
        iban=args.iban, account_holder=args.account_holder, payout_minor=0,
        hlc=ctx.hlc, field_hlc={}, created_at=datetime.now(UTC)))
    ctx.session.flush()
    ctx.touch("tickets", ticket.id, f"date:{args.date_id}")
    ctx.touch("resales", args.id, "organizer")
    return {"id": args.id, "ticket": ticket.id, "recorded": True}


@mutator(ResaleSettle, roles=sales.DESK_ROLES, summary=lambda a: f"resale {a.id} resold")
def settle(ctx: MutationContext, args: ResaleSettle) -> Result:
    """The seat was sold again: record the ticket and the payout; credit and donation are settled at once."""
    resale = ctx.session.get(Resale, args.id)
    if resale is None or resale.deleted:
        raise MutationRejected(N_("the resale {id} does not exist"), id=args.id)
    if resale.status != "offered":
        return {"id": resale.id, "status": resale.status, "recorded": False}
    ticket = ctx.session.get(Ticket, args.ticket_id)
    if (ticket is None or ticket.state != "valid" or ticket.pass_id is not None or ticket.date_id != resale.date_id
            or ticket.seat_id != resale.seat_id):
        raise MutationRejected(N_("this ticket is not the resold seat"))
    other = ctx.session.scalar(select(Resale.id).where(Resale.sold_ticket_id == ticket.id, Resale.id != resale.id))
    if other is not None:
        raise MutationRejected(N_("this ticket already settled another resale"))
    payout = args.payout_minor
    resale.sold_ticket_id, resale.payout_minor = ticket.id, payout
    resale.status = "resold" if resale.payout_kind == "transfer" else "paid"
    if resale.payout_kind == "credit":
        held = ctx.session.get(Pass, resale.pass_id)
        if held is not None:
            held.credit_minor += payout
            held.hlc = max(held.hlc, ctx.hlc)
            ctx.touch("passes", held.id, "organizer")
    if resale.status == "paid":
        resale.paid_at = _when(args.at) or datetime.now(UTC)
    resale.hlc = max(resale.hlc, ctx.hlc)
    ctx.session.flush()
    ctx.touch("resales", resale.id, "organizer")
    return {"id": resale.id, "status": resale.status, "payout_minor": payout, "recorded": True}


@mutator(ResalePaid, roles=("organizer",), summary=lambda a: f"resale {a.id} paid out")
def mark_paid(ctx: MutationContext, args: ResalePaid) -> Result:
    """The organizer transferred the payout to the holder's IBAN."""
    resale = ctx.session.get(Resale, args.id)
    if resale is None or resale.deleted:
        raise MutationRejected(N_("the resale {id} does not exist"), id=args.id)
    if resale.status == "paid":
        return {"id": resale.id, "status": "paid", "recorded": False}
    if resale.status != "resold":
        raise MutationRejected(N_("only a resold seat can be paid out"))
    resale.status, resale.paid_at = "paid", _when(args.at) or datetime.now(UTC)
    resale.hlc = max(resale.hlc, ctx.hlc)
    ctx.session.flush()
    ctx.touch("resales", resale.id, "organizer")
    return {"id": resale.id, "status": "paid", "recorded": True}
