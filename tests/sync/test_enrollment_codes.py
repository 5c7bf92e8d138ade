"""Enrollment you can take back (#13): profile codes expire, count their uses, are revoked; codes stored hashed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from boxoffice.store import migrate
from sync.client import Revoked, SyncError
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server import profiles
from sync.server.database import SERVER_MIGRATIONS, Database, upgrade
from tests.live_server import LiveServer, running_server
from tests.postgres import PostgresCluster

HEADERS = {SCHEMA_HEADER: str(SCHEMA_VERSION), "Content-Type": "application/json"}


def _profile(server: LiveServer, role: str = "door", hours: float = 24, uses: int = 1,
             made: datetime | None = None) -> str:
    db = Database(server.database_url)
    with db.session() as session:
        code = profiles.create(session, server.organizer_code, role, [], hours, uses, now=made).code
        session.commit()
    db.engine.dispose()
    return code


def _server_cli(server: LiveServer, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sync.server.cli", "profile", "--db", server.database_url,
                           "--organizer-code", server.organizer_code, *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "BOXOFFICE_LOG_DIR": str(tmp_path / "logs")})


def _rows(server: LiveServer, table: str) -> list[tuple[object, ...]]:
    db = Database(server.database_url)
    with db.engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
    db.engine.dispose()
    return rows


class TestProfileCodeLimits:
    def test_an_expired_profile_code_is_refused_with_its_expiry(self, make_device, server):
        code = _profile(server, hours=1, made=datetime.now(UTC) - timedelta(hours=2))
        with pytest.raises(SyncError, match=r"403: this code expired on \S+ \S+ UTC: ask the organizer for a new one"):
            make_device("door-1", role="door", code=code)

    def test_a_profile_code_enrolls_no_more_devices_than_its_uses(self, make_device, server):
        code = _profile(server, uses=2)
        make_device("door-1", role="door", code=code)
        make_device("door-2", role="door", code=code)
        with pytest.raises(SyncError, match="403: this code has already enrolled its 2 devices"):
            make_device("door-3", role="door", code=code)

    def test_the_list_shows_each_code_with_its_uses_and_state(self, make_device, server, tmp_path):
        code = _profile(server, uses=3)
        make_device("door-1", role="door", code=code)
        listed = _server_cli(server, tmp_path, "--list")
        assert listed.returncode == 0, listed.stderr
        [line] = listed.stdout.splitlines()
        assert "\tdoor\tevery date\t1 of 3 used\t" in line and line.endswith("2 uses left")
        assert code not in listed.stdout


class TestRevocation:
    def test_revoking_a_profile_code_locks_out_its_devices_and_the_code(self, make_device, server, tmp_path):
        code = _profile(server, uses=5)
        _door, door_client = make_device("door-1", role="door", code=code)
        profile_id = _server_cli(server, tmp_path, "--list").stdout.split("\t")[0]
        revoked = _server_cli(server, tmp_path, "--revoke", profile_id)
        assert revoked.returncode == 0, revoked.stderr
        assert revoked.stdout.strip() == "revoked; 1 device locked out"
        door_client._credentials.token = ""
        with pytest.raises(Revoked):
            door_client.sync_once()
        with pytest.raises(SyncError, match="403: this code was revoked"):
            make_device("door-2", role="door", code=code)
        assert _server_cli(server, tmp_path, "--list").stdout.strip().endswith("revoked")

    def test_revoking_an_unknown_profile_code_says_so(self, server, tmp_path):
        refused = _server_cli(server, tmp_path, "--revoke", "not-a-code")
        assert refused.returncode == 1 and "no profile code not-a-code for this organizer" in refused.stderr

    def test_a_revoked_device_cannot_come_back_with_its_old_code_under_a_new_id(self, make_device, server):
        _laptop, laptop_client = make_device("laptop")
        code = _profile(server, uses=5)
        door, _door_client = make_device("door-1", role="door", code=code)
        answer = requests.post(f"{server.url}/v1/devices/{door.device_id}/revoke", timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {laptop_client._token()}"})
        assert answer.status_code == 204
        with pytest.raises(SyncError, match="403: this code was revoked"):
            make_device("door-1-wiped", role="door", code=code)


class TestCodesAtRest:
    def test_organizer_and_profile_codes_are_not_stored_as_typed(self, make_device, server):
        code = _profile(server, uses=2)
        make_device("door-1", role="door", code=code.lower())  # typed in lower case, still the same code
        stored = repr(_rows(server, "organizers") + _rows(server, "profile_codes"))
        assert server.organizer_code not in stored and code not in stored
        assert server.organizer_code.lower() not in stored and code.lower() not in stored


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A server database as it was before the codes were hashed (s0005)."""
    if request.param == "sqlite":
        (tmp_path / "old").mkdir()
        url = f"sqlite:///{tmp_path / 'old' / 'server.sqlite3'}"
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        url = cluster.create_database(f"old_{os.getpid()}_{id(request)}")
    db = Database(url)
    migrate.upgrade(db.engine, search_indexes=False)
    config = Config()
    config.set_main_option("script_location", str(SERVER_MIGRATIONS))
    config.attributes["engine"] = db.engine
    command.upgrade(config, "s0005")
    with db.engine.begin() as connection:
        now = datetime.now(UTC).replace(tzinfo=None)  # as UTCDateTime stores it
        connection.execute(text("INSERT INTO organizers (id, name, code, created_at) VALUES "
                                "('org-1', 'Théâtre', 'ORGCODE12345', :now)"), {"now": now})
        connection.execute(text("INSERT INTO change_counters (organizer_id, value) VALUES ('org-1', 0)"))
        connection.execute(text("INSERT INTO profile_codes (code, organizer_id, role, dates, created_at) VALUES "
                                "('PROFILE12345', 'org-1', 'door', '[]', :now)"), {"now": now})
    upgrade(db.engine)
    db.engine.dispose()
    return url


class TestUpgrade:
    def test_codes_issued_before_the_upgrade_still_enroll_and_are_stored_hashed(self, old_database):
        with running_server(old_database, migrate=False) as old:
            for number, code in enumerate(("orgcode-12345", "PROFILE12345")):
                answer = requests.post(f"{old.url}/v1/devices/enroll", timeout=10, headers=HEADERS, json={
                    "code": code, "device_id": f"00000000-0000-7000-8000-00000000000{number}", "name": "door"})
                assert answer.status_code == 200, answer.text
            stored = repr(_rows(old, "organizers") + _rows(old, "profile_codes"))
        assert "ORGCODE12345" not in stored and "PROFILE12345" not in stored
