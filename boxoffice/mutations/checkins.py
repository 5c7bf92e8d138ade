# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mutations of the door: append-only check-ins (D4–D10) and quick cancel of printed unsold tickets (D6)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any, cast

from pydantic import StringConstraints
from sqlalchemy import Connection, Table, bindparam, insert, select, update

from boxoffice.i18n import N_
from boxoffice.model.checkins import CheckIn
from boxoffice.model.devices import Conflict
from boxoffice.model.sales import STOCK, Order, Ticket
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import Id, MutationArgs, Name, Note, Time
from boxoffice.store.ids import uuid7
from sync.protocol import scope_of

DOOR_ROLES = ("organizer", "desk", "door")
# A door's name as a scan records it: what the door's screen and the double-entry banner show.
DOOR_NAME_MAX = 120
_CHECKINS = cast(Table, CheckIn.__table__)
_TICKETS = cast(Table, Ticket.__table__)
_CONFLICTS = cast(Table, Conflict.__table__)
_ORDERS = cast(Table, Order.__table__)
# Core, not the ORM: this runs once per scan on the door's hot path (DESIGN: Scanning facts).
_INSERT = insert(_CHECKINS)
_EXISTS = select(_CHECKINS.c.id).where(_CHECKINS.c.id == bindparam("id"))
_OPTIONAL = ("ticket_id", "guest_id", "pass_id", "date_id", "zone_id")
# Control characters (a CR/LF or an escape sequence in a log or a banner), surrogates, line and paragraph separators.
_NOT_IN_NAMES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_ORDER_OF_TICKET = (select(_ORDERS.c.number, _ORDERS.c.status)
                    .select_from(_TICKETS.outerjoin(_ORDERS, _ORDERS.c.id == _TICKETS.c.order_id))
                    .where(_TICKETS.c.id == bindparam("id")))


def door_name_problem(name: object) -> MutationRejected | None:
    """Why `name` cannot be a door's name in a check-in (empty, too long, control characters), else None."""
    if not isinstance(name, str) or not name.strip():
        return MutationRejected(N_("a check-in needs the name of its door"))
    if len(name) > DOOR_NAME_MAX:
        return MutationRejected(N_("a door's name has at most {most} characters"), most=DOOR_NAME_MAX)
    if any(unicodedata.category(c) in _NOT_IN_NAMES for c in name):
        return MutationRejected(N_("a door's name cannot hold control characters or line breaks"))
    return None


def clean_door_name(name: str, fallback: str) -> str:
    """A name typed at the door made one the server takes: control characters and line breaks are
    spaces, runs of spaces one, cut to DOOR_NAME_MAX; `fallback` when nothing is left."""
    spaced = "".join(" " if unicodedata.category(c) in _NOT_IN_NAMES else c for c in name)
    return " ".join(spaced.split())[:DOOR_NAME_MAX].strip() or fallback


# Plain strings to the type checker (the door's set-up holds them as such), one of two values to pydantic.
_Direction = Annotated[str, StringConstraints(strict=True, pattern=r"^(in|out)$")]
_Verdict = Annotated[str, StringConstraints(strict=True, pattern=r"^(admitted|refused)$")]


class CheckInRecord(MutationArgs):
    """One scan as the door logged it (D4): the code read, where, which way, the verdict and why."""

    mutation = "checkins.record"
    id: Id
    code: Note  # a QR code holds at most 2,953 bytes; what is stored is cut to 512 characters
    door: Name
    direction: _Direction
    verdict: _Verdict
    reason: Name
    scanned_at: Time
    mode: Name | None = None
    device_id: Id | None = None  # the scanning device when another one logs it; the server checks it is the pusher
    ticket_id: Id | None = None
    guest_id: Id | None = None
    pass_id: Id | None = None
    date_id: Id | None = None
    zone_id: Id | None = None


class TicketReturn(MutationArgs):
    mutation = "tickets.return_to_sale"
    id: Id


@mutator(CheckInRecord, roles=DOOR_ROLES, summary=lambda a: f"{a.verdict} {a.direction} at {a.door}: {a.reason}")
def record_checkin(ctx: MutationContext, args: CheckInRecord) -> Result:
    """Append one scan, keyed by the scan's UUIDv7; never rejected, a replay is a no-op.

    Check-ins from several offline doors merge as a set: a ticket's door state is derived from
    them in HLC order, and two admissions of one ticket become a conflict on the server.
    """
    connection = ctx.session.connection()
    if ctx.on_server and connection.execute(_EXISTS, {"id": args.id}).first():
        return {"id": args.id, "recorded": False}
    values = {name: getattr(args, name) for name in _OPTIONAL}
    for entity, key in (("tickets", "ticket_id"), ("guests", "guest_id"), ("passes", "pass_id"),
                        ("event_dates", "date_id")):
        ctx.require_owned(entity, values[key])
    ctx.touch("checkins", args.id, scope_of("checkins", values))
    if ctx.on_server and args.verdict == "admitted" and args.direction == "in" and args.mode != "multi":
        _find_double_entry(ctx, args, values)
    connection.execute(_INSERT, {
        **values, "id": args.id, "code": args.code[:512], "door": args.door[:120],
        "device_id": args.device_id or ctx.device_id, "direction": args.direction,
        "verdict": args.verdict, "reason": args.reason,
        "scanned_at": datetime.fromisoformat(args.scanned_at).astimezone(UTC), "hlc": ctx.hlc,
    })
    return {"id": args.id, "recorded": True}


# The table each kind of holder lives in (a conflict names it; "pass" + "s" is not "passes").
_HOLDER_TABLES = {"ticket_id": "tickets", "guest_id": "guests", "pass_id": "passes"}


def _find_double_entry(ctx: MutationContext, args: CheckInRecord, values: dict[str, Any]) -> None:
    """D10: two doors that were offline both admitted one holder. Nothing can prevent it; once
    both have synced the server records it for the doors' banner and the organizer's list."""
    holder = next(((name, values[name]) for name in ("ticket_id", "guest_id", "pass_id") if values[name]), None)
    if holder is None:
        return
    column = _CHECKINS.c[holder[0]]
    history = ctx.session.execute(
        select(_CHECKINS.c.device_id, _CHECKINS.c.door, _CHECKINS.c.direction, _CHECKINS.c.scanned_at)
        .where(column == holder[1], _CHECKINS.c.date_id.is_(values["date_id"]) if values["date_id"] is None
               else _CHECKINS.c.date_id == values["date_id"], _CHECKINS.c.verdict == "admitted")
        .order_by(_CHECKINS.c.hlc)).all()
    if not history or history[-1].direction != "in":
        return
    first = history[-1]
    device = args.device_id or ctx.device_id
    if first.device_id == device:
        return  # one door never admits twice by itself; a second scan there was its own decision
    conflict_id = uuid7()
    ctx.session.execute(insert(_CONFLICTS).values(
        id=conflict_id, kind="double_entry", entity=_HOLDER_TABLES[holder[0]], entity_id=holder[1],
        details={"first": f"{first.door} {first.scanned_at.isoformat(timespec='seconds')}",
                 "second": f"{args.door} {args.scanned_at[:19]}", "date_id": values["date_id"]},
        detected_at=datetime.now(UTC)))
    ctx.touch("conflicts", conflict_id, "organizer")


def sold_in_order(connection: Connection, ticket_id: str) -> str | None:
    """None when the ticket is printed stock (its order's status is STOCK), else the number of the
    order that sold it ('' for a ticket of no order, e.g. a pass's): quick cancel refuses those (D6).

    The door asks first, to say so at once in the door's language; the mutator asks again, on the
    device and on the server, so a forged push cannot void a paid ticket either.
    """
    row = connection.execute(_ORDER_OF_TICKET, {"id": ticket_id}).first()
    if row is not None and row.status == STOCK:
        return None
    return (row.number if row is not None else None) or ""


@mutator(TicketReturn, roles=DOOR_ROLES, summary=lambda a: f"put ticket {a.id} back on sale")
def return_to_sale(ctx: MutationContext, args: TicketReturn) -> Result:
    """Quick cancel (D6): a printed ticket that was never sold nor used goes back on sale ('unsold')."""
    ctx.require_owned("tickets", args.id)
    row = ctx.session.execute(select(_TICKETS.c.state, _TICKETS.c.date_id).where(_TICKETS.c.id == args.id)).first()
    if row is None:
        raise MutationRejected(N_("the ticket {id} does not exist"), id=args.id)
    if ctx.dates is not None and row.date_id not in ctx.dates:
        raise MutationRejected(N_("this device is not enrolled for the date {date_id}"), date_id=row.date_id)
    sold = sold_in_order(ctx.session.connection(), args.id)
    if sold is not None:
        # A paid ticket's holder would be refused at the door while the order stays paid: only the
        # desk may cancel a sale, with its refund.
        raise MutationRejected(N_("the ticket {id} was sold (order {sold}), it is not unsold stock: cancel it from the "
                                  "desk"),
                               id=args.id, sold=sold or 'none')
    if row.state != "valid":
        raise MutationRejected(N_("the ticket {id} is {state}, it cannot go back on sale"),
                               id=args.id, state=row.state)
    if ctx.on_server and ctx.session.execute(select(_CHECKINS.c.id).where(
            _CHECKINS.c.ticket_id == args.id, _CHECKINS.c.verdict == "admitted").limit(1)).first():
        # Another door admitted it while this one was offline: it was used, not unsold stock.
        raise MutationRejected(N_("the ticket {id} was already admitted, it cannot go back on sale"), id=args.id)
    ctx.session.execute(update(_TICKETS).where(_TICKETS.c.id == args.id)
                        .values(state="unsold", hlc=ctx.hlc))
    ctx.touch("tickets", args.id, f"date:{row.date_id}")
    return {"id": args.id, "state": "unsold"}
