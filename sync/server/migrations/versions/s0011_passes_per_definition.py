"""Passes leave the "organizer" scope every device pulls (#13): each pass goes to its definition's
scope ("date:pass:<definition id>", sync/protocol.PASS_SCOPE), and so does an order of no single
date that holds passes (the first definition's, as sync/protocol.SCOPE_KEYS reads it). A door or
desk narrowed to some dates pulls the scopes of the definitions covering their events only
(sync/server/device_scopes.py). The checkpoints are computed again; devices whose checkpoints moved
drop what they may no longer hold and pull again (sync/client.SyncClient.pull).

Revision ID: s0011
Revises: s0010
"""

from collections.abc import Sequence

from alembic import op

from sync.server.checkpoints import rebuild

revision: str = "s0011"
down_revision: str | None = "s0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE row_changes SET scope = COALESCE((SELECT 'date:pass:' || p.definition_id FROM passes p "
               "WHERE p.id = row_changes.entity_id), scope) WHERE entity = 'passes'")
    op.execute("UPDATE row_changes SET scope = COALESCE((SELECT 'date:pass:' || MIN(p.definition_id) FROM passes p "
               "WHERE p.order_id = row_changes.entity_id), scope) WHERE entity = 'orders' AND scope = 'orders'")
    rebuild(op.get_bind())


def downgrade() -> None:
    op.execute("UPDATE row_changes SET scope = 'organizer' WHERE entity = 'passes'")
    op.execute("UPDATE row_changes SET scope = 'orders' WHERE entity = 'orders' AND scope LIKE 'date:pass:%'")
    rebuild(op.get_bind())
