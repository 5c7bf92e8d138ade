"""What a desk may still sell offline per date and zone, and asking the server for more (allotments).

A request is the `allotments.request` mutation: recorded in the outbox at once (a pending lease of
0 places), granted or refused by the server when it is pushed, and known here after the next pull.
So a desk can ask while offline too; the places arrive when it is next online.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.model.devices import LocalDevice
from boxoffice.model.events import Event, EventDate, Zone
from boxoffice.model.sales import Allotment
from boxoffice.mutations.allotments import AllotmentRelease, AllotmentRequest
from boxoffice.mutations.unit_of_work import UnitOfWork, Writer
from boxoffice.services.catalogue import sales_close_at
from boxoffice.store.ids import timestamp_ms, uuid7

MAX_REQUEST = 10_000


@dataclass(frozen=True)
class ZoneLease:
    """One zone of a date as this desk sees it: what it leased, sold, may still sell, and awaits."""

    zone_id: str
    zone: str
    leased: int
    sold: int
    requested: int
    refused_at: datetime | None  # when the last request was made, if the server refused it

    @property
    def left(self) -> int:
        return self.leased - self.sold

    @property
    def last_refused(self) -> bool:
        return self.refused_at is not None


def sells_from_leases(session: Session) -> bool:
    """A desk sells only what it leased; an organizer's copy sells from the zones' capacity."""
    device = session.scalars(select(LocalDevice)).first()
    return device is not None and device.role == "desk"


def leases_for(session: Session, date_id: str) -> list[ZoneLease]:
    """Every zone of the date with this desk's leases in it (requests still waiting counted apart)."""
    device = session.scalars(select(LocalDevice)).first()
    date = session.get(EventDate, date_id)
    if device is None or date is None:
        return []
    leased: dict[str, list[int]] = {}
    requested: dict[str, int] = {}
    last_state: dict[str, tuple[str, str]] = {}
    # Few rows per desk and date: ids are time-ordered, so the last one seen is the latest request.
    for allotment_id, zone_id, state, amount, sold in session.execute(
            select(Allotment.id, Allotment.zone_id, Allotment.state, Allotment.leased, Allotment.sold)
            .where(Allotment.device_id == device.id, Allotment.date_id == date_id).order_by(Allotment.id)):
        if state == "active":
            totals = leased.setdefault(zone_id, [0, 0])
            totals[0] += amount
            totals[1] += sold
        requested[zone_id] = requested.get(zone_id, 0) + (state == "requested")
        last_state[zone_id] = (allotment_id, state)
    zones = session.scalars(select(Zone).where(Zone.event_id == date.event_id, Zone.deleted.is_(False))
                            .order_by(Zone.name))
    return [ZoneLease(z.id, z.name, leased.get(z.id, [0, 0])[0], leased.get(z.id, [0, 0])[1],
                      requested.get(z.id, 0), _refused_at(last_state.get(z.id))) for z in zones]


def _refused_at(last: tuple[str, str] | None) -> datetime | None:
    """The time of the zone's last request (its id is a UUIDv7) if the server refused it."""
    if last is None or last[1] != "refused":
        return None
    return datetime.fromtimestamp(timestamp_ms(last[0]) / 1000, UTC)


def request_places(work: UnitOfWork, date_id: str, zone_id: str, wanted: int) -> str:
    """Ask the server for `wanted` more places of a date and zone; returns the request's id."""
    if not sells_from_leases(work.session):
        raise ValueError(_("Only a paired desk sells from leased places; this copy sells from the zones' capacity."))
    if not 0 < wanted <= MAX_REQUEST:
        raise ValueError(ngettext("Ask for between 1 and {n} place.",
                                  "Ask for between 1 and {n} places.", MAX_REQUEST).format(n=MAX_REQUEST))
    zone = work.session.get(Zone, zone_id)
    date = work.session.get(EventDate, date_id)
    if date is None or date.deleted or zone is None or zone.deleted or zone.event_id != date.event_id:
        raise ValueError(_("This zone is not part of the chosen date's event."))
    request_id = uuid7()
    work.run(AllotmentRequest(id=request_id, date_id=date_id, zone_id=zone_id, wanted=wanted))
    return request_id


@dataclass(frozen=True)
class LeasePolicy:
    """How a desk keeps its leases while online: ask for `batch` places when fewer than `low_water` are left;
    after a refusal, ask again by itself only `retry_refused_after` the refused request (the staff may sooner)."""

    low_water: int = 10
    batch: int = 50
    retry_refused_after: timedelta = timedelta(minutes=10)


def keep_leases(work: UnitOfWork, now: datetime, policy: LeasePolicy = LeasePolicy()) -> list[str]:
    """While online, after each sync: top up the leased zones running low, return the leases of closed dates.

    Returns the ids of the leases asked for or returned; nothing on a copy that is not a desk. A zone
    with a request still waiting (or refused less than `policy.retry_refused_after` ago) is not asked
    again, so a full or slow server is not flooded.
    """
    if not sells_from_leases(work.session):
        return []
    recorded = [_release(work, lease_id) for lease_id in _leases_to_return(work.session, now)]
    for date_id, zone_id, left, waiting in _open_zones(work.session, now, policy):
        if not waiting and left < policy.low_water:
            recorded.append(request_places(work, date_id, zone_id, policy.batch))
    return recorded


def _release(work: UnitOfWork, lease_id: str) -> str:
    work.run(AllotmentRelease(id=lease_id))
    return lease_id


def _leases_to_return(session: Session, now: datetime) -> list[str]:
    """Active leases of dates whose sales closed, or that are no longer on sale: their unsold places go back."""
    device = session.scalars(select(LocalDevice)).first()
    if device is None:
        return []
    rows = session.execute(select(Allotment.id, EventDate, Event).join(EventDate, EventDate.id == Allotment.date_id)
                           .join(Event, Event.id == EventDate.event_id)
                           .where(Allotment.device_id == device.id, Allotment.state == "active")).all()
    return [lease_id for lease_id, date, event in rows if not _selling(date, event, now)]


def _selling(date: EventDate, event: Event, now: datetime) -> bool:
    if date.deleted or event.deleted or event.status in ("draft", "cancelled", "closed") or date.status != "on_sale":
        return False
    closes = sales_close_at(event, date)
    return (closes is None or now < closes) and date.starts_at > now - timedelta(hours=12)


def _open_zones(session: Session, now: datetime, policy: LeasePolicy) -> list[tuple[str, str, int, bool]]:
    """(date, zone, places left, request waiting) for the zones this desk sells from: those it holds a lease in.

    Only zones the staff started leasing are topped up; asking for every zone of every date would
    hold places back from the other desks and the organizer's own sales.
    """
    dates = session.execute(select(EventDate, Event).join(Event, Event.id == EventDate.event_id)
                            .where(EventDate.deleted.is_(False), Event.kind == "ticketing")).all()
    found: list[tuple[str, str, int, bool]] = []
    for date, event in dates:
        if _selling(date, event, now):
            # After a refusal, asking again at each sync would flood a full server: wait a while first.
            found.extend((date.id, lease.zone_id, lease.left, lease.requested > 0 or (
                lease.refused_at is not None and now - lease.refused_at < policy.retry_refused_after))
                for lease in leases_for(session, date.id) if lease.leased > 0)
    return found


def keep_leases_now(writer: Writer, policy: LeasePolicy = LeasePolicy()) -> bool:
    """`keep_leases` in a transaction of its own, as the sync worker calls it after each sync; True if it asked."""
    with writer.transaction() as work:
        return bool(keep_leases(work, datetime.now(UTC), policy))
