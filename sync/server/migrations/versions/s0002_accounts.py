"""Accounts: log devices in with an email and a password (D2).

Revision ID: s0002
Revises: s0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = "s0002"
down_revision: str | None = "s0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organizer_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("created_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
    )
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_organizer_id"), ["organizer_id"], unique=False)


def downgrade() -> None:
    op.drop_table("accounts")
