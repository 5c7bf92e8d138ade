"""A real sync server under uvicorn on 127.0.0.1, and device stores that talk to it."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from boxoffice.store.engine import DATABASE_FILE, open_store
from boxoffice.store.unit_of_work import Writer
from sync.client import SyncClient
from sync.server import organizers
from sync.server.app import create_app
from sync.server.database import Database, upgrade


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    database_url: str
    organizer_code: str

    def new_organizer(self, name: str) -> str:
        db = Database(self.database_url)
        with db.session() as session:
            code = organizers.create_organizer(session, name).code
            session.commit()
        db.engine.dispose()
        return code

    def profile(self, role: str, dates: list[str]) -> str:
        db = Database(self.database_url)
        with db.session() as session:
            code = organizers.create_profile(session, self.organizer_code, role, dates).code
            session.commit()
        db.engine.dispose()
        return code


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    database_url = f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}"
    db = Database(database_url)
    upgrade(db.engine)
    with db.session() as session:
        code = organizers.create_organizer(session, "Théâtre du Léman").code
        session.commit()
    db.engine.dispose()
    port = free_port()
    config = uvicorn.Config(create_app(database_url, migrate=False), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the sync server did not start"
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", database_url, code)
    running.should_exit = True
    thread.join(10)


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
