"""The SMTP relay's password leaves server_settings for the secrets folder (sync/server/mail/smtp_password.py):
a copy of the database no longer holds the relay's login (#13). On SQLite the old value is overwritten
on its page as well (secure_delete), not only unlinked from the row; PostgreSQL's old row
version goes at its next VACUUM.

Revision ID: s0009
Revises: s0008
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.server.mail.smtp_password import password_path, store_password

revision: str = "s0009"
down_revision: str | None = "s0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SMTP_KEY = "mail.smtp"


def upgrade() -> None:
    bind = op.get_bind()
    stored = bind.execute(sa.text("SELECT value FROM server_settings WHERE key = :key"), {"key": SMTP_KEY}).scalar()
    values = json.loads(stored) if stored is not None else {}
    if "password" not in values:
        return
    password = values.pop("password")
    if password and not password_path().exists():  # a file already there was written by a newer server: it wins
        store_password(password)
    if bind.dialect.name == "sqlite":
        _rewrite_zeroed(bind, json.dumps(values))
    else:
        bind.execute(sa.text("UPDATE server_settings SET value = :value WHERE key = :key"),
                     {"value": json.dumps(values), "key": SMTP_KEY})


def _rewrite_zeroed(bind: sa.Connection, value: str) -> None:
    """SQLite leaves a row's old text in its page's free space: emptied with secure_delete on, the
    table's page is zeroed whole (earlier values of the setting too), then the rows go back."""
    rows = [tuple(row) for row in bind.execute(sa.text("SELECT key, value FROM server_settings")).all()]
    bind.exec_driver_sql("PRAGMA secure_delete = ON")
    bind.execute(sa.text("DELETE FROM server_settings"))
    bind.exec_driver_sql("PRAGMA secure_delete = OFF")
    for key, old in rows:
        bind.execute(sa.text("INSERT INTO server_settings (key, value) VALUES (:key, :value)"),
                     {"key": key, "value": value if key == SMTP_KEY else old})


def downgrade() -> None:
    pass  # the password stays in its file: an older server asks for it again with `boxoffice-server smtp`
