"""Deleting and archiving catalogue items (T1–T4, T6, T7, P1): only what nothing was sold for.

A deletion is a tombstone through the `catalogue.remove` mutator, so it syncs; what hangs off
the item (an event's dates, zones, seats, rates and questions; a zone's seats) goes with it in
the same unit of work. Anything tickets or passes were sold for is refused with the reason and
what to do instead (close its sales, hide it, archive the box office). Nothing here commits.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _, ngettext
from boxoffice.model.base import Base
from boxoffice.model.events import BoxOffice, Event, EventDate, Question, Rate, Seat, Zone
from boxoffice.model.passes import PassDefinition
from boxoffice.mutations.catalogue import CatalogueUpdate
from boxoffice.mutations.tombstones import CatalogueRemove, sold_for
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services.catalogue import CatalogueError

_MODELS: dict[str, type[Base]] = {
    cls.__tablename__: cls
    for cls in (BoxOffice, Event, EventDate, Zone, Seat, Rate, Question, PassDefinition)
}
# What to do instead of deleting something that was sold.
_INSTEAD = {
    "box_offices": N_("Archive the box office instead."),
    "events": N_("Close its sales or cancel the event instead."),
    "event_dates": N_("Close the date's sales or cancel the date instead."),
    "zones": N_("Lower its capacity instead."),
    "seats": N_("Keep the seat; it stays booked."),
    "rates": N_("Hide the rate instead."),
    "pass_definitions": N_("Archive the pass instead: the passes sold stay valid, and it is no longer sold."),
}


def _event_ids(session: Session, box_office_id: str) -> list[str]:
    return list(session.scalars(select(Event.id).where(Event.box_office_id == box_office_id,
                                                       Event.deleted.is_(False))))


def sold_count(session: Session, entity: str, row_id: str) -> int:
    """How many tickets (or passes, for a pass definition) were sold for this item (the mutator checks
    the same again wherever it runs)."""
    return sold_for(session, entity, row_id)


def _refusal(entity: str, sold: int) -> CatalogueError:
    what = ngettext("{n} ticket or pass was sold for it.", "{n} tickets or passes were sold for it.", sold)
    return CatalogueError(_("This cannot be deleted: {sold} {instead}").format(
        sold=what.format(n=sold), instead=_(_INSTEAD.get(entity, ""))))


def _children(session: Session, entity: str, row_id: str) -> list[tuple[str, str]]:
    """What goes with the item: an event's dates, zones, seats, rates, questions; a zone's seats."""
    if entity == "box_offices":
        found: list[tuple[str, str]] = []
        for event_id in _event_ids(session, row_id):
            found += [("events", event_id), *_children(session, "events", event_id)]
        return found
    if entity == "events":
        found = [(table, i) for table, model in (("event_dates", EventDate), ("zones", Zone), ("rates", Rate),
                                                  ("questions", Question))
                 for i in session.scalars(select(model.id).where(model.event_id == row_id, model.deleted.is_(False)))]
        inner = [child for table, zone in found if table == "zones" for child in _children(session, table, zone)]
        return found + [child for child in inner if child[0] == "seats"]
    if entity == "zones":
        rate_ids = session.scalars(select(Rate.id).where(Rate.zone_id == row_id, Rate.deleted.is_(False)))
        seat_ids = session.scalars(select(Seat.id).where(Seat.zone_id == row_id, Seat.deleted.is_(False)))
        return [("seats", s) for s in seat_ids] + [("rates", r) for r in rate_ids]
    if entity == "event_dates":
        rates = session.scalars(select(Rate.id).where(Rate.date_id == row_id, Rate.deleted.is_(False)))
        return [("rates", r) for r in rates]
    return []


def delete_item(work: UnitOfWork, entity: str, row_id: str) -> int:
    """Delete a box office, event, date, zone, seat, rate, question or pass definition nothing was
    sold for, with what hangs off it; returns how many rows went. Refused with the reason otherwise."""
    model = _MODELS.get(entity)
    if model is None:
        raise CatalogueError(_("This cannot be deleted."))
    row = work.session.get(model, row_id)
    if row is None or getattr(row, "deleted", False):
        raise CatalogueError(_("This no longer exists."))
    sold = sold_count(work.session, entity, row_id)
    if sold:
        raise _refusal(entity, sold)
    doomed = [*_children(work.session, entity, row_id), (entity, row_id)]
    if entity == "seats":
        zone = work.session.get(Zone, getattr(row, "zone_id", ""))
        if zone is not None and zone.capacity > 1:
            work.run(CatalogueUpdate(entity="zones", id=zone.id, changes={"capacity": zone.capacity - 1}))
    for table, child_id in dict.fromkeys(doomed):
        work.run(CatalogueRemove(entity=table, id=child_id))
    return len(set(doomed))


def archive_pass_definition(work: UnitOfWork, definition_id: str, archived: bool = True) -> None:
    """Stop selling a pass (the passes sold stay valid and keep admitting), or sell it again."""
    definition = work.session.get(PassDefinition, definition_id)
    if definition is None or definition.deleted:
        raise CatalogueError(_("This pass no longer exists."))
    moment = datetime.now(UTC).isoformat() if archived else None
    work.run(CatalogueUpdate(entity="pass_definitions", id=definition_id, changes={"archived_at": moment}))


def archive_box_office(work: UnitOfWork, box_office_id: str, archived: bool = True) -> None:
    """Put a past season away (it keeps its sales and reports) or bring it back."""
    office = work.session.get(BoxOffice, box_office_id)
    if office is None or office.deleted:
        raise CatalogueError(_("This box office no longer exists."))
    moment = datetime.now(UTC).isoformat() if archived else None
    work.run(CatalogueUpdate(entity="box_offices", id=box_office_id, changes={"archived_at": moment}))

