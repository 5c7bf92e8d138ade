"""Rows move to the scopes docs/roles.md gives them (#13): an order of one date to that date's scope
(device migration 0016 filled orders.date_id on the server too), other orders to "orders", credits to
"private" (organizer devices only), refunds, till closes and questions to "sales" (desks and
organizers). The checkpoints are computed again; devices re-pull the scopes whose checkpoints moved,
and drop what they may no longer hold (sync/replica.drop_outside).

Revision ID: s0008
Revises: s0007
"""

from collections.abc import Sequence

from alembic import op

from sync.server.checkpoints import rebuild

revision: str = "s0008"
down_revision: str | None = "s0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE_SCOPES = {"credit_entries": "private", "refunds": "sales", "till_closes": "sales", "questions": "sales",
                "contact_lists": "contacts", "contacts": "contacts", "consent_records": "contacts"}


def upgrade() -> None:
    for entity, scope in TABLE_SCOPES.items():
        op.execute(f"UPDATE row_changes SET scope = '{scope}' WHERE entity = '{entity}'")
    op.execute("UPDATE row_changes SET scope = COALESCE((SELECT 'date:' || o.date_id FROM orders o "
               "WHERE o.id = row_changes.entity_id), 'orders') WHERE entity = 'orders'")
    rebuild(op.get_bind())


def downgrade() -> None:
    for entity in TABLE_SCOPES:
        op.execute(f"UPDATE row_changes SET scope = 'organizer' WHERE entity = '{entity}' AND scope <> 'contacts'")
    op.execute("UPDATE row_changes SET scope = 'organizer' WHERE entity = 'orders'")
    rebuild(op.get_bind())
