"""What a desk may still sell offline per date and zone, and asking the server for more (allotments).

A request is the `allotments.request` mutation: recorded in the outbox at once (a pending lease of
0 places), granted or refused by the server when it is pushed, and known here after the next pull.
So a desk can ask while offline too; the places arrive when it is next online.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.devices import LocalDevice
from boxoffice.model.events import EventDate, Zone
from boxoffice.model.sales import Allotment
from boxoffice.store.ids import uuid7
from boxoffice.store.unit_of_work import UnitOfWork

MAX_REQUEST = 10_000


@dataclass(frozen=True)
class ZoneLease:
    """One zone of a date as this desk sees it: what it leased, sold, may still sell, and awaits."""

    zone_id: str
    zone: str
    leased: int
    sold: int
    requested: int
    last_refused: bool

    @property
    def left(self) -> int:
        return self.leased - self.sold


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
    last_state: dict[str, str] = {}
    # Few rows per desk and date: ids are time-ordered, so the last one seen is the latest request.
    for zone_id, state, amount, sold in session.execute(
            select(Allotment.zone_id, Allotment.state, Allotment.leased, Allotment.sold)
            .where(Allotment.device_id == device.id, Allotment.date_id == date_id).order_by(Allotment.id)):
        if state == "active":
            totals = leased.setdefault(zone_id, [0, 0])
            totals[0] += amount
            totals[1] += sold
        requested[zone_id] = requested.get(zone_id, 0) + (state == "requested")
        last_state[zone_id] = state
    zones = session.scalars(select(Zone).where(Zone.event_id == date.event_id, Zone.deleted.is_(False))
                            .order_by(Zone.name))
    return [ZoneLease(z.id, z.name, leased.get(z.id, [0, 0])[0], leased.get(z.id, [0, 0])[1],
                      requested.get(z.id, 0), last_state.get(z.id) == "refused") for z in zones]


def request_places(work: UnitOfWork, date_id: str, zone_id: str, wanted: int) -> str:
    """Ask the server for `wanted` more places of a date and zone; returns the request's id."""
    if not sells_from_leases(work.session):
        raise ValueError(_("Only a paired desk sells from leased places; this copy sells from the zones' capacity."))
    if not 0 < wanted <= MAX_REQUEST:
        raise ValueError(_("Ask for between 1 and {n} places.").format(n=MAX_REQUEST))
    zone = work.session.get(Zone, zone_id)
    date = work.session.get(EventDate, date_id)
    if date is None or date.deleted or zone is None or zone.deleted or zone.event_id != date.event_id:
        raise ValueError(_("This zone is not part of the chosen date's event."))
    request_id = uuid7()
    work.run("allotments.request", {"id": request_id, "date_id": date_id, "zone_id": zone_id, "wanted": wanted})
    return request_id
