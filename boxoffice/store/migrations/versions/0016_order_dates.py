"""An order knows its date when all its tickets share one (#13): it then syncs in that date's scope, so a
door holds only the orders of its dates. Filled here from the tickets this copy holds; the server fills
its own (migration s0008) and a copy that differs takes the server's values at its next sync.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The one date of each order's tickets (MIN = MAX), as boxoffice/mutations/sales.single_date decides.
FILL = ("UPDATE orders SET date_id = (SELECT MIN(t.date_id) FROM tickets t WHERE t.order_id = orders.id "
        "HAVING COUNT(DISTINCT t.date_id) = 1)")


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("date_id", sa.String(length=36), nullable=True))
    op.execute(FILL)


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+), not a batch copy: copying orders means dropping the table,
    # which the tickets' foreign keys refuse once the copy holds any order.
    op.drop_column("orders", "date_id")
