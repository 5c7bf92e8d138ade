"""Server-side changes to replicated rows (guest delivery, invitation status), numbered so devices pull them."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.model.base import Synced
from boxoffice.mutations import MutationContext
from boxoffice.mutations.fields import set_fields
from boxoffice.store.hlc import Timestamp
from sync.server import replication
from sync.server.tables import RowChange

SERVER_NODE = "server"


def owner_of(session: Session, entity: str, row_id: str) -> str | None:
    """The organizer a replicated row belongs to (every pushed row is numbered under its owner)."""
    return session.scalar(select(RowChange.organizer_id).where(RowChange.entity == entity,
                                                               RowChange.entity_id == row_id))


def server_context(session: Session, organizer_id: str) -> MutationContext:
    """What a server-side write runs with: the server's stamp, and the organizer's rows only."""
    def owned(entity: str, row_id: str) -> bool:
        owner = owner_of(session, entity, row_id)
        return owner is None or owner == organizer_id

    return MutationContext(session, replication.server_hlc(), SERVER_NODE, SERVER_NODE, on_server=True,
                           role="organizer", owner_check=owned, organizer_id=organizer_id)


def _stamp_after(stamp: str, row: Synced) -> str:
    # A device may run up to a day ahead (replication.MAX_CLOCK_AHEAD_MS): the server's facts
    # (delivery, status) must still win over the stamps that device left on the row.
    top = max([row.hlc or "", *(row.field_hlc or {}).values()])
    if stamp > top:
        return stamp
    ahead = Timestamp.parse(top)
    return str(ahead.successor(SERVER_NODE))


def write_fields(ctx: MutationContext, row: Synced, entity: str, changes: dict[str, Any]) -> None:
    """Last writer wins per field, with a stamp that beats the row's; the row is numbered on `finish`."""
    stamped = dataclasses.replace(ctx, hlc=_stamp_after(ctx.hlc, row))
    if set_fields(stamped, row, changes, set(changes)):
        ctx.touch(entity, row.id, "organizer")


def finish(ctx: MutationContext, organizer_id: str) -> None:
    """Number the touched rows inside the caller's transaction, as a pushed mutation's are."""
    ctx.session.flush()
    # Shared with replication so change numbers follow commit order for server writes too.
    replication.number_changes(ctx.session, organizer_id, ctx.touched)
    ctx.touched.clear()
