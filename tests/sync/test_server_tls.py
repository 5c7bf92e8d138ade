"""`boxoffice-server serve --certfile/--keyfile`: HTTPS with the operator's certificate; a wrong file is named."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import DATABASE_FILE, open_store
from sync.client import SyncClient
from sync.server import organizers
from sync.server.database import Database, upgrade
from tests.live_server import free_port
from tests.sync.mail.tls_relay import self_signed


def _serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    env = dict(os.environ, BOXOFFICE_LOG_DIR=str(tmp_path / "logs"))
    process = subprocess.Popen([sys.executable, "-m", "sync.server.cli", "serve", "--db",
                                f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}", "--port", str(port),
                                "--no-mail", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    return process, port


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 made for this test, and its key."""
    return self_signed(tmp_path)


@pytest.fixture
def https_server(tmp_path: Path, certificate: tuple[Path, Path]) -> Iterator[str]:
    cert, key = certificate
    process, port = _serve(tmp_path, "--certfile", str(cert), "--keyfile", str(key))
    base = f"https://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                requests.get(f"{base}/v1/health", timeout=1, verify=str(cert))
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.communicate()[1]
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=60)
        assert "Traceback" not in err, err


class TestHttps:
    def test_the_server_answers_https_with_the_given_certificate(self, https_server: str,
                                                                 certificate: tuple[Path, Path]):
        cert, _key = certificate
        answer = requests.get(f"{https_server}/v1/health", timeout=10, verify=str(cert))
        assert answer.status_code == 200 and "schema" in answer.json()
        port = int(https_server.rsplit(":", 1)[1])
        with (socket.create_connection(("127.0.0.1", port), timeout=10) as plain,
              pytest.raises(ssl.SSLCertVerificationError)):  # not trusted unless its certificate is
            ssl.create_default_context().wrap_socket(plain, server_hostname="127.0.0.1")

    def test_a_device_enrolls_and_syncs_over_https(self, https_server: str, certificate: tuple[Path, Path],
                                                   tmp_path: Path, store_template: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
        cert, _key = certificate
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # what a venue with its own CA sets
        db = Database(f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}")
        upgrade(db.engine)
        with db.session() as session:
            _organizer, code = organizers.create_organizer(session, "Théâtre")
            session.commit()
        db.engine.dispose()
        folder = tmp_path / "laptop"
        folder.mkdir()
        shutil.copy(store_template, folder / DATABASE_FILE)
        writer = Writer(open_store(folder))
        try:
            client = SyncClient(writer)
            client.enroll(https_server, code, "laptop")
            client.pull()
        finally:
            writer.store.close()


class TestWrongFiles:
    def _refused(self, tmp_path: Path, *args: str) -> str:
        process, _port = _serve(tmp_path, *args)
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 1, err
        assert "Traceback" not in err
        return err

    def test_a_missing_key_file_is_named_and_the_server_does_not_start(self, tmp_path: Path,
                                                                       certificate: tuple[Path, Path]):
        cert, _key = certificate
        nowhere = tmp_path / "nowhere.key"
        err = self._refused(tmp_path, "--certfile", str(cert), "--keyfile", str(nowhere))
        assert f"error: {nowhere} cannot be read: No such file or directory" in err

    def test_a_key_file_that_cannot_be_read_is_named(self, tmp_path: Path, certificate: tuple[Path, Path]):
        cert, _key = certificate
        folder = tmp_path / "a-folder.key"  # readable by nobody as a file, even by root (tests may run as root)
        folder.mkdir()
        err = self._refused(tmp_path, "--certfile", str(cert), "--keyfile", str(folder))
        assert f"error: {folder} cannot be read: Is a directory" in err

    def test_a_key_that_is_not_the_certificates_is_named_with_it(self, tmp_path: Path,
                                                                 certificate: tuple[Path, Path]):
        cert, _key = certificate
        other = tmp_path / "other"
        other.mkdir()
        _other_cert, other_key = self_signed(other)
        err = self._refused(tmp_path, "--certfile", str(cert), "--keyfile", str(other_key))
        assert f"error: {cert} and {other_key} are not a PEM certificate and its private key" in err
        garbage = tmp_path / "garbage.key"
        garbage.write_text("not a key\n", encoding="utf-8")
        err = self._refused(tmp_path, "--certfile", str(cert), "--keyfile", str(garbage))
        assert f"error: {cert} and {garbage} are not a PEM certificate and its private key" in err

    def test_a_key_without_its_certificate_is_refused(self, tmp_path: Path, certificate: tuple[Path, Path]):
        _cert, key = certificate
        err = self._refused(tmp_path, "--keyfile", str(key))
        assert f"error: --keyfile {key} needs --certfile" in err
