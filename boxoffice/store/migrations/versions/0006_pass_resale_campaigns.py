"""A pass definition's resale campaign (P5): percentage, payout kinds, donation.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pass_definitions") as batch_op:
        batch_op.add_column(sa.Column("resale", sa.JSON(), server_default=sa.text("'{}'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("pass_definitions") as batch_op:
        batch_op.drop_column("resale")
