"""Every pass sold before gets its pass-area key (device migration 0015 added the column), and a new
change number so that devices receive it: the organizer's app prints the new link; the old links,
derived from the QR secret a door holds, stop working (#13).

Revision ID: s0007
Revises: s0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from boxoffice.store.ids import new_secret
from sync.server.checkpoints import rebuild

revision: str = "s0007"
down_revision: str | None = "s0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    keyless = bind.execute(sa.text(
        "SELECT p.id, c.organizer_id FROM passes p JOIN row_changes c ON c.entity = 'passes' AND c.entity_id = p.id "
        "WHERE p.area_key IS NULL")).all()
    for pass_id, organizer_id in keyless:
        bind.execute(sa.text("UPDATE passes SET area_key = :key WHERE id = :id"), {"key": new_secret(), "id": pass_id})
        top = bind.execute(sa.text("UPDATE change_counters SET value = value + 1 WHERE organizer_id = :o "
                                   "RETURNING value"), {"o": organizer_id}).scalar()
        bind.execute(sa.text("UPDATE row_changes SET seq = :seq WHERE entity = 'passes' AND entity_id = :id"),
                     {"seq": top, "id": pass_id})
    if keyless:
        rebuild(bind)


def downgrade() -> None:
    pass  # the keys stay: the device migration's downgrade drops the column
