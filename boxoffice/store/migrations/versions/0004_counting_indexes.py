"""Indexes for counting places left and finding a guest's or pass's check-ins.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.create_index("ix_tickets_date_zone_state", ["date_id", "zone_id", "state"], unique=False)
    with op.batch_alter_table("checkins") as batch_op:
        batch_op.create_index("ix_checkins_guest", ["guest_id", "hlc"], unique=False)
        batch_op.create_index("ix_checkins_pass", ["pass_id", "date_id", "hlc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch_op:
        batch_op.drop_index("ix_checkins_pass")
        batch_op.drop_index("ix_checkins_guest")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_date_zone_state")
