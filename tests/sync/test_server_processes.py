"""Two server processes on one PostgreSQL database behave as one (S5): no state that matters in memory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from boxoffice.model.contacts import Contact
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts
from boxoffice.store.engine import DATABASE_FILE, open_store
from sync.client import SyncClient
from sync.server.database import Database
from sync.server.tables import RowChange
from tests.live_server import free_port
from tests.postgres import PostgresCluster


@pytest.fixture
def two_servers(postgres: PostgresCluster) -> Iterator[tuple[list[str], str, str]]:
    url = postgres.create_database(f"two_{time.monotonic_ns()}", template="migrated")
    code = subprocess.run([sys.executable, "-m", "sync.server.cli", "init", "--db", url, "--organizer", "Two"],
                          capture_output=True, text=True, check=True).stdout.strip()
    processes, bases = [], []
    for _ in range(2):
        port = free_port()
        processes.append(subprocess.Popen([sys.executable, "-m", "sync.server.cli", "serve", "--db", url,
                                           "--port", str(port)]))
        bases.append(f"http://127.0.0.1:{port}")
    for base in bases:
        for _ in range(300):
            try:
                requests.get(f"{base}/v1/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
    yield bases, code, url
    for process in processes:
        process.terminate()
        process.wait(10)


def _device(folder: Path, template: Path, base: str, code: str, name: str) -> tuple[Writer, SyncClient]:
    folder.mkdir(parents=True)
    shutil.copy(template, folder / DATABASE_FILE)
    writer = Writer(open_store(folder))
    client = SyncClient(writer)
    client.enroll(base, code, name)
    return writer, client


class TestTwoProcesses:
    def test_devices_on_different_processes_converge_and_change_numbers_never_repeat(
            self, two_servers, tmp_path: Path, store_template: Path):
        bases, code, url = two_servers
        devices = [_device(tmp_path / f"d{i}", store_template, bases[i % 2], code, f"d{i}") for i in range(4)]
        with devices[0][0].transaction() as work:
            list_id = contacts.create_list(work, "Shared")
        devices[0][1].sync_once()
        for _writer, client in devices[1:]:
            client.sync_once()

        def add_and_push(index: int) -> None:
            writer, client = devices[index]
            for n in range(15):
                with writer.transaction() as work:
                    contacts.add_contact(work, list_id, f"d{index}-{n}@example.ch")
                client.push()

        threads = [threading.Thread(target=add_and_push, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for _writer, client in devices:
            client.sync_once()
        for writer, _client in devices:
            with writer.store.session() as session:
                assert session.scalar(select(func.count()).select_from(Contact)) == 60
        db = Database(url)
        with db.session() as session:
            seqs = list(session.scalars(select(RowChange.seq)))
        db.engine.dispose()
        assert len(seqs) == len(set(seqs)) == 61
        for writer, _client in devices:
            writer.store.close()
