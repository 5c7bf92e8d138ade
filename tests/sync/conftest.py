"""A real sync server under uvicorn on 127.0.0.1, and device stores that talk to it."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import DATABASE_FILE, open_store
from sync.client import SyncClient
from sync.server.database import Database, upgrade
from tests.live_server import LiveServer, running_server
from tests.postgres import PostgresCluster


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    cluster.start()
    template = cluster.create_database("migrated")
    db = Database(template)
    upgrade(db.engine)
    db.engine.dispose()
    yield cluster
    cluster.stop()


_databases = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def server_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every server test runs on the embedded SQLite and on a real PostgreSQL (S5)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}"
        db = Database(url)
        upgrade(db.engine)
        db.engine.dispose()
        return url
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.create_database(f"test_{next(_databases)}", template="migrated")


@pytest.fixture
def server(server_database: str) -> Iterator[LiveServer]:
    with running_server(server_database, migrate=False) as live:
        yield live


@pytest.fixture
def make_device(tmp_path: Path, store_template: Path, server: LiveServer) -> Iterator[object]:
    """make_device(name, role=..., dates=...) -> an enrolled (Writer, SyncClient)."""
    opened: list[Writer] = []

    def make(name: str, role: str = "organizer", dates: list[str] | None = None, code: str | None = None,
             enroll: bool = True) -> tuple[Writer, SyncClient]:
        folder = tmp_path / "devices" / name
        folder.mkdir(parents=True)
        shutil.copy(store_template, folder / DATABASE_FILE)
        writer = Writer(open_store(folder))
        opened.append(writer)
        client = SyncClient(writer)
        if enroll:
            client.enroll(server.url, code or server.organizer_code, name, role, dates)
        return writer, client

    yield make
    for writer in opened:
        writer.store.close()
