"""Mail queue: the messages the server sends, with their delivery state and retries.

Revision ID: s0003
Revises: s0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = "s0003"
down_revision: str | None = "s0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_queue",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("organizer_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("invitation_id", sa.String(length=36), nullable=False),
        sa.Column("guest_id", sa.String(length=36), nullable=True),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.Column("claimed_until", boxoffice.model.base.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", boxoffice.model.base.UTCDateTime(), nullable=True),
        sa.Column("created_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_queue")),
        sa.UniqueConstraint("key", name=op.f("uq_mail_queue_key")),
    )
    with op.batch_alter_table("mail_queue") as batch_op:
        batch_op.create_index("ix_mail_queue_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_mail_queue_invitation_id"), ["invitation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mail_queue_guest_id"), ["guest_id"], unique=False)


def downgrade() -> None:
    op.drop_table("mail_queue")
