"""Till closes (T5): one closing record per desk and day, refused any change once written.

The trigger lets the same values be written again and the sync bookkeeping change (server_seq, the
HLC stamps), but refuses a change of what was closed, on a device and on the server alike. Deleting
stays possible for sync alone: a device drops its copy of a close the server refused.

Revision ID: 0014
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.model.base

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What a closed till keeps as it was (not the sync bookkeeping: server_seq, hlc, field_hlc, created_at).
FROZEN = ("id", "device_id", "desk", "day", "timezone", "currency", "opening_float_minor", "counted_minor", "counts",
          "cash_sold_minor", "cash_refunded_minor", "expected_minor", "difference_minor", "takings", "refunds",
          "closed_by", "closed_at", "note", "deleted")
REFUSAL = "a closed till cannot be changed"


def upgrade() -> None:
    op.create_table(
        "till_closes",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("desk", sa.String(), server_default="", nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("opening_float_minor", sa.BigInteger(), nullable=False),
        sa.Column("counted_minor", sa.BigInteger(), nullable=False),
        sa.Column("counts", sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("cash_sold_minor", sa.BigInteger(), nullable=False),
        sa.Column("cash_refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("expected_minor", sa.BigInteger(), nullable=False),
        sa.Column("difference_minor", sa.BigInteger(), nullable=False),
        sa.Column("takings", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("refunds", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("closed_by", sa.String(), nullable=False),
        sa.Column("closed_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.Column("note", sa.String(), server_default="", nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=80), server_default="", nullable=False),
        sa.Column("field_hlc", sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("server_seq", sa.BigInteger(), nullable=True),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", boxoffice.model.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_closes")),
        sa.UniqueConstraint("device_id", "day", name=op.f("uq_till_closes_device_id_day")),
    )
    if op.get_bind().dialect.name == "postgresql":
        changed = " OR ".join(f"OLD.{c}::text IS DISTINCT FROM NEW.{c}::text" for c in FROZEN)
        op.execute(f"""CREATE FUNCTION till_closes_frozen() RETURNS trigger AS $$
            BEGIN
                IF {changed} THEN
                    RAISE EXCEPTION '{REFUSAL}';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER till_closes_frozen BEFORE UPDATE ON till_closes "
                   "FOR EACH ROW EXECUTE FUNCTION till_closes_frozen()")
    else:
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in FROZEN)
        op.execute(f"CREATE TRIGGER till_closes_frozen BEFORE UPDATE ON till_closes WHEN {changed} "
                   f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER till_closes_frozen ON till_closes")
        op.execute("DROP FUNCTION till_closes_frozen()")
    op.drop_table("till_closes")
