"""A pass has its own pass-area key, apart from its QR secret (#13): doors hold the QR secret to check
pass codes, and the pass area link was derived from it, so a door's copy could open a holder's pass area.

Passes sold before have no key here: the server gives each one (its migration s0007) and devices
receive it with the pass; their old links stop working and are printed again from the new key.

Revision ID: 0015
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("passes") as batch_op:
        batch_op.add_column(sa.Column("area_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("passes") as batch_op:
        batch_op.drop_column("area_key")
