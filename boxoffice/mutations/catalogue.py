"""Mutations of the catalogue: box offices, events, dates, zones, seats, rates, questions, pass definitions.

Rows are created whole and then edited field by field, last writer wins by HLC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from boxoffice.i18n import N_
from boxoffice.model.base import Base, Synced, UTCDateTime
from boxoffice.model.events import BoxOffice, Event, EventDate, Question, Rate, Seat, Zone
from boxoffice.model.passes import PassDefinition
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import FieldName, Id, MutationArgs, Values
from boxoffice.mutations.fields import set_fields

ENTITIES: dict[str, type[Base]] = {
    cls.__tablename__: cls
    for cls in (BoxOffice, Event, EventDate, Zone, Seat, Rate, Question, PassDefinition)
}
_SYSTEM = {"id", "hlc", "field_hlc", "server_seq", "deleted", "created_at"}


def _model(entity: str) -> type[Base]:
    try:
        return ENTITIES[entity]
    except KeyError:
        raise MutationRejected(N_("unknown catalogue entity {entity}"), entity=repr(entity)) from None


def editable(model: type[Base]) -> set[str]:
    return {c.name for c in model.__table__.columns} - _SYSTEM


def _coerce(model: type[Base], values: dict[str, Any]) -> dict[str, Any]:
    """JSON carries times as ISO text; turn them back into aware datetimes for the columns."""
    out = dict(values)
    for name, value in values.items():
        column = model.__table__.columns.get(name)
        if column is not None and isinstance(column.type, UTCDateTime) and isinstance(value, str):
            out[name] = datetime.fromisoformat(value).astimezone(UTC)
    return out


class CatalogueCreate(MutationArgs):
    """A whole new row of `entity` (a table name of ENTITIES) with its column values."""

    mutation = "catalogue.create"
    entity: FieldName
    id: Id
    values: Values


class CatalogueUpdate(MutationArgs):
    """Column changes of one row, each applied if its stamp is the newest (last writer wins)."""

    mutation = "catalogue.update"
    entity: FieldName
    id: Id
    changes: Values


@mutator(CatalogueCreate, summary=lambda a: f"create {a.entity} {a.id}")
def create(ctx: MutationContext, args: CatalogueCreate) -> Result:
    model = _model(args.entity)
    values = _coerce(model, args.values)
    unknown = set(values) - editable(model)
    if unknown:
        raise MutationRejected(N_("{entity} has no field {fields}"),
                               entity=args.entity, fields=', '.join(sorted(unknown)))
    if ctx.session.get(model, args.id) is None:
        ctx.session.add(model(id=args.id, hlc=ctx.hlc, field_hlc={}, created_at=datetime.now(UTC), **values))
        ctx.session.flush()
    ctx.touch(args.entity, args.id, "organizer")
    return {"id": args.id}


@mutator(CatalogueUpdate, summary=lambda a: f"change {a.entity} {a.id}: {', '.join(sorted(a.changes))}")
def update(ctx: MutationContext, args: CatalogueUpdate) -> Result:
    model = _model(args.entity)
    row = ctx.session.get(model, args.id)
    if row is None or not isinstance(row, Synced) or row.deleted:
        raise MutationRejected(N_("{entity} {id} does not exist"), entity=args.entity, id=args.id)
    ctx.touch(args.entity, row.id, "organizer")
    return {"written": set_fields(ctx, row, _coerce(model, args.changes), editable(model))}
