"""Scope checkpoints kept up to date on every write, instead of re-read from every row per pull.

Revision ID: s0004
Revises: s0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.server.checkpoints import rebuild

revision: str = "s0004"
down_revision: str | None = "s0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scope_checkpoints",
        sa.Column("organizer_id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("organizer_id", "scope", name=op.f("pk_scope_checkpoints")),
    )
    # Existing change logs: the checkpoints of what every scope holds now.
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("scope_checkpoints")
