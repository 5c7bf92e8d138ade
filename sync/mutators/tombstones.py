"""Deletions of catalogue rows as tombstones: the row stays, marked deleted, so the deletion syncs."""

from __future__ import annotations

from sync.mutators import Args, MutationContext, MutationRejected, Result, mutator
from sync.mutators.catalogue import ENTITIES


@mutator("catalogue.remove", summary=lambda a: f"remove {a['entity']} {a['id']}")
def remove(ctx: MutationContext, args: Args) -> Result:
    """Mark a zone, seat, rate, question, date or event deleted; a replay is a no-op."""
    model = ENTITIES.get(args["entity"])
    if model is None:
        raise MutationRejected(f"unknown catalogue entity {args['entity']!r}")
    row = ctx.session.get(model, args["id"])
    if row is None:
        raise MutationRejected(f"{args['entity']} {args['id']} does not exist")
    if not row.deleted:  # type: ignore[attr-defined]
        row.deleted = True  # type: ignore[attr-defined]
        row.hlc = max(row.hlc, ctx.hlc)  # type: ignore[attr-defined]
        ctx.session.flush()
    ctx.touch(args["entity"], args["id"], "organizer")
    return {"id": args["id"], "deleted": True}
