"""The key that signs access tokens lives in a 0600 secrets file, never in the database; rotate-key keeps old tokens."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import requests
from sqlalchemy import select

from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.app import create_app
from sync.server.database import Database, upgrade
from sync.server.tables import ServerSetting
from sync.server.token_keys import KEYS_FILE, load_keys
from tests.live_server import serving

HEADERS = {SCHEMA_HEADER: str(SCHEMA_VERSION), "Content-Type": "application/json"}


def _pull(url: str, token: str) -> requests.Response:
    return requests.post(f"{url}/v1/pull", json={"cursors": {}}, timeout=10,
                         headers={**HEADERS, "Authorization": f"Bearer {token}"})


def _settings_keys(database_url: str) -> list[str]:
    db = Database(database_url)
    with db.session() as session:
        keys = list(session.scalars(select(ServerSetting.key)))
    db.engine.dispose()
    return keys


def _rotate(database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sync.server.cli", "rotate-key", "--db", database_url],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))


class TestSigningKey:
    def test_the_key_is_in_a_0600_secrets_file_and_not_in_the_database(self, make_device, server,
                                                                        server_secrets: Path):
        make_device("laptop")
        path = server_secrets / KEYS_FILE
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(server_secrets.stat().st_mode) == 0o700
        assert len(bytes.fromhex(json.loads(path.read_text())["current"])) == 32
        assert "token_key" not in _settings_keys(server.database_url)

    def test_an_older_servers_key_leaves_the_database_and_its_tokens_stay_valid(self, tmp_path: Path,
                                                                               server_secrets: Path):
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        db = Database(url)
        upgrade(db.engine)
        old_key = bytes(range(32))
        with db.session() as session:
            session.add(ServerSetting(key="token_key", value=old_key.hex()))
            session.commit()
            keys = load_keys(session)
            session.commit()
        db.engine.dispose()
        assert keys.current == old_key
        assert json.loads((server_secrets / KEYS_FILE).read_text())["current"] == old_key.hex()
        assert "token_key" not in _settings_keys(url)


class TestRotateKey:
    def test_tokens_of_the_previous_key_stay_valid_and_older_ones_are_refused(self, make_device, server,
                                                                              server_secrets: Path):
        _writer, client = make_device("laptop")
        before = client._token()
        rotated = _rotate(server.database_url)
        assert rotated.returncode == 0, rotated.stderr
        assert "restart every server process" in rotated.stdout
        path = server_secrets / KEYS_FILE
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with serving(create_app(server.database_url, migrate=False)) as restarted:
            assert _pull(restarted, before).status_code == 200  # signed with the previous key
        assert _rotate(server.database_url).returncode == 0
        with serving(create_app(server.database_url, migrate=False)) as again:
            answer = _pull(again, before)  # two rotations ago
            assert answer.status_code == 401 and "not valid" in answer.json()["detail"]
            fresh = requests.post(f"{again}/v1/devices/token", timeout=10, headers=HEADERS,
                                  json={"device_id": _writer.device_id, "secret": client._credentials.secret})
            assert fresh.status_code == 200, fresh.text
            assert _pull(again, fresh.json()["token"]).status_code == 200


class TestKeysFromTheEnvironment:
    def test_keys_given_in_the_environment_are_used_and_rotate_key_says_to_change_them_there(
            self, tmp_path: Path, server_secrets: Path, monkeypatch):
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        db = Database(url)
        upgrade(db.engine)
        monkeypatch.setenv("BOXOFFICE_TOKEN_KEYS", f"{'ab' * 32},{'cd' * 32}")
        with db.session() as session:
            keys = load_keys(session)
        db.engine.dispose()
        assert keys.accepted == (bytes.fromhex("ab" * 32), bytes.fromhex("cd" * 32))
        assert not (server_secrets / KEYS_FILE).exists()
        refused = _rotate(url)
        assert refused.returncode == 1 and "come from $BOXOFFICE_TOKEN_KEYS" in refused.stderr
        monkeypatch.setenv("BOXOFFICE_TOKEN_KEYS", "not hex")
        broken = _rotate(url)
        assert broken.returncode == 1 and "$BOXOFFICE_TOKEN_KEYS must hold one or two keys in hex" in broken.stderr
