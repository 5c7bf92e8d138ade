# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mutations of the door: append-only check-ins (D4–D10) and quick cancel of printed unsold tickets (D6)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, insert, select, update

from boxoffice.model.checkins import CheckIn
from boxoffice.model.sales import Ticket
from sync.mutators import Args, MutationContext, MutationRejected, Result, mutator

DOOR_ROLES = ("organizer", "desk", "door")
_CHECKINS = cast(Table, CheckIn.__table__)
_TICKETS = cast(Table, Ticket.__table__)
# Core, not the ORM: this runs once per scan on the door's hot path (DESIGN: Scanning facts).
_INSERT = insert(_CHECKINS)
_OPTIONAL = ("ticket_id", "guest_id", "pass_id", "date_id", "zone_id")


@mutator("checkins.record", roles=DOOR_ROLES,
         summary=lambda a: f"{a['verdict']} {a['direction']} at {a['door']}: {a['reason']}")
def record_checkin(ctx: MutationContext, args: Args) -> Result:
    """Append one scan, keyed by the scan's UUIDv7; never rejected, a replay is a no-op.

    Check-ins from several offline doors merge as a set: a ticket's door state is derived from
    them in HLC order, and two admissions of one ticket become a conflict on the server.
    """
    if ctx.on_server and ctx.session.execute(select(_CHECKINS.c.id).where(_CHECKINS.c.id == args["id"])).first():
        return {"id": args["id"], "recorded": False}
    values = {name: args.get(name) for name in _OPTIONAL}
    ctx.session.connection().execute(_INSERT, {
        **values, "id": args["id"], "code": args["code"][:512], "door": args["door"][:120],
        "device_id": args.get("device_id") or ctx.device_id, "direction": args["direction"],
        "verdict": args["verdict"], "reason": args["reason"],
        "scanned_at": datetime.fromisoformat(args["scanned_at"]).astimezone(UTC), "hlc": ctx.hlc,
    })
    return {"id": args["id"], "recorded": True}


@mutator("tickets.return_to_sale", roles=DOOR_ROLES, summary=lambda a: f"put ticket {a['id']} back on sale")
def return_to_sale(ctx: MutationContext, args: Args) -> Result:
    """Quick cancel (D6): a printed ticket that was never sold nor used goes back on sale ('unsold')."""
    row = ctx.session.execute(select(_TICKETS.c.state).where(_TICKETS.c.id == args["id"])).first()
    if row is None:
        raise MutationRejected(f"the ticket {args['id']} does not exist")
    if row.state != "valid":
        raise MutationRejected(f"the ticket {args['id']} is {row.state}, it cannot go back on sale")
    ctx.session.execute(update(_TICKETS).where(_TICKETS.c.id == args["id"])
                        .values(state="unsold", hlc=ctx.hlc))
    return {"id": args["id"], "state": "unsold"}
