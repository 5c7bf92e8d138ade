"""Last-writer-wins per field by HLC: the merge rule for editable rows (DESIGN: merge policies)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from boxoffice.i18n import N_
from boxoffice.model.base import Synced
from boxoffice.model.devices import Conflict
from boxoffice.mutations import MutationContext, MutationRejected
from boxoffice.store.ids import uuid7


def field_stamp(row: Synced, field: str) -> str:
    return (row.field_hlc or {}).get(field, row.hlc)


def set_fields(ctx: MutationContext, row: Synced, changes: dict[str, Any], allowed: set[str]) -> list[str]:
    """Apply each change whose stamp beats the field's current one; return the fields written.

    A change that loses to a newer concurrent edit is not applied but logged as a conflict,
    so the organizer sees what was overwritten (S3) — never silently dropped.
    """
    unknown = set(changes) - allowed
    if unknown:
        raise MutationRejected(N_("these fields cannot be changed: {fields}"), fields=', '.join(sorted(unknown)))
    written: list[str] = []
    stamps = dict(row.field_hlc or {})
    for field, value in changes.items():
        current = field_stamp(row, field)
        if ctx.hlc > current:
            if getattr(row, field) != value:
                setattr(row, field, value)
            stamps[field] = ctx.hlc
            written.append(field)
        elif getattr(row, field) != value:
            _log_lost_edit(ctx, row, field, value, ctx.hlc, current)
    if written:
        row.field_hlc = stamps
        row.hlc = max(row.hlc, ctx.hlc)
    return written


def _log_lost_edit(ctx: MutationContext, row: Synced, field: str, value: Any, stamp: str, winner: str) -> None:
    conflict_id = uuid7()
    ctx.touch("conflicts", conflict_id, "organizer")
    ctx.session.add(Conflict(
        id=conflict_id, kind="overwritten_edit", entity=getattr(type(row), "__tablename__", ""), entity_id=row.id,
        details={"field": field, "lost_value": value, "lost_hlc": stamp,
                 "kept_value": getattr(row, field), "kept_hlc": winner},
        detected_at=datetime.now(UTC),
    ))
