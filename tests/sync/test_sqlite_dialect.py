"""The server's SQLite savepoints, sent straight to the driver, keep SQLAlchemy's meaning and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from sync.server.database import Database, upgrade
from sync.server.tables import ServerSetting


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    upgrade(database.engine)
    return database


def test_a_rolled_back_savepoint_undoes_only_its_own_writes(db):
    with db.session() as session:
        session.connection(execution_options=db.write_options)
        session.add(ServerSetting(key="kept", value="1"))
        session.flush()
        inner = session.begin_nested()
        session.add(ServerSetting(key="undone", value="2"))
        session.flush()
        inner.rollback()
        released = session.begin_nested()
        session.add(ServerSetting(key="released", value="3"))
        released.commit()
        session.commit()
    with db.session() as session:
        assert set(session.scalars(select(ServerSetting.key))) >= {"kept", "released"}
        assert session.get(ServerSetting, "undone") is None
    db.engine.dispose()


def test_a_failing_savepoint_statement_is_an_operational_error(db):
    # e.g. after SQLite rolled the whole transaction back on a full disk: a 503 the device retries, not a 500.
    with db.engine.connect() as connection:
        connection.exec_driver_sql("BEGIN")
        with pytest.raises(OperationalError, match="no such savepoint"):
            connection.dialect.do_rollback_to_savepoint(connection, "never_made")
    db.engine.dispose()
