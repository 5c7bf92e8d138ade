"""The statements every push and pull runs (statements.py), sent straight to the database driver.

Through SQLAlchemy (even `exec_driver_sql`) each statement cost ~20 µs of Python around the
driver's own work, and a push and a pull run a dozen of them; the server holds the GIL all that
time. Statements run on the connection's DBAPI connection, inside the transaction SQLAlchemy
began, and errors come out as SQLAlchemy's (a busy database is still an OperationalError: 503).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from sync.server.statements import Statement


class Rows(list[tuple[Any, ...]]):
    """A statement's rows, with the two shortcuts the callers use."""

    def first(self) -> tuple[Any, ...] | None:
        return self[0] if self else None

    def scalar(self) -> Any:
        return self[0][0] if self else None


def run(connection: Connection, statement: Statement, params: tuple[Any, ...] | list[tuple[Any, ...]] = ()) -> Rows:
    """Run `statement` once, or once per tuple when `params` is a list; the rows it returns, if any.

    The connection must be in a transaction already (SQLAlchemy begins one at its first statement,
    a pull calls `begin()`): the driver alone would not send the BEGIN the server relies on.
    """
    assert connection.in_transaction(), "driver_sql.run outside a transaction"
    dialect = connection.dialect
    sql = statement.texts[dialect.name]
    dbapi_connection = connection.connection.dbapi_connection
    cursor = dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if isinstance(params, list):
            cursor.executemany(sql, params)
            return Rows()
        cursor.execute(sql, params)
        return Rows(cursor.fetchall()) if cursor.description else Rows()
    except dialect.loaded_dbapi.Error as exc:
        lost = dialect.is_disconnect(exc, dbapi_connection, cursor)
        if lost:
            connection.invalidate(exc)  # a dropped PostgreSQL connection never goes back to the pool
        raise DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error, connection_invalidated=lost,
                                  hide_parameters=connection.engine.hide_parameters, dialect=dialect,
                                  ismulti=isinstance(params, list)) from exc
    finally:
        cursor.close()
