"""Credits keys unique per organizer on the server, not across all of them (G10).

A device's store holds one organizer's ledger, so its `credit_entries.key` stays unique there.
The server holds every organizer's: two organizers may use the same key, and the credits
mutators keep one entry per organizer and key (one push per organizer at a time; a keyed
debit's id is derived from its organizer and key, so the primary key refuses a second one).

Revision ID: s0005
Revises: s0004
"""

from collections.abc import Sequence

from alembic import op

from boxoffice.model.base import NAMING

revision: str = "s0005"
down_revision: str | None = "s0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("credit_entries", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint("uq_credit_entries_key", type_="unique")
        batch_op.create_index("ix_credit_entries_key", ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credit_entries", naming_convention=NAMING) as batch_op:
        batch_op.drop_index("ix_credit_entries_key")
        batch_op.create_unique_constraint("uq_credit_entries_key", ["key"])
