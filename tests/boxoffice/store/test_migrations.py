"""The schema comes only from Alembic; an old database is upgraded in place with its data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from boxoffice.model import Base
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts
from boxoffice.services.demo import create_demo
from boxoffice.store import migrate
from boxoffice.store.engine import DATABASE_FILE, create_sqlite_engine, open_store


def _not_a_search_index(name: str | None, kind: str, _parent: object) -> bool:
    # FTS5 tables and their shadow tables (migration 0012) live outside the model.
    return not (kind == "table" and name is not None and "_fts" in name)


class TestMigrations:
    def test_a_database_at_the_first_revision_upgrades_to_head_keeping_its_contacts(self, tmp_path: Path):
        engine = create_sqlite_engine(tmp_path / DATABASE_FILE)
        migrate.upgrade(engine, "0001")
        assert "tickets" not in inspect(engine).get_table_names()
        now = datetime.now(UTC).replace(tzinfo=None)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO contact_lists (id, name, created_at) VALUES ('L1', 'Old list', :t)"),
                         {"t": now})
            conn.execute(text("INSERT INTO contacts (id, list_id, email, created_at) "
                              "VALUES ('C1', 'L1', 'old@example.ch', :t)"), {"t": now})
        engine.dispose()
        store = open_store(tmp_path)
        try:
            assert migrate.current_revision(store.engine) == migrate.head_revision()
            with store.session() as session:
                [summary] = contacts.list_summaries(session)
                assert (summary.name, summary.contacts) == ("Old list", 1)
            with Writer(store).transaction() as work:
                contacts.add_contact(work, "L1", "new@example.ch")
        finally:
            store.close()

    def test_orders_of_an_older_copy_learn_their_date_from_their_tickets(self, tmp_path: Path):
        # A copy made before 0016: orders had no date, so a door pulled every order of every date.
        store = open_store(tmp_path)
        with Writer(store).transaction() as work:
            create_demo(work, tickets=300, contact_count=0)
        with store.engine.connect() as conn:
            dates_of = {order: set(dates.split(",")) for order, dates in conn.execute(text(
                "SELECT order_id, group_concat(DISTINCT date_id) FROM tickets GROUP BY order_id"))}
        command.downgrade(migrate.alembic_config(store.engine), "0015")
        assert "date_id" not in {c["name"] for c in inspect(store.engine).get_columns("orders")}
        store.close()

        store = open_store(tmp_path)
        try:
            with store.engine.connect() as conn:
                found = {row.id: row.date_id for row in conn.execute(text("SELECT id, date_id FROM orders"))}
        finally:
            store.close()
        expected = {order: next(iter(dates)) if len(dates) == 1 else None for order, dates in dates_of.items()}
        assert len(found) >= 100 and {o: found[o] for o in expected} == expected
        assert set(found.values()) - {None}, "no order of the demo got its date"

    def test_the_migrated_schema_matches_the_model_exactly(self, tmp_path: Path):
        store = open_store(tmp_path)
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": _not_a_search_index})
            differences = compare_metadata(context, Base.metadata)
        store.close()
        assert differences == []

    def test_opening_twice_does_not_recreate_the_database(self, tmp_path: Path):
        store = open_store(tmp_path)
        with Writer(store).transaction() as work:
            contacts.create_list(work, "Kept")
        store.close()
        again = open_store(tmp_path)
        with again.session() as session:
            assert [s.name for s in contacts.list_summaries(session)] == ["Kept"]
        again.close()

    def test_the_store_runs_in_wal_mode(self, tmp_path: Path):
        store = open_store(tmp_path)
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        store.close()
