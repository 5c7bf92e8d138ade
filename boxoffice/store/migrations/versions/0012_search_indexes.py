"""Search indexes: FTS5 over contacts, orders and ticket holders; contacts in name order; orders by sale time.

Names, e-mails and order numbers are found through FTS5 (`unicode61 remove_diacritics 2`: "muller"
finds "Müller", case ignored), with prefix indexes so the first letters typed are answered from one
doclist. Each index is an external-content table kept in step with its table by triggers, so every
writer (mutations, sync, bulk inserts) updates it in the same transaction.

A later migration that recreates contacts, orders or tickets (batch mode's copy) drops these
triggers and may renumber rowids: it must call `create_search_triggers` again and rebuild the
indexes (`INSERT INTO x_fts(x_fts) VALUES('rebuild')`).

Revision ID: 0012
Revises: 0006
"""

from collections.abc import Sequence

from alembic import context, op

revision: str = "0012"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> the columns its search index holds
SEARCHED = {
    "contacts": ("email", "first_name", "last_name"),
    "orders": ("number", "customer_name", "customer_email"),
    "tickets": ("holder_name",),
}
TOKENIZER = "unicode61 remove_diacritics 2"


def create_search_triggers(table: str, columns: Sequence[str]) -> None:
    index = f"{table}_fts"
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    remove = f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.rowid, {old});"
    add = f"INSERT INTO {index}(rowid, {names}) VALUES (new.rowid, {new});"
    op.execute(f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {remove} END")
    op.execute(f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} BEGIN {remove} {add} END")


def _on_sqlite() -> bool:
    # The sync server runs these migrations too (on SQLite or PostgreSQL): it searches nothing, so
    # it gets the plain indexes only (boxoffice.store.migrate: search_indexes=False).
    wanted = context.config.attributes.get("search_indexes", True)
    return bool(wanted) and op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch_op:
        batch_op.create_index("ix_orders_sold_at", ["sold_at"], unique=False)
    if not _on_sqlite():
        op.execute("CREATE INDEX ix_contacts_list_name ON contacts (list_id, lower(last_name), lower(first_name), "
                   "id) WHERE cl % 2 = 1 AND NOT deleted")
        return
    for table, columns in SEARCHED.items():
        index = f"{table}_fts"
        op.execute(f"CREATE VIRTUAL TABLE {index} USING fts5({', '.join(columns)}, content='{table}', "
                   f"content_rowid='rowid', tokenize='{TOKENIZER}', prefix='1 2 3')")
        op.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
        create_search_triggers(table, columns)
    # The contacts table's lazy windows walk this index in name order; its WHERE makes it cover
    # the count of a list's present contacts too.
    op.execute("CREATE INDEX ix_contacts_list_name ON contacts (list_id, lower(last_name), lower(first_name), id) "
               "WHERE cl % 2 = 1 AND deleted = 0")


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_index("ix_orders_sold_at")
    op.execute("DROP INDEX ix_contacts_list_name")
    if not _on_sqlite():
        return
    for table in SEARCHED:
        index = f"{table}_fts"
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {index}_{suffix}")
        op.execute(f"DROP TABLE {index}")
