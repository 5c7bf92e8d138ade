"""The server database: SQLite by default, PostgreSQL by URL; both schemas migrated by Alembic."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from boxoffice.store import migrate
from boxoffice.store.engine import create_sqlite_engine

SERVER_MIGRATIONS = Path(__file__).with_name("migrations")


def create_server_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        return create_sqlite_engine(Path(url.removeprefix("sqlite:///")))
    # Several processes share one PostgreSQL: keep each process's pool small.
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def upgrade(engine: Engine) -> None:
    """Domain tables through the device migrations, then the server's own tables."""
    migrate.upgrade(engine)
    config = Config()
    config.set_main_option("script_location", str(SERVER_MIGRATIONS))
    config.attributes["engine"] = engine
    command.upgrade(config, "head")


class Database:
    def __init__(self, url: str) -> None:
        self.engine = create_server_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._sqlite_writer = threading.Lock()

    def writing(self) -> AbstractContextManager[object]:
        """Around a write transaction. SQLite has one writer and answers SQLITE_BUSY at once to a
        read transaction that tries to become a write one, so this process takes turns itself;
        PostgreSQL locks rows, and several server processes share it."""
        return self._sqlite_writer if self.is_sqlite else nullcontext()

    def session(self) -> Session:
        return self._sessions()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"
