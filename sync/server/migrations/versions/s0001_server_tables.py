"""Server tables: organizers, profile codes, devices, applied mutations, change log, settings.

Revision ID: s0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = 's0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('applied_mutations',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('applied_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', 'seq', name=op.f('pk_applied_mutations'))
    )
    op.create_table('change_counters',
    sa.Column('organizer_id', sa.String(length=36), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('organizer_id', name=op.f('pk_change_counters'))
    )
    op.create_table('devices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organizer_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('dates', sa.JSON(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_organizer_id'), ['organizer_id'], unique=False)

    op.create_table('organizers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizers')),
    sa.UniqueConstraint('code', name=op.f('uq_organizers_code'))
    )
    op.create_table('profile_codes',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('organizer_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('dates', sa.JSON(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_profile_codes'))
    )
    with op.batch_alter_table('profile_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_codes_organizer_id'), ['organizer_id'], unique=False)

    op.create_table('row_changes',
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('organizer_id', sa.String(length=36), nullable=False),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id', name=op.f('pk_row_changes'))
    )
    with op.batch_alter_table('row_changes', schema=None) as batch_op:
        batch_op.create_index('ix_row_changes_scope', ['organizer_id', 'scope', 'seq'], unique=False)
        batch_op.create_index('ix_row_changes_seq', ['organizer_id', 'seq'], unique=False)

    op.create_table('server_settings',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_server_settings'))
    )


def downgrade() -> None:
    op.drop_table('server_settings')
    op.drop_table('row_changes')
    op.drop_table('profile_codes')
    op.drop_table('organizers')
    op.drop_table('devices')
    op.drop_table('change_counters')
    op.drop_table('applied_mutations')
