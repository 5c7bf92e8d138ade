"""Guest lists, resales and conflicts leave the "organizer" scope every device pulls (#13):
invitations, guests, companions and guests' check-ins go to their guest-manager event's scope
("date:<event id>", the id a door for that event is enrolled with; an invitation with no event yet
is a draft: "private"), resales to their date's scope, double entries to their date's (a guest's:
its event's), other conflicts (overwritten edits, which hold any field's values) to "private". A
door then holds the guests of its own events, and the resales and double entries of its own dates
only. The checkpoints are computed again; devices whose checkpoints moved drop what they may no
longer hold and pull again (sync/client.SyncClient.pull).

Revision ID: s0010
Revises: s0009
"""

from collections.abc import Sequence

import orjson
import sqlalchemy as sa
from alembic import op

from sync.server.checkpoints import rebuild

revision: str = "s0010"
down_revision: str | None = "s0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Where each kind of guest row finds its event, as sync/protocol.SCOPE_KEYS reads it (kept here as
# it was when this migration was written).
_EVENT_OF = {
    "invitations": "invitations i WHERE i.id = row_changes.entity_id",
    "guests": "guests g JOIN invitations i ON i.id = g.invitation_id WHERE g.id = row_changes.entity_id",
    "companions": "companions c JOIN guests g ON g.id = c.guest_id JOIN invitations i ON i.id = g.invitation_id "
                  "WHERE c.id = row_changes.entity_id",
    "checkins": "checkins k JOIN guests g ON g.id = k.guest_id JOIN invitations i ON i.id = g.invitation_id "
                "WHERE k.id = row_changes.entity_id AND k.date_id IS NULL",
}
# What a row with no event goes to: a draft invitation's rows to organizer devices; a check-in stays.
_NO_EVENT = {"invitations": "'private'", "guests": "'private'", "companions": "'private'", "checkins": "scope"}


def upgrade() -> None:
    for entity, found in _EVENT_OF.items():
        only = " AND scope = 'organizer'" if entity == "checkins" else ""
        op.execute(f"UPDATE row_changes SET scope = COALESCE((SELECT 'date:' || i.event_id FROM {found} "
                   f"AND i.event_id IS NOT NULL), {_NO_EVENT[entity]}) WHERE entity = '{entity}'{only}")
    op.execute("UPDATE row_changes SET scope = COALESCE((SELECT 'date:' || r.date_id FROM resales r "
               "WHERE r.id = row_changes.entity_id), scope) WHERE entity = 'resales'")
    _conflicts(op.get_bind())
    rebuild(op.get_bind())


def _conflicts(bind: sa.Connection) -> None:
    """A double entry to its date's scope (a guest's: its event's), any other conflict to "private"."""
    found = bind.execute(sa.text(
        "SELECT c.id, c.kind, c.details, (SELECT i.event_id FROM guests g JOIN invitations i "
        "ON i.id = g.invitation_id WHERE c.entity = 'guests' AND g.id = c.entity_id) "
        "FROM conflicts c JOIN row_changes r ON r.entity = 'conflicts' AND r.entity_id = c.id")).all()
    moved = []
    for conflict_id, kind, details, event_id in found:
        held = orjson.loads(details or "{}") if isinstance(details, str | bytes) else details or {}
        date_id = held.get("date_id") if kind == "double_entry" and isinstance(held, dict) else None
        owner = date_id or (event_id if kind == "double_entry" else None)
        moved.append({"scope": f"date:{owner}" if owner else "private", "id": conflict_id})
    if moved:
        bind.execute(sa.text("UPDATE row_changes SET scope = :scope WHERE entity = 'conflicts' AND entity_id = :id"),
                     moved)


def downgrade() -> None:
    op.execute("UPDATE row_changes SET scope = 'organizer' "
               "WHERE entity IN ('invitations', 'guests', 'companions', 'resales', 'conflicts')")
    op.execute("UPDATE row_changes SET scope = 'organizer' WHERE entity = 'checkins' AND scope LIKE 'date:%' "
               "AND entity_id IN (SELECT id FROM checkins WHERE date_id IS NULL)")
    rebuild(op.get_bind())
