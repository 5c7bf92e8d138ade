"""The rest of the domain: events, sales, passes, check-ins, invitations, credits.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('box_offices',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), server_default='Europe/Zurich', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='CHF', nullable=False),
    sa.Column('settings', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('archived_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_box_offices'))
    )
    op.create_table('checkins',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('guest_id', sa.String(length=36), nullable=True),
    sa.Column('pass_id', sa.String(length=36), nullable=True),
    sa.Column('code', sa.String(length=512), nullable=False),
    sa.Column('date_id', sa.String(length=36), nullable=True),
    sa.Column('zone_id', sa.String(length=36), nullable=True),
    sa.Column('door', sa.String(length=120), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('verdict', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('scanned_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=80), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_ticket', ['ticket_id', 'hlc'], unique=False)
    op.create_table('orders',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('customer_name', sa.String(), server_default='', nullable=False),
    sa.Column('customer_email', sa.String(), server_default='', nullable=False),
    sa.Column('customer', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('answers', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('payment_method', sa.String(length=20), server_default='cash', nullable=False),
    sa.Column('total_minor', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='CHF', nullable=False),
    sa.Column('status', sa.String(length=20), server_default='paid', nullable=False),
    sa.Column('device_id', sa.String(length=36), server_default='', nullable=False),
    sa.Column('sold_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number'))
    )
    op.create_table('events',
    sa.Column('box_office_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), server_default='ticketing', nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(), server_default='', nullable=False),
    sa.Column('location', sa.String(), server_default='', nullable=False),
    sa.Column('event_type', sa.String(length=40), server_default='', nullable=False),
    sa.Column('status', sa.String(length=20), server_default='draft', nullable=False),
    sa.Column('visibility', sa.String(length=20), server_default='public', nullable=False),
    sa.Column('starts_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('ends_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('sales_close_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('access_control', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('appearance', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('sending', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('ticket_template', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('signing_keys', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('door_access_code', sa.String(length=40), server_default='', nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['box_office_id'], ['box_offices.id'], name=op.f('fk_events_box_office_id_box_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_box_office_id'), ['box_office_id'], unique=False)
    op.create_table('pass_definitions',
    sa.Column('box_office_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('support', sa.String(length=20), server_default='card', nullable=False),
    sa.Column('event_ids', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('holder_fields', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('fixed_seats', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='CHF', nullable=False),
    sa.Column('appearance', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['box_office_id'], ['box_offices.id'], name=op.f('fk_pass_definitions_box_office_id_box_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pass_definitions'))
    )
    with op.batch_alter_table('pass_definitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pass_definitions_box_office_id'), ['box_office_id'], unique=False)
    op.create_table('event_dates',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('starts_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('ends_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('doors_open_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('sales_close_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='on_sale', nullable=False),
    sa.Column('settings', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_dates_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_dates'))
    )
    with op.batch_alter_table('event_dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_dates_event_id'), ['event_id'], unique=False)
    op.create_table('invitations',
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('status', sa.String(length=20), server_default='draft', nullable=False),
    sa.Column('step', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('language', sa.String(length=5), server_default='en', nullable=False),
    sa.Column('subject', sa.String(), server_default='', nullable=False),
    sa.Column('body', sa.String(), server_default='', nullable=False),
    sa.Column('confirmation_subject', sa.String(), server_default='', nullable=False),
    sa.Column('confirmation_body', sa.String(), server_default='', nullable=False),
    sa.Column('form', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('list_ids', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('companions', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('show_guest_list', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('scheduled_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('reminders', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('sender', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('sent_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_invitations_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_event_id'), ['event_id'], unique=False)
    op.create_table('questions',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('label', sa.String(), nullable=False),
    sa.Column('kind', sa.String(length=20), server_default='text', nullable=False),
    sa.Column('required', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('options', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('position', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_questions_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_event_id'), ['event_id'], unique=False)
    op.create_table('zones',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seated', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_zones_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zones'))
    )
    with op.batch_alter_table('zones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zones_event_id'), ['event_id'], unique=False)
    op.create_table('allotments',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('date_id', sa.String(length=36), nullable=False),
    sa.Column('zone_id', sa.String(length=36), nullable=False),
    sa.Column('leased', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('sold', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('state', sa.String(length=20), server_default='active', nullable=False),
    sa.Column('expires_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['date_id'], ['event_dates.id'], name=op.f('fk_allotments_date_id_event_dates')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_allotments_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allotments'))
    )
    with op.batch_alter_table('allotments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allotments_date_id'), ['date_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allotments_device_id'), ['device_id'], unique=False)
    op.create_table('credit_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(), server_default='', nullable=False),
    sa.Column('invitation_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_credit_entries_invitation_id_invitations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_entries')),
    sa.UniqueConstraint('key', name=op.f('uq_credit_entries_key'))
    )
    op.create_table('guests',
    sa.Column('invitation_id', sa.String(length=36), nullable=False),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('first_name', sa.String(), server_default='', nullable=False),
    sa.Column('last_name', sa.String(), server_default='', nullable=False),
    sa.Column('fields', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='pending', nullable=False),
    sa.Column('answers', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('answered_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('delivery', sa.String(length=20), server_default='queued', nullable=False),
    sa.Column('delivery_error', sa.String(), server_default='', nullable=False),
    sa.Column('sent_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_guests_contact_id_contacts')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_guests_invitation_id_invitations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guests')),
    sa.UniqueConstraint('code', name=op.f('uq_guests_code')),
    sa.UniqueConstraint('token', name=op.f('uq_guests_token'))
    )
    with op.batch_alter_table('guests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guests_invitation_id'), ['invitation_id'], unique=False)
    op.create_table('rates',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('date_id', sa.String(length=36), nullable=True),
    sa.Column('zone_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), server_default='public', nullable=False),
    sa.Column('price_minor', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='CHF', nullable=False),
    sa.Column('visible', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('position', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['date_id'], ['event_dates.id'], name=op.f('fk_rates_date_id_event_dates')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_rates_event_id_events')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_rates_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rates'))
    )
    with op.batch_alter_table('rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rates_event_id'), ['event_id'], unique=False)
    op.create_table('seats',
    sa.Column('zone_id', sa.String(length=36), nullable=False),
    sa.Column('row', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_seats_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seats'))
    )
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seats_zone_id'), ['zone_id'], unique=False)
    op.create_table('companions',
    sa.Column('guest_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('cl', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['guest_id'], ['guests.id'], name=op.f('fk_companions_guest_id_guests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companions')),
    sa.UniqueConstraint('code', name=op.f('uq_companions_code'))
    )
    with op.batch_alter_table('companions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companions_guest_id'), ['guest_id'], unique=False)
    op.create_table('passes',
    sa.Column('definition_id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=True),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('seat_id', sa.String(length=36), nullable=True),
    sa.Column('state', sa.String(length=20), server_default='valid', nullable=False),
    sa.Column('credit_minor', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['definition_id'], ['pass_definitions.id'], name=op.f('fk_passes_definition_id_pass_definitions')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_passes_order_id_orders')),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_passes_seat_id_seats')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passes')),
    sa.UniqueConstraint('secret', name=op.f('uq_passes_secret'))
    )
    with op.batch_alter_table('passes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passes_definition_id'), ['definition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passes_order_id'), ['order_id'], unique=False)
    op.create_table('tickets',
    sa.Column('order_id', sa.String(length=36), nullable=True),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('date_id', sa.String(length=36), nullable=False),
    sa.Column('zone_id', sa.String(length=36), nullable=True),
    sa.Column('seat_id', sa.String(length=36), nullable=True),
    sa.Column('rate_id', sa.String(length=36), nullable=True),
    sa.Column('pass_id', sa.String(length=36), nullable=True),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('holder_name', sa.String(), server_default='', nullable=False),
    sa.Column('price_minor', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='CHF', nullable=False),
    sa.Column('state', sa.String(length=20), server_default='valid', nullable=False),
    sa.Column('cancelled_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['date_id'], ['event_dates.id'], name=op.f('fk_tickets_date_id_event_dates')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_tickets_event_id_events')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_tickets_order_id_orders')),
    sa.ForeignKeyConstraint(['pass_id'], ['passes.id'], name=op.f('fk_tickets_pass_id_passes')),
    sa.ForeignKeyConstraint(['rate_id'], ['rates.id'], name=op.f('fk_tickets_rate_id_rates')),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_tickets_seat_id_seats')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_tickets_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('secret', name=op.f('uq_tickets_secret'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_date_id'), ['date_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_order_id'), ['order_id'], unique=False)
    op.create_table('refunds',
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(), server_default='', nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_refunds_order_id_orders')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_refunds_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_order_id'), ['order_id'], unique=False)
    op.create_table('resales',
    sa.Column('pass_id', sa.String(length=36), nullable=False),
    sa.Column('date_id', sa.String(length=36), nullable=False),
    sa.Column('seat_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='offered', nullable=False),
    sa.Column('payout_kind', sa.String(length=20), server_default='transfer', nullable=False),
    sa.Column('percentage', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('iban', sa.String(length=34), server_default='', nullable=False),
    sa.Column('account_holder', sa.String(), server_default='', nullable=False),
    sa.Column('payout_minor', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('sold_ticket_id', sa.String(length=36), nullable=True),
    sa.Column('paid_at', boxoffice.model.base.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hlc', sa.String(length=80), server_default='', nullable=False),
    sa.Column('field_hlc', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', boxoffice.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['date_id'], ['event_dates.id'], name=op.f('fk_resales_date_id_event_dates')),
    sa.ForeignKeyConstraint(['pass_id'], ['passes.id'], name=op.f('fk_resales_pass_id_passes')),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_resales_seat_id_seats')),
    sa.ForeignKeyConstraint(['sold_ticket_id'], ['tickets.id'], name=op.f('fk_resales_sold_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resales'))
    )
    with op.batch_alter_table('resales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resales_pass_id'), ['pass_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('resales', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resales_pass_id'))
    op.drop_table('resales')
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_order_id'))
    op.drop_table('refunds')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_order_id'))
        batch_op.drop_index(batch_op.f('ix_tickets_event_id'))
        batch_op.drop_index(batch_op.f('ix_tickets_date_id'))
    op.drop_table('tickets')
    with op.batch_alter_table('passes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passes_order_id'))
        batch_op.drop_index(batch_op.f('ix_passes_definition_id'))
    op.drop_table('passes')
    with op.batch_alter_table('companions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companions_guest_id'))
    op.drop_table('companions')
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seats_zone_id'))
    op.drop_table('seats')
    with op.batch_alter_table('rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rates_event_id'))
    op.drop_table('rates')
    with op.batch_alter_table('guests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guests_invitation_id'))
    op.drop_table('guests')
    op.drop_table('credit_entries')
    with op.batch_alter_table('allotments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allotments_device_id'))
        batch_op.drop_index(batch_op.f('ix_allotments_date_id'))
    op.drop_table('allotments')
    with op.batch_alter_table('zones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zones_event_id'))
    op.drop_table('zones')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_event_id'))
    op.drop_table('questions')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_event_id'))
    op.drop_table('invitations')
    with op.batch_alter_table('event_dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_dates_event_id'))
    op.drop_table('event_dates')
    with op.batch_alter_table('pass_definitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pass_definitions_box_office_id'))
    op.drop_table('pass_definitions')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_box_office_id'))
    op.drop_table('events')
    op.drop_table('orders')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('ix_checkins_ticket')
    op.drop_table('checkins')
    op.drop_table('box_offices')
