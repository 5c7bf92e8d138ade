"""Guest lists and resales move out of the "organizer" scope every device pulls (#13): invitations,
guests, companions and guests' check-ins to their guest-manager event's scope ("date:<event id>", the
id a door for that event is enrolled with; an invitation with no event yet is a draft, "private"),
resales to their date's scope. A door then holds the guests of its own events and the resales of its
own dates only. The checkpoints are computed again; devices whose checkpoints moved pull again and
drop what they may no longer hold (sync/client.SyncClient._checkpoints_match).

Revision ID: s0010
Revises: s0009
"""

from collections.abc import Sequence

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
    rebuild(op.get_bind())


def downgrade() -> None:
    op.execute("UPDATE row_changes SET scope = 'organizer' "
               "WHERE entity IN ('invitations', 'guests', 'companions', 'resales')")
    op.execute("UPDATE row_changes SET scope = 'organizer' WHERE entity = 'checkins' AND scope LIKE 'date:%' "
               "AND entity_id IN (SELECT id FROM checkins WHERE date_id IS NULL)")
    rebuild(op.get_bind())
