"""Opt-outs (#14): addresses that unsubscribed from an organizer's invitations, synced to its devices.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "opt_outs",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("source", sa.String(length=20), server_default="link", nullable=False),
        sa.Column("guest_id", sa.String(length=36), nullable=True),
        sa.Column("opted_out_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), server_default="", nullable=False),
        sa.Column("field_hlc", sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("server_seq", sa.BigInteger(), nullable=True),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opt_outs")),
    )
    op.create_index(op.f("ix_opt_outs_email"), "opt_outs", ["email"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_opt_outs_email"), table_name="opt_outs")
    op.drop_table("opt_outs")
