"""A paired device's secret lives in the keyring or a 0600 file beside its store, never in its database (#13)."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from alembic import command
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring
from sqlalchemy import inspect

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store import migrate
from boxoffice.store.device_secret import SECRET_FILE, SERVICE, usable_keyring
from boxoffice.store.engine import DATABASE_FILE, create_sqlite_engine, open_store, wipe_store
from sync.client import SyncClient


def _on_disk(folder: Path) -> bytes:
    """The store's database as it lies on disk, its write-ahead log included."""
    return b"".join(part.read_bytes() for part in (folder / DATABASE_FILE, folder / f"{DATABASE_FILE}-wal")
                    if part.exists())


def _syncs_after_a_restart(folder: Path) -> None:
    """A new client on the store opened again gets a token with the kept secret, and syncs."""
    store = open_store(folder)
    try:
        client = SyncClient(Writer(store))
        client.sync_once()
        assert client.credentials().token
    finally:
        store.close()


@pytest.fixture
def file_keyring(tmp_path: Path) -> Iterator[PlaintextKeyring]:
    """keyrings.alt's file-backed keyring, in this test's folder: a real backend, no OS service needed."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())


class TestWithoutAKeyring:
    def test_the_secret_is_a_0600_file_beside_the_store_and_not_in_its_database(self, make_device):
        assert usable_keyring() is None  # as on CI and headless machines
        writer, client = make_device("kiosk door", role="door")
        secret = client.credentials().secret
        folder = writer.store.folder
        kept = folder / SECRET_FILE
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert json.loads(kept.read_text(encoding="utf-8")) == {"device_id": writer.device_id, "secret": secret}
        assert len(secret) >= 16 and secret.encode() not in _on_disk(folder)
        columns = {c["name"] for c in inspect(writer.store.engine).get_columns("local_device")}
        assert "secret" not in columns
        writer.store.close()
        assert secret.encode() not in _on_disk(folder)
        _syncs_after_a_restart(folder)
        wipe_store(folder)  # what a revoked device does
        assert not kept.exists()


class TestWithAKeyring:
    def test_the_secret_is_in_the_keyring_and_nowhere_beside_the_store(self, make_device,
                                                                       file_keyring: PlaintextKeyring):
        assert usable_keyring() is file_keyring
        writer, client = make_device("desk pc", role="desk")
        secret = client.credentials().secret
        folder = writer.store.folder
        assert file_keyring.get_password(SERVICE, writer.device_id) == secret
        assert not (folder / SECRET_FILE).exists()
        writer.store.close()
        assert secret.encode() not in _on_disk(folder)
        _syncs_after_a_restart(folder)

    def test_a_wiped_store_leaves_no_secret_in_the_keyring(self, make_device, file_keyring: PlaintextKeyring):
        writer, _client = make_device("revoked desk", role="desk")
        writer.store.close()
        wipe_store(writer.store.folder)  # what a revoked device does
        assert file_keyring.get_password(SERVICE, writer.device_id) is None
        assert not (writer.store.folder / DATABASE_FILE).exists()


class TestUpgrade:
    def test_a_store_paired_before_moves_its_secret_out_and_still_syncs(self, make_device):
        writer, client = make_device("old laptop")
        secret = client.credentials().secret
        folder = writer.store.folder
        writer.store.close()
        # The store as the previous version left it: the secret in local_device, no file.
        engine = create_sqlite_engine(folder / DATABASE_FILE)
        command.downgrade(migrate.alembic_config(engine), "0017")
        engine.dispose()
        (folder / SECRET_FILE).unlink()
        assert secret.encode() in _on_disk(folder)
        upgraded = open_store(folder)  # upgraded here, as when the new version starts
        assert secret.encode() not in _on_disk(folder)  # its write-ahead log emptied too, while it is open
        upgraded.close()

        kept = folder / SECRET_FILE
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert json.loads(kept.read_text(encoding="utf-8"))["secret"] == secret
        assert secret.encode() not in _on_disk(folder)
        _syncs_after_a_restart(folder)
