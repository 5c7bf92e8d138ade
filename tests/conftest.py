"""Shared fixtures: a migrated store template copied per test (Anki's getEmptyCol), the writer."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never read or write the user's real settings.
os.environ["BOXOFFICE_CONFIG_DIR"] = str(Path(__file__).parent / ".." / "build" / "test-config")
# ...nor write to the user's log folder.
os.environ["BOXOFFICE_LOG_DIR"] = str(Path(__file__).parent / ".." / "build" / "test-logs")
# ...nor keep device secrets in the user's keyring: keyring's own "no keyring" backend, as on a
# headless machine, so devices use the 0600 file beside their store (tests that want a keyring set one).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from boxoffice import i18n
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import DATABASE_FILE, Store, open_store


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once by the real migrations; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    store = open_store(folder)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return folder / DATABASE_FILE


@pytest.fixture
def data_dir(tmp_path: Path, store_template: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(store_template, folder / DATABASE_FILE)
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def writer(store: Store) -> Writer:
    return Writer(store)


@pytest.fixture(autouse=True)
def server_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's sync server keeps its secrets (DKIM keys) in the test's own folder, never the user's."""
    folder = tmp_path / "server-secrets"
    monkeypatch.setenv("BOXOFFICE_SERVER_SECRETS", str(folder))
    return folder


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")
