"""Pairing that fails says what happened and what to do, against real servers (never "Pairing failed: 404:")."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import Store
from boxoffice.ui import ops
from boxoffice.ui.settings.pairing import PairingDialog
from sync.client import SyncClient
from sync.protocol import SCHEMA_VERSION
from tests.live_server import LiveServer, running_server


class _NotFound(BaseHTTPRequestHandler):
    """A web server that is not boxoffice's: every request is a bare 404."""

    def do_POST(self) -> None:  # http.server's name for the POST handler
        # Read the body first: answering before it is read can reset the client's connection mid-send.
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_web_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    with running_server(f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}") as server:
        yield server


@pytest.fixture
def dialog(qtbot, store: Store, writer: Writer) -> Iterator[PairingDialog]:
    ops.install(store, writer)
    shown = PairingDialog(None, SyncClient(writer, timeout=5))
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    ops.wait_for_idle()


def _pair(dialog: PairingDialog, qtbot, server: str, code: str) -> str:
    dialog.server.setText(server)
    dialog.code.setText(code)
    with qtbot.waitSignal(dialog.failed, timeout=20_000) as failed:
        dialog.pair_button.click()
    assert dialog.message.text() == failed.args[0] and dialog.pair_button.isEnabled()
    return str(failed.args[0])


class TestPairingErrors:
    def test_an_address_where_nothing_listens_says_to_check_it_and_the_network(self, dialog, qtbot):
        said = _pair(dialog, qtbot, "127.0.0.1:9", "ABCD-EFGH")  # the discard port; https:// is added
        assert said == ("No server answers at https://127.0.0.1:9. Check the address and this computer's "
                        "network connection, then try again.")

    def test_a_web_server_that_is_not_boxoffice_is_named_as_such(self, dialog, qtbot, other_web_server: str):
        said = _pair(dialog, qtbot, other_web_server, "ABCD-EFGH")
        assert said.startswith(f"{other_web_server} answered, but it is not a boxoffice sync server.")
        assert "404" not in said

    def test_an_unknown_code_says_to_check_it_with_the_organizer(self, dialog, qtbot, live: LiveServer):
        said = _pair(dialog, qtbot, live.url, "NOT-A-REAL-CODE")
        assert said == "The server does not know this code. Check it with the organizer, or scan the pairing QR code."

    def test_an_app_older_than_the_server_says_to_install_the_new_version(self, dialog, qtbot, live: LiveServer):
        dialog.client.schema_version = SCHEMA_VERSION - 1  # what the previous release speaks
        said = _pair(dialog, qtbot, live.url, live.organizer_code)
        assert said == "This app is older than the server. Install the new version, then pair again."
