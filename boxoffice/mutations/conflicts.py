"""Mutations of the conflicts list (S3): the organizer marks a conflict as seen."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field

from boxoffice.model.devices import Conflict
from boxoffice.mutations import MutationContext, Result, mutator
from boxoffice.mutations.args import Id, MutationArgs, Time


class ConflictsResolve(MutationArgs):
    mutation = "conflicts.resolve"
    ids: list[Id] = Field(max_length=100_000)
    at: Time


@mutator(ConflictsResolve, summary=lambda a: f"mark {len(a.ids)} conflicts as seen")
def resolve(ctx: MutationContext, args: ConflictsResolve) -> Result:
    seen = 0
    for conflict_id in args.ids:
        conflict = ctx.session.get(Conflict, conflict_id)
        if conflict is None:
            continue  # a refusal the client recorded locally: the server never had it
        if conflict.resolved_at is None:
            conflict.resolved_at = datetime.fromisoformat(args.at).astimezone(UTC)
            seen += 1
        ctx.touch("conflicts", conflict_id, "organizer")
    return {"seen": seen}
