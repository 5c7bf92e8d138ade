"""Open the device's SQLite database: pragmas, migrations to head, sessions."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from boxoffice.store import migrate
from boxoffice.store.device_secret import SECRET_FILE, forget_secret
from boxoffice.store.private_files import private_database

DATABASE_FILE = "boxoffice.sqlite3"


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # page_size only matters before the first table exists; 16 KiB pages make bulk imports
    # ~25 % faster (measured in benchmarks/contacts_import.py).
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA page_size=16384",
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA busy_timeout=10000",
        "PRAGMA foreign_keys=ON",
        "PRAGMA cache_size=-32000",
        "PRAGMA temp_store=MEMORY",
        # Checkpoints run in the background (Checkpointer); this is only the safety net, so a
        # committing writer (a door's verdict) seldom pays for copying the log into the database.
        "PRAGMA wal_autocheckpoint=20000",
    ):
        cursor.execute(pragma)
    cursor.close()


def _on_checkout(dbapi_connection: sqlite3.Connection, _record: Any, _proxy: Any) -> None:
    # A pull turns foreign keys off on its own connection (sync/client.py); every other user of
    # a pooled connection gets them back on.
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def create_sqlite_engine(path: Path) -> Engine:
    """An engine on `path` with the store's pragmas; the file and its folder private to this user."""
    private_database(path)
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "checkout", _on_checkout)
    return engine


class Checkpointer:
    """Copies the write-ahead log into the database every second on its own connection.

    A PASSIVE checkpoint never blocks readers or the writer; measured in benchmarks/door.py, it
    takes the ~15 ms log copies off the verdicts' p99.
    """

    def __init__(self, path: Path, interval: float = 1.0) -> None:
        self._path, self._interval = path, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, check_same_thread=False)
        try:
            while not self._stop.wait(self._interval):
                with contextlib.suppress(sqlite3.Error):  # busy or closing: the next round will do
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


class Store:
    """A device's database: one engine, sessions for readers and for the single writer."""

    def __init__(self, engine: Engine, checkpointer: Checkpointer | None = None) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._checkpointer = checkpointer

    def session(self) -> Session:
        return self._sessions()

    @property
    def folder(self) -> Path:
        """The data directory: the database's folder, where what is kept beside it goes (device-secret)."""
        return Path(self.engine.url.database or "").parent

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.engine.dispose()


def checkpoint(store: Store) -> None:
    """Copy the whole write-ahead log into the database and empty it, after bulk work.

    The background checkpoints are PASSIVE and leave the log file at its largest size (a
    1,000,000-ticket demo left 1.27 GB); TRUNCATE waits for readers, then cuts it to zero.
    """
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def wipe_store(data_dir: Path) -> None:
    """Delete this device's database and its secret (a revoked device must not keep the organizer's data)."""
    path = Path(data_dir) / DATABASE_FILE
    if path.exists():
        with contextlib.closing(sqlite3.connect(path)) as connection, contextlib.suppress(sqlite3.Error):
            for (device_id,) in connection.execute("SELECT id FROM local_device"):
                forget_secret(Path(data_dir), device_id)
    for suffix in ("", "-wal", "-shm"):
        (Path(data_dir) / (DATABASE_FILE + suffix)).unlink(missing_ok=True)
    (Path(data_dir) / SECRET_FILE).unlink(missing_ok=True)


def open_store(data_dir: Path) -> Store:
    """Open (creating if needed) the database in `data_dir` and migrate it to the newest schema.

    An existing database is upgraded in place, never recreated.
    """
    path = Path(data_dir) / DATABASE_FILE
    engine = create_sqlite_engine(path)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    if before is not None and before != migrate.current_revision(engine):
        # The log still holds pages as they were before the migration (the device secret that
        # 0018 moved out, among others): copy it into the database and cut it to zero.
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return Store(engine, Checkpointer(path))
