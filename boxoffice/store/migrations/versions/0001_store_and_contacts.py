"""Device store and contact lists (C1–C7).

Revision ID: 0001
Revises: 
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('summary', sa.String(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_table('conflicts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('details', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('detected_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts'))
    )
    op.create_table('contact_lists',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('custom_fields', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('archived_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('description', sa.String(), server_default='', nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_lists'))
    )
    op.create_table('local_device',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), server_default='organizer', nullable=False),
    sa.Column('organizer_id', sa.String(length=36), server_default='', nullable=False),
    sa.Column('server_url', sa.String(), server_default='', nullable=False),
    sa.Column('secret', sa.String(), server_default='', nullable=False),
    sa.Column('scopes', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('last_hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('enrolled_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_device'))
    )
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mutation', sa.String(length=80), nullable=False),
    sa.Column('args', sa.String(), nullable=False),
    sa.Column('hlc', sa.String(length=80), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('pushed_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox'))
    )
    op.create_table('sync_cursors',
    sa.Column('scope', sa.String(length=120), nullable=False),
    sa.Column('cursor', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('checkpoint', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_sync_cursors'))
    )
    op.create_table('consent_records',
    sa.Column('list_id', sa.String(length=36), nullable=False),
    sa.Column('accepted_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('accepted_by', sa.String(length=200), nullable=False),
    sa.Column('terms_version', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(), server_default='', nullable=False),
    sa.Column('rows', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['contact_lists.id'], name=op.f('fk_consent_records_list_id_contact_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_list_id'), ['list_id'], unique=False)
    op.create_table('contacts',
    sa.Column('list_id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('first_name', sa.String(), server_default='', nullable=False),
    sa.Column('last_name', sa.String(), server_default='', nullable=False),
    sa.Column('fields', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('cl', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['contact_lists.id'], name=op.f('fk_contacts_list_id_contact_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_list_email', ['list_id', sa.text('lower(email)')], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_list_email')
    op.drop_table('contacts')
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_list_id'))
    op.drop_table('consent_records')
    op.drop_table('sync_cursors')
    op.drop_table('outbox')
    op.drop_table('local_device')
    op.drop_table('contact_lists')
    op.drop_table('conflicts')
    op.drop_table('audit_log')
