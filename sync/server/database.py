"""The server database: SQLite by default, PostgreSQL by URL; both schemas migrated by Alembic."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool
from starlette.concurrency import run_in_threadpool

from boxoffice.store import migrate
from boxoffice.store.private_files import private_database
from sync.server.fragments import Fragments
from sync.server.group_commit import GroupCommit
from sync.server.sqlite_dialect import URL_SCHEME

T = TypeVar("T")
SERVER_MIGRATIONS = Path(__file__).with_name("migrations")


def _begin_sqlite(connection: Connection) -> None:
    # pysqlite (Python 3.11) itself begins a transaction only before INSERT, UPDATE or DELETE:
    # a SAVEPOINT before any of them would start one of its own, and its RELEASE would commit
    # the mutation before its applied_mutations row. Push and pull ask for an explicit BEGIN.
    mode = connection.get_execution_options().get("sqlite_begin")
    if mode:
        connection.exec_driver_sql(f"BEGIN {mode}")


# The device store's settings (boxoffice/store/engine.py) less what only a device needs: pages
# of 4 KiB, not 16 (a server commits a few rows at a time and each commit writes whole pages to
# the log: a push ~10 % cheaper); no "PRAGMA foreign_keys=ON" on every checkout (a device's pull
# turns them off on its connection, the server never does: it was 5 % of a pull); and SQLite's
# own checkpoint every 1,000 pages, as a server has no Checkpointer thread to keep its log short.
_PRAGMAS = ("PRAGMA page_size=4096", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
            "PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-32000",
            "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=1000")
# The writer thread, the pull threads (routes/replication.py) and the other routes' threads keep
# their connections: a smaller pool closed and reopened them under load.
SQLITE_POOL = 12


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in _PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def create_server_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) != ":memory:":
            # The folder is tightened only when made here: a --db may point into a shared one.
            private_database(path, tighten_folder=False)
        return _sqlite_engine(path, pool_size=SQLITE_POOL, max_overflow=SQLITE_POOL)
    # Several processes share one PostgreSQL: keep each process's pool small.
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _sqlite_engine(path: Path, **pool: Any) -> Engine:
    engine = create_engine(f"{URL_SCHEME}:///{path}", connect_args={"check_same_thread": False}, **pool)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def upgrade(engine: Engine) -> None:
    """Domain tables through the device migrations, then the server's own tables."""
    migrate.upgrade(engine, search_indexes=False)
    config = Config()
    config.set_main_option("script_location", str(SERVER_MIGRATIONS))
    config.attributes["engine"] = engine
    command.upgrade(config, "head")


class Database:
    def __init__(self, url: str) -> None:
        self.engine = create_server_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._sqlite_writer = threading.Lock()
        self._group = GroupCommit(self._sessions, self.write_options, self._sqlite_writer)
        # Pulls' row texts (sync/server/fragments.py): a cache, nothing that matters lives only here.
        self.fragments = Fragments()
        self._pull_engine: Engine | None = None

    def writing(self) -> AbstractContextManager[object]:
        """Around a write transaction. SQLite has one writer and answers SQLITE_BUSY at once to a
        read transaction that tries to become a write one, so this process takes turns itself;
        PostgreSQL locks rows, and several server processes share it."""
        return self._sqlite_writer if self.is_sqlite else nullcontext()

    def session(self) -> Session:
        return self._sessions()

    async def write(self, work: Callable[[Session], T]) -> T:
        """`work(session)` in a write transaction, committed when this returns (work never commits).

        On SQLite the process's writer thread runs concurrent callers' work in one transaction
        and one commit, each under its own savepoint (sync/server/group_commit.py); on
        PostgreSQL each has a transaction of its own in a worker thread.
        """
        if self.is_sqlite:
            return await asyncio.wrap_future(self._group.submit(work))
        return await run_in_threadpool(self._write_alone, work)

    def _write_alone(self, work: Callable[[Session], T]) -> T:
        with self.session() as opened:
            result = work(opened)
            opened.commit()
        return result

    @property
    def pull_engine(self) -> Engine:
        """Where pulls read. On SQLite they run one at a time on the event loop, so they get one
        connection of their own: waiting there for the shared pool would stop every other call,
        the ones that would give connections back included."""
        if not self.is_sqlite or self.engine.url.database in (None, "", ":memory:"):
            return self.engine
        if self._pull_engine is None:
            self._pull_engine = _sqlite_engine(Path(str(self.engine.url.database)), poolclass=StaticPool)
        return self._pull_engine

    @property
    def write_options(self) -> dict[str, Any]:
        """Execution options of a write transaction: on SQLite it takes the write lock at BEGIN."""
        return {"sqlite_begin": "IMMEDIATE"} if self.is_sqlite else {}

    @property
    def snapshot_options(self) -> dict[str, Any]:
        """Execution options of a read whose statements all see one snapshot (a pull's page and checkpoints)."""
        return {"sqlite_begin": "DEFERRED"} if self.is_sqlite else {"isolation_level": "REPEATABLE READ"}

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"
