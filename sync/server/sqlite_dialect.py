"""The server's SQLite dialect: pysqlite with savepoints sent straight to the driver.

Core compiles and executes a SAVEPOINT clause like any other statement: ~45 µs a pair against
2 µs, and a push of one check-in takes two pairs (its own in the group commit and its mutation's).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Connection
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.exc import DBAPIError

URL_SCHEME = "sqlite+boxoffice_server"


class ServerSQLiteDialect(SQLiteDialect_pysqlite):
    supports_statement_cache = True  # a subclass must say so, or SQLAlchemy compiles every statement anew

    def do_savepoint(self, connection: Connection, name: str) -> None:
        _execute(connection, f'SAVEPOINT "{name}"')

    def do_release_savepoint(self, connection: Connection, name: str) -> None:
        _execute(connection, f'RELEASE SAVEPOINT "{name}"')

    def do_rollback_to_savepoint(self, connection: Connection, name: str) -> None:
        _execute(connection, f'ROLLBACK TO SAVEPOINT "{name}"')


def _execute(connection: Connection, sql: str) -> None:
    raw: sqlite3.Connection = connection.connection.driver_connection  # type: ignore[assignment]
    try:
        raw.execute(sql)
    except sqlite3.Error as exc:
        # As SQLAlchemy would raise it: a locked or failing disk is still an OperationalError (503, retried).
        raise DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc


registry.register("sqlite.boxoffice_server", __name__, "ServerSQLiteDialect")
