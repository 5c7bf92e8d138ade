"""Order numbers are unique per selling device, not across every device of every organizer.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_constraint("uq_orders_number", type_="unique")
        batch_op.create_unique_constraint("uq_orders_device_id_number", ["device_id", "number"])
        batch_op.create_index("ix_orders_number", ["number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_index("ix_orders_number")
        batch_op.drop_constraint("uq_orders_device_id_number", type_="unique")
        batch_op.create_unique_constraint("uq_orders_number", ["number"])
