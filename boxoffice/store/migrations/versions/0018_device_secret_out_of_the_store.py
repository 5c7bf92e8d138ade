"""The device's secret leaves local_device for the OS keyring, or a 0600 file beside the database where
there is none (boxoffice/store/device_secret.py, #13): a copy of the SQLite file no longer lets anyone
sync as the device. The table is copied without the column with secure_delete on, so the pages that
held the secret (every earlier version of the row too: the clock rewrites it often) are zeroed, not
only unlinked; open_store then empties the write-ahead log, which still has them.

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from boxoffice.store.device_secret import load_secret, store_secret

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _folder(bind: sa.Connection) -> Path:
    return Path(bind.engine.url.database or "").parent


def upgrade() -> None:
    bind = op.get_bind()
    paired = bind.execute(sa.text("SELECT id, secret FROM local_device WHERE secret <> ''")).all()
    for device_id, secret in paired:  # a device store has one row; the server's copy of the table none
        store_secret(_folder(bind), device_id, secret)
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        bind.exec_driver_sql("PRAGMA secure_delete = ON")
    with op.batch_alter_table("local_device", recreate="always" if sqlite else "auto") as batch_op:
        batch_op.drop_column("secret")
    if sqlite:
        bind.exec_driver_sql("PRAGMA secure_delete = OFF")


def downgrade() -> None:
    # An older app reads the secret from the table: it goes back there, and stays in the keyring too.
    with op.batch_alter_table("local_device") as batch_op:
        batch_op.add_column(sa.Column("secret", sa.String(), server_default="", nullable=False))
    bind = op.get_bind()
    for (device_id,) in bind.execute(sa.text("SELECT id FROM local_device")).all():
        secret = load_secret(_folder(bind), device_id)
        if secret:
            bind.execute(sa.text("UPDATE local_device SET secret = :secret WHERE id = :id"),
                         {"secret": secret, "id": device_id})
