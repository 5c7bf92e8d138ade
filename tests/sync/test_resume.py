"""A client killed with SIGKILL during an initial sync of 100,000 tickets resumes from its last page."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.demo import create_demo
from boxoffice.store.engine import DATABASE_FILE, open_store
from sync.client import SyncClient
from tests.live_server import LiveServer, running_server

TICKETS = 100_000


@pytest.fixture
def loaded_server(tmp_path: Path) -> Iterator[LiveServer]:
    with running_server(f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}") as live:
        organizer = Writer(open_store(tmp_path / "laptop"))
        client = SyncClient(organizer)
        client.enroll(live.url, live.organizer_code, "laptop")
        with organizer.transaction() as work:
            create_demo(work, tickets=TICKETS, contact_count=10)
        client.push()
        organizer.store.close()
        yield live


def _cursor(database: Path) -> int:
    if not database.exists():
        return 0
    with sqlite3.connect(database, timeout=5) as conn:
        try:
            row = conn.execute("SELECT cursor FROM sync_cursors WHERE scope = 'dates'").fetchone()
        except sqlite3.OperationalError:
            return 0
    return int(row[0]) if row else 0


def _date_scope_rows(conn: sqlite3.Connection) -> int:
    tickets = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    orders = conn.execute("SELECT count(*) FROM orders WHERE date_id IS NOT NULL").fetchone()[0]
    return int(tickets + orders)


def _boxoffice(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "boxoffice", "--data-dir", str(data_dir), *args]


@pytest.mark.slow
class TestKilledInitialSync:
    def test_sync_resumes_from_the_last_committed_page_and_ends_with_a_matching_checkpoint(
            self, loaded_server: LiveServer, tmp_path: Path):
        door_dir = tmp_path / "door"
        enrolled = subprocess.run(_boxoffice(door_dir, "enroll", "--server", loaded_server.url, "--code",
                                             loaded_server.organizer_code, "--role", "door", "--json"),
                                  capture_output=True, text=True, timeout=120)
        assert enrolled.returncode == 0, enrolled.stderr
        database = door_dir / DATABASE_FILE
        first = subprocess.Popen(_boxoffice(door_dir, "sync", "--once", "--json"), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while _cursor(database) == 0:  # wait for the first committed page of tickets
            assert first.poll() is None, "the sync finished before it could be killed"
            assert time.monotonic() < deadline, "no page was committed in time"
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(30)
        reached = _cursor(database)
        assert reached > 0
        with sqlite3.connect(database) as conn:
            # The date scope carries the orders of single-date sales as well as tickets, and a page may
            # hold only orders: what the kill left is counted over both.
            kept = _date_scope_rows(conn)
            assert conn.execute("SELECT count(*) FROM tickets").fetchone()[0] < TICKETS
        assert kept > 0

        second = subprocess.run(_boxoffice(door_dir, "sync", "--once", "--json"), capture_output=True, text=True,
                                timeout=600)
        assert second.returncode == 0, second.stderr
        report = json.loads(second.stdout.splitlines()[-1])
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == TICKETS
            total = _date_scope_rows(conn)
            checkpoint = json.loads(conn.execute(
                "SELECT checkpoint FROM sync_cursors WHERE scope = 'dates'").fetchone()[0])
        assert report["online"] and report["pulled"] <= total - kept + 1000  # resumed, not started over
        assert checkpoint["count"] >= TICKETS
        store = open_store(door_dir)
        try:
            from sync.replica import local_checkpoints

            with store.session() as session:
                assert local_checkpoints(session, ["dates"])["dates"] == (checkpoint["count"], checkpoint["hash"])
        finally:
            store.close()
