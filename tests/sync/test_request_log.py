"""The server's log: one line per request with its time, tokens kept out, and a full sync that logs no secret."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from boxoffice import logs
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.demo import create_demo
from boxoffice.store.device_secret import load_secret
from boxoffice.store.engine import open_store
from sync.client import SyncClient
from sync.server import organizers
from sync.server.database import Database
from tests.live_server import LiveServer, running_server

PASSWORD = "correct horse battery staple"


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("BOXOFFICE_LOG_DIR", str(tmp_path / "logs"))
    root = logging.getLogger()
    level = root.level
    yield tmp_path / "logs"
    for handler in [h for h in root.handlers if getattr(h, "boxoffice_log", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    with running_server(f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}") as server:
        yield server


def _read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


class TestRequestLines:
    def test_each_request_is_one_line_with_method_path_status_and_time(self, log_dir: Path, live: LiveServer):
        path = logs.start_logging("boxoffice-server")
        assert requests.get(f"{live.url}/v1/health", timeout=10).status_code == 200
        requests.post(f"{live.url}/v1/pull", json={}, timeout=10)
        text = _read(path)
        assert re.search(r"boxoffice\.server\.requests: GET /v1/health 200 \d+\.\d ms", text)
        assert re.search(r"boxoffice\.server\.requests: POST /v1/pull 4\d\d \d+\.\d ms", text)

    def test_a_token_in_the_path_or_query_is_not_written(self, log_dir: Path, live: LiveServer):
        path = logs.start_logging("boxoffice-server")
        requests.get(f"{live.url}/rsvp/GuestToken123456?edit=1", timeout=10)
        requests.get(f"{live.url}/pass/HolderToken654321", timeout=10)
        text = _read(path)
        assert "GuestToken123456" not in text and "HolderToken654321" not in text and "edit=1" not in text
        assert "GET /rsvp/{token} " in text and "GET /pass/{token} " in text

    def test_json_lines_carry_the_request_fields(self, log_dir: Path, live: LiveServer):
        path = logs.start_logging("boxoffice-server", log_format="json")
        requests.get(f"{live.url}/v1/health", timeout=10)
        lines = [json.loads(line) for line in _read(path).splitlines()]
        health = [line for line in lines if line.get("path") == "/v1/health"]
        assert health and health[0]["method"] == "GET" and health[0]["status"] == 200
        assert isinstance(health[0]["duration_ms"], float)


class TestNoSecretInTheLog:
    def test_a_full_sync_with_an_account_login_logs_no_password_token_or_device_secret(
            self, log_dir: Path, live: LiveServer, tmp_path: Path):
        path = logs.start_logging("boxoffice", "DEBUG")
        db = Database(live.database_url)
        with db.session() as session:
            organizers.create_account(session, live.organizer_code, "desk@theatre.example", PASSWORD)
            session.commit()
        db.engine.dispose()
        laptop_writer = Writer(open_store(tmp_path / "laptop"))
        laptop = SyncClient(laptop_writer)
        laptop.enroll(live.url, None, "laptop", email="desk@theatre.example", password=PASSWORD)
        with laptop_writer.transaction() as work:
            create_demo(work, tickets=50, contact_count=20)
        laptop.sync_once()
        door_writer = Writer(open_store(tmp_path / "door"))
        door = SyncClient(door_writer)
        door.enroll(live.url, live.profile("door", []), "north door")
        door.sync_once()
        secrets = [PASSWORD, live.organizer_code, laptop.credentials().token, door.credentials().token]
        for writer in (laptop_writer, door_writer):
            secrets.append(load_secret(writer.store.folder, writer.device_id))
            writer.store.close()
        text = _read(path)
        assert "POST /v1/push 200" in text and "POST /v1/pull 200" in text and "POST /v1/devices/enroll 200" in text
        assert all(len(secret) >= 8 for secret in secrets)
        for secret in secrets:
            assert secret not in text


class TestServeCommand:
    def test_serve_with_json_format_writes_json_request_lines_to_its_log_file(self, tmp_path: Path):
        import os
        import subprocess
        import sys
        import time

        from tests.live_server import free_port

        port = free_port()
        env = {**os.environ, "BOXOFFICE_LOG_DIR": str(tmp_path / "logs")}
        server = subprocess.Popen([sys.executable, "-m", "sync.server.cli", "serve", "--db",
                                   f"sqlite:///{tmp_path / 'server.sqlite3'}", "--port", str(port), "--no-mail",
                                   "--log-format", "json"], env=env, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                    break
                except requests.ConnectionError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.05)
        finally:
            server.terminate()
            server.wait(20)
        lines = [json.loads(line) for line in (tmp_path / "logs" / "boxoffice-server.log").read_text().splitlines()]
        assert any(line.get("path") == "/v1/health" and line["status"] == 200 for line in lines)
