"""Organizer and profile codes stored hashed; profile codes expire, count their uses, can be revoked (#13).

The codes already issued keep working, typed as before: each is replaced by its SHA-256
(sync/server/codes.py). A profile code made before this upgrade had neither an expiry nor a
limit: it now expires 24 hours after the upgrade and enrolls at most 10 more devices.
Devices remember the profile code they enrolled with, so revoking either locks out the other.

Revision ID: s0006
Revises: s0005
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base
from boxoffice.model.base import NAMING
from boxoffice.store.ids import uuid7

revision: str = "s0006"
down_revision: str | None = "s0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIGRATED_USES = 10


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").replace(" ", "").encode()).hexdigest()


def _profile_table(name: str) -> sa.Table:
    return op.create_table(
        name,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("organizer_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("dates", sa.JSON(), nullable=False),
        sa.Column("created_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.Column("expires_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("revoked_at", boxoffice.model.base.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_profile_codes_code_hash")),
    )


def upgrade() -> None:
    bind = op.get_bind()
    organizers = sa.table("organizers", sa.column("id", sa.String), sa.column("code", sa.String),
                          sa.column("code_hash", sa.String))
    with op.batch_alter_table("organizers", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("code_hash", sa.String(length=64), nullable=True))
    for organizer_id, code in bind.execute(sa.select(organizers.c.id, organizers.c.code)).all():
        bind.execute(organizers.update().where(organizers.c.id == organizer_id).values(code_hash=_hash(code)))
    with op.batch_alter_table("organizers", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint("uq_organizers_code", type_="unique")
        batch_op.drop_column("code")
        batch_op.alter_column("code_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_organizers_code_hash", ["code_hash"])

    old = sa.table("profile_codes", sa.column("code", sa.String), sa.column("organizer_id", sa.String),
                   sa.column("role", sa.String), sa.column("dates", sa.JSON),
                   sa.column("created_at", boxoffice.model.base.UTCDateTime()))
    rows = bind.execute(sa.select(old)).mappings().all()
    op.drop_index("ix_profile_codes_organizer_id", table_name="profile_codes")
    op.drop_table("profile_codes")
    table = _profile_table("profile_codes")
    op.create_index("ix_profile_codes_organizer_id", "profile_codes", ["organizer_id"], unique=False)
    expires = datetime.now(UTC) + timedelta(hours=24)
    if rows:
        op.bulk_insert(table, [{"id": uuid7(), "code_hash": _hash(row["code"]), "organizer_id": row["organizer_id"],
                                "role": row["role"], "dates": row["dates"], "created_at": row["created_at"],
                                "expires_at": expires, "max_uses": MIGRATED_USES, "uses": 0, "revoked_at": None}
                               for row in rows])
    with op.batch_alter_table("devices", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("profile_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    raise RuntimeError("s0006 cannot be undone: the codes were hashed and their text is gone")
