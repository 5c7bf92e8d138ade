"""The print log: every badge, pass and ticket sent to a printer, with its outcome (PR3, P4).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('print_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('what', sa.String(length=10), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=True),
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('pass_id', sa.String(length=36), nullable=True),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('label', sa.String(), server_default='', nullable=False),
    sa.Column('printer', sa.String(length=200), nullable=False),
    sa.Column('profile', sa.String(length=200), server_default='', nullable=False),
    sa.Column('outcome', sa.String(length=12), server_default='queued', nullable=False),
    sa.Column('message', sa.String(), server_default='', nullable=False),
    sa.Column('cups_job_id', sa.Integer(), nullable=True),
    sa.Column('reprint', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('device_id', sa.String(length=36), server_default='', nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('finished_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_print_jobs_contact', ['contact_id', 'what'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_jobs_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_print_jobs_pass', ['pass_id', 'what'], unique=False)
        batch_op.create_index('ix_print_jobs_ticket', ['ticket_id', 'what'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_print_jobs_ticket')
        batch_op.drop_index('ix_print_jobs_pass')
        batch_op.drop_index(batch_op.f('ix_print_jobs_order_id'))
        batch_op.drop_index('ix_print_jobs_contact')
    op.drop_table('print_jobs')
