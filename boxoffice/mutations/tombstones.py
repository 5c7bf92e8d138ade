"""Deletions of catalogue rows as tombstones: the row stays, marked deleted, so the deletion syncs.

A row something was sold for is never deleted: the device's catalogue service says so before it
asks, and the mutator checks again where it runs (on the server, sales from other desks may have
arrived since the device looked), refusing with the reason.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_
from boxoffice.model.events import Event
from boxoffice.model.passes import Pass, PassDefinition
from boxoffice.model.sales import Ticket
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import FieldName, Id, MutationArgs
from boxoffice.mutations.catalogue import ENTITIES

_TICKET_COLUMNS = {"events": Ticket.event_id, "event_dates": Ticket.date_id, "zones": Ticket.zone_id,
                   "seats": Ticket.seat_id, "rates": Ticket.rate_id}


def _tickets(session: Session, *conditions: object) -> int:
    query = select(func.count()).select_from(Ticket).where(
        Ticket.deleted.is_(False), Ticket.order_id.is_not(None), *conditions)  # type: ignore[arg-type]
    return int(session.scalar(query) or 0)


def _passes(session: Session, *conditions: object) -> int:
    query = select(func.count()).select_from(Pass).where(Pass.deleted.is_(False), *conditions)  # type: ignore[arg-type]
    return int(session.scalar(query) or 0)


def sold_for(session: Session, entity: str, row_id: str) -> int:
    """How many tickets (or passes) were sold for a catalogue row; a deletion needs 0."""
    if entity == "box_offices":
        events = list(session.scalars(select(Event.id).where(Event.box_office_id == row_id, Event.deleted.is_(False))))
        definitions = select(PassDefinition.id).where(PassDefinition.box_office_id == row_id)
        return (_tickets(session, Ticket.event_id.in_(events)) if events else 0) + \
            _passes(session, Pass.definition_id.in_(definitions))
    if entity == "pass_definitions":
        return _passes(session, Pass.definition_id == row_id)
    column = _TICKET_COLUMNS.get(entity)
    if column is None:
        return 0  # a question: answers are kept on the orders themselves
    sold = _tickets(session, column == row_id)
    return sold + (_passes(session, Pass.seat_id == row_id) if entity == "seats" else 0)


class CatalogueRemove(MutationArgs):
    mutation = "catalogue.remove"
    entity: FieldName
    id: Id


@mutator(CatalogueRemove, summary=lambda a: f"remove {a.entity} {a.id}")
def remove(ctx: MutationContext, args: CatalogueRemove) -> Result:
    """Mark a zone, seat, rate, question, date or event deleted; a replay is a no-op."""
    model = ENTITIES.get(args.entity)
    if model is None:
        raise MutationRejected(N_("unknown catalogue entity {entity}"), entity=repr(args.entity))
    row = ctx.session.get(model, args.id)
    if row is None:
        raise MutationRejected(N_("{entity} {id} does not exist"), entity=args.entity, id=args.id)
    if not row.deleted:  # type: ignore[attr-defined]
        sold = sold_for(ctx.session, args.entity, args.id)
        if sold:
            raise MutationRejected(N_("{entity} {id} cannot be deleted: tickets or passes were sold for it ({sold}); "
                                      "close its sales or hide it instead"),
                                   entity=args.entity, id=args.id, sold=sold)
        row.deleted = True  # type: ignore[attr-defined]
        row.hlc = max(row.hlc, ctx.hlc)  # type: ignore[attr-defined]
        ctx.session.flush()
    ctx.touch(args.entity, args.id, "organizer")
    return {"id": args.id, "deleted": True}
