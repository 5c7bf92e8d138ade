"""Run the real sync server under uvicorn on 127.0.0.1 for tests (sync, UI, end to end)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

from sync.server import organizers, profiles
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
            _organizer, code = organizers.create_organizer(session, name)
            session.commit()
        db.engine.dispose()
        return code

    def profile(self, role: str, dates: list[str], uses: int = 1) -> str:
        db = Database(self.database_url)
        with db.session() as session:
            code = profiles.create(session, self.organizer_code, role, dates, uses=uses).code
            session.commit()
        db.engine.dispose()
        return code


@contextmanager
def running_server(database_url: str, migrate: bool = True) -> Iterator[LiveServer]:
    """A server on `database_url` with one organizer, serving until the block ends."""
    db = Database(database_url)
    if migrate:
        upgrade(db.engine)
    with db.session() as session:
        _organizer, code = organizers.create_organizer(session, "Théâtre du Léman")
        session.commit()
    db.engine.dispose()
    with serving(create_app(database_url, migrate=False)) as url:
        yield LiveServer(url, database_url, code)


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """`app` under uvicorn on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the sync server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
