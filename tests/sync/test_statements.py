"""Every statement push and pull send to the driver plans on both databases, with the indexes meant for it."""

from __future__ import annotations

import pytest

from sync.server.database import Database
from sync.server.statements import ALL, Statement


def _plan(database_url: str, statement: Statement, query_plan: bool = False) -> str:
    """EXPLAIN's answer: SQLite's program (or its query plan), PostgreSQL's plan; both compile the statement."""
    db = Database(database_url)
    try:
        with db.engine.connect() as connection:
            dialect = connection.dialect.name
            if dialect not in statement.texts:
                pytest.skip(f"{statement.name} runs on {', '.join(statement.texts)} only")
            explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" and query_plan else "EXPLAIN "
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(explain + statement.text(dialect), statement.sample)
                return "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall())
            finally:
                cursor.close()
                connection.rollback()
    finally:
        db.engine.dispose()

@pytest.mark.parametrize("name", sorted(ALL))
def test_each_statement_is_planned_by_the_database(server_database: str, name: str) -> None:
    plan = _plan(server_database, ALL[name])
    assert plan.strip()

@pytest.mark.parametrize("name", ["page_one", "page_one_packed"])
def test_a_scopes_page_walks_its_index(server_database: str, name: str) -> None:
    if not server_database.startswith("sqlite"):
        pytest.skip("PostgreSQL plans an empty table by a sequential scan")
    assert "ix_row_changes_scope" in _plan(server_database, ALL[name], query_plan=True)

def test_no_statement_keeps_a_question_mark_for_postgresql() -> None:
    for statement in ALL.values():
        if "postgresql" in statement.texts:
            assert "?" not in statement.texts["postgresql"], statement.name
            assert statement.texts["postgresql"].count("%s") == len(statement.sample), statement.name

