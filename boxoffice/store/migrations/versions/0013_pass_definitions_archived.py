"""Pass definitions can be archived (P1): a pass already sold stays valid, but is no longer offered for sale.

Revision ID: 0013
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = "0013"
down_revision: str | None = "0014"  # numbered 0013 as planned, chained after the till closes that landed first
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pass_definitions") as batch_op:
        batch_op.add_column(sa.Column("archived_at", boxoffice.model.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pass_definitions") as batch_op:
        batch_op.drop_column("archived_at")
