"""Another user of the computer cannot read a device's or a server's database."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from boxoffice.store.engine import DATABASE_FILE, open_store
from sync.server.database import Database, upgrade


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most systems ship (022), under which SQLite alone makes its files readable by all."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _write_something(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO contact_lists (id, name, created_at) VALUES ('L1', 'Subscribers', :t)"),
                           {"t": datetime.now(UTC).replace(tzinfo=None)})


class TestDeviceStore:
    def test_a_new_data_directory_is_0700_and_its_database_and_logs_are_0600(self, tmp_path: Path, usual_umask):
        data_dir = tmp_path / "new" / "data"
        store = open_store(data_dir)
        try:
            _write_something(store.engine)
            database = data_dir / DATABASE_FILE
            assert _mode(data_dir) == 0o700
            assert {suffix: _mode(Path(f"{database}{suffix}")) for suffix in ("", "-wal", "-shm")} == {
                "": 0o600, "-wal": 0o600, "-shm": 0o600}
        finally:
            store.close()

    def test_a_store_left_readable_by_an_older_version_is_tightened_when_opened(self, tmp_path: Path, usual_umask):
        data_dir = tmp_path / "data"
        open_store(data_dir).close()
        database = data_dir / DATABASE_FILE
        data_dir.chmod(0o755)
        database.chmod(0o644)
        store = open_store(data_dir)
        try:
            assert (_mode(data_dir), _mode(database)) == (0o700, 0o600)
            _write_something(store.engine)  # still the owner's to read and write
        finally:
            store.close()


class TestServerDatabase:
    def test_the_server_command_creates_its_sqlite_folder_0700_and_file_0600(self, tmp_path: Path):
        folder = tmp_path / "server-data"
        result = subprocess.run([sys.executable, "-m", "sync.server.cli", "init", "--db",
                                 f"sqlite:///{folder / 'server.sqlite3'}", "--organizer", "Théâtre"],
                                capture_output=True, text=True, timeout=120, umask=0o022)
        assert result.returncode == 0, result.stderr
        assert (_mode(folder), _mode(folder / "server.sqlite3")) == (0o700, 0o600)

    def test_the_servers_write_ahead_log_is_0600_while_it_runs(self, tmp_path: Path, usual_umask):
        path = tmp_path / "server.sqlite3"
        tmp_path.chmod(0o750)
        folder_before = _mode(tmp_path)
        db = Database(f"sqlite:///{path}")
        try:
            upgrade(db.engine)
            _write_something(db.engine)
            assert {suffix: _mode(Path(f"{path}{suffix}")) for suffix in ("", "-wal", "-shm")} == {
                "": 0o600, "-wal": 0o600, "-shm": 0o600}
            assert _mode(tmp_path) == folder_before  # a folder --db names that exists already is left as it is
        finally:
            db.engine.dispose()
