"""Allotments: places of a date and zone leased to one desk while online, sold from offline.

The server decides every lease: it grants at most what is free — capacity minus valid tickets
minus what other desks leased and have not sold — so desks selling offline from their leases can
never oversell together. A desk only learns its grant by pulling its device scope.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, func, select

from boxoffice.i18n import N_
from boxoffice.model.events import Zone
from boxoffice.model.sales import Allotment, Ticket
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import Id, Int64, MutationArgs

_TICKETS = cast(Table, Ticket.__table__)


def leased_unsold(ctx: MutationContext, date_id: str, zone_id: str, except_id: str | None = None) -> int:
    query = select(func.coalesce(func.sum(Allotment.leased - Allotment.sold), 0)).where(
        Allotment.date_id == date_id, Allotment.zone_id == zone_id, Allotment.state == "active")
    if except_id is not None:
        query = query.where(Allotment.id != except_id)
    return int(ctx.session.scalar(query) or 0)


def free_places(ctx: MutationContext, date_id: str, zone_id: str, except_id: str | None = None) -> int:
    """What the server may still sell or lease for a date and zone."""
    zone = ctx.session.get(Zone, zone_id)
    if zone is None or zone.deleted:
        raise MutationRejected(N_("this zone no longer exists"))
    sold = ctx.session.scalar(select(func.count()).select_from(_TICKETS).where(
        _TICKETS.c.date_id == date_id, _TICKETS.c.zone_id == zone_id, _TICKETS.c.state == "valid",
        _TICKETS.c.deleted.is_(False))) or 0
    return max(0, zone.capacity - int(sold) - leased_unsold(ctx, date_id, zone_id, except_id))


class AllotmentRequest(MutationArgs):
    mutation = "allotments.request"
    id: Id
    date_id: Id
    zone_id: Id
    wanted: Int64


class AllotmentRelease(MutationArgs):
    mutation = "allotments.release"
    id: Id


@mutator(AllotmentRequest, roles=("desk",), summary=lambda a: f"ask for {a.wanted} places of date {a.date_id}")
def request(ctx: MutationContext, args: AllotmentRequest) -> Result:
    """On the device a pending lease of 0 places; on the server the grant, decided there."""
    ctx.require_owned("event_dates", args.date_id)
    ctx.require_owned("zones", args.zone_id)
    wanted = args.wanted
    if wanted <= 0:
        raise MutationRejected(N_("ask for at least one place"))
    if ctx.session.get(Allotment, args.id) is not None:
        return {"id": args.id, "recorded": False}
    granted = min(wanted, free_places(ctx, args.date_id, args.zone_id)) if ctx.on_server else 0
    state = ("active" if granted else "refused") if ctx.on_server else "requested"
    ctx.session.add(Allotment(id=args.id, device_id=ctx.device_id, date_id=args.date_id,
                              zone_id=args.zone_id, leased=granted, sold=0, state=state, hlc=ctx.hlc,
                              field_hlc={}, created_at=datetime.now(UTC)))
    ctx.session.flush()
    ctx.touch("allotments", args.id, f"device:{ctx.device_id}")
    return {"id": args.id, "leased": granted, "state": state}


@mutator(AllotmentRelease, roles=("desk", "organizer"), summary=lambda a: f"return lease {a.id}")
def release(ctx: MutationContext, args: AllotmentRelease) -> Result:
    """At closing (or when revoked) the unsold places of a lease go back to the server."""
    lease = ctx.session.get(Allotment, args.id)
    if lease is None:
        raise MutationRejected(N_("the lease {id} does not exist"), id=args.id)
    if lease.state == "active":
        lease.leased, lease.state = lease.sold, "returned"
        lease.hlc = max(lease.hlc, ctx.hlc)
        ctx.session.flush()
    ctx.touch("allotments", lease.id, f"device:{lease.device_id}")
    return {"id": lease.id, "state": lease.state}


def consume(ctx: MutationContext, device_id: str, date_id: str, zone_id: str, count: int) -> None:
    """A desk's sale takes its places from the desk's own active leases, oldest first."""
    leases = list(ctx.session.scalars(select(Allotment).where(
        Allotment.device_id == device_id, Allotment.date_id == date_id, Allotment.zone_id == zone_id,
        Allotment.state == "active").order_by(Allotment.id)))
    if sum(lease.leased - lease.sold for lease in leases) < count:
        raise MutationRejected(N_("this desk has no leased places left for this date and zone: "
                                  "go online to lease more"))
    for lease in leases:
        take = min(count, lease.leased - lease.sold)
        if take:
            lease.sold += take
            lease.hlc = max(lease.hlc, ctx.hlc)
            ctx.touch("allotments", lease.id, f"device:{device_id}")
            count -= take
    ctx.session.flush()
