"""What sync could not merge silently (S3): overwritten edits, double entries, refused changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.devices import Conflict
from boxoffice.mutations import explain
from boxoffice.mutations.conflicts import ConflictsResolve
from boxoffice.mutations.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ConflictLine:
    id: str
    kind: str
    what: str
    detected_at: datetime
    seen: bool


def describe(conflict: Conflict) -> str:
    """The conflict in plain words."""
    details = conflict.details or {}
    if conflict.kind == "overwritten_edit":
        return _("{field} of {entity} {id}: “{lost}” was overwritten by the later “{kept}”").format(
            field=details.get("field", "?"), entity=conflict.entity, id=conflict.entity_id[:8],
            lost=details.get("lost_value", ""), kept=details.get("kept_value", ""))
    if conflict.kind == "double_entry":
        return _("Ticket {id} was admitted twice: {first} and {second}").format(
            id=conflict.entity_id[:8], first=details.get("first", ""), second=details.get("second", ""))
    if conflict.kind == "rejected_change":
        return _("The server refused a change ({what}): {reason}").format(
            what=conflict.entity, reason=_refusal(details))
    return f"{conflict.kind}: {conflict.entity} {conflict.entity_id}"


def _refusal(details: dict[str, Any]) -> str:
    """The server's reason in this device's language when the server said which one it was, else as it came."""
    refusal = details.get("refusal")
    if isinstance(refusal, dict) and isinstance(refusal.get("reason"), str):
        params = refusal.get("params")
        return explain(refusal["reason"], params if isinstance(params, dict) else None)
    return str(details.get("reason", ""))


def list_conflicts(session: Session, include_seen: bool = False) -> list[ConflictLine]:
    query = select(Conflict).order_by(Conflict.detected_at.desc())
    if not include_seen:
        query = query.where(Conflict.resolved_at.is_(None))
    return [ConflictLine(c.id, c.kind, describe(c), c.detected_at, c.resolved_at is not None)
            for c in session.scalars(query)]


def mark_seen(work: UnitOfWork, ids: list[str]) -> int:
    if not ids:
        return 0
    result = work.run(ConflictsResolve(ids=ids, at=datetime.now(UTC).isoformat()))
    return int(result["seen"])
