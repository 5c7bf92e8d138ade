"""Sync in the window: pairing dialog, the status bar's live state (S2), and the Conflicts page (S3)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from boxoffice.model.devices import Conflict
from boxoffice.services import contacts
from boxoffice.store.ids import uuid7
from boxoffice.ui.conflicts.page import ConflictsPage
from boxoffice.ui.settings.pairing import PairingDialog
from boxoffice.ui.status import describe
from boxoffice.ui.sync_bridge import SyncBridge
from sync.client import Outdated, SyncClient, SyncState, SyncWorker
from sync.protocol import SCHEMA_VERSION
from tests.boxoffice.ui.conftest import screenshot
from tests.live_server import LiveServer, running_server


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    with running_server(f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}") as server:
        yield server


class TestStatusBar:
    def test_the_states_read_in_plain_words(self):
        assert describe(SyncState(enrolled=False), 0)[0].startswith("Offline — not paired with a server")
        assert describe(SyncState(online=False), 3)[0].startswith("Offline — working on this computer's copy")
        assert "3 changes waiting" in describe(SyncState(online=False), 3)[0]
        assert describe(SyncState(online=True), 1)[0].startswith("Online   ·   1 change waiting")

    def test_an_app_older_than_the_server_says_so_and_keeps_its_changes(self, live: LiveServer, demo_writer):
        client = SyncClient(demo_writer)
        client.enroll(live.url, live.organizer_code, name="laptop")
        client.sync_once()
        with demo_writer.transaction() as work:
            contacts.create_list(work, "Presse", [])
        client.schema_version = SCHEMA_VERSION - 1  # the server was upgraded, this app was not
        states: list[SyncState] = []
        worker = SyncWorker(client, states.append, interval=0.2)
        worker.start()
        try:
            deadline = time.monotonic() + 20
            while not any(s.outdated for s in states) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            worker.stop()
        state = next(s for s in states if s.outdated)
        text, colour = describe(state, state.pending)
        assert text.startswith("This app is older than the server: install the new version to sync again.")
        assert colour == "#b00020" and state.pending == 1 and client.pending() == 1

    def test_a_server_older_than_the_app_is_named_as_the_one_to_update(self, live: LiveServer, demo_writer):
        client = SyncClient(demo_writer)
        client.enroll(live.url, live.organizer_code, name="laptop")
        client.schema_version = SCHEMA_VERSION + 1  # this app was updated, the server was not
        with pytest.raises(Outdated) as refused:
            client.sync_once()
        assert refused.value.older == "server"
        assert describe(SyncState(outdated="server"), 0)[0].startswith(
            "The server is older than this app: ask its administrator to update it.")

    def test_pairing_by_scanned_qr_then_the_worker_syncs_and_the_status_bar_says_online(
            self, qtbot, live: LiveServer, demo_writer, store, data_dir):
        from boxoffice import settings
        from boxoffice.app import build_window

        client = SyncClient(demo_writer)
        bridge = SyncBridge()
        window = build_window(store, demo_writer, data_dir, settings.Settings(), client, bridge)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: "not paired" in window.sync_status.text(), timeout=10_000)
        dialog = PairingDialog(window, client)
        qtbot.addWidget(dialog)
        dialog.code.setText(json.dumps({"v": 1, "url": live.url, "token": live.organizer_code}))
        assert dialog.server.text() == live.url
        with qtbot.waitSignal(dialog.paired, timeout=10_000):
            dialog.pair_button.click()
        worker = SyncWorker(client, bridge.publish, interval=0.2)
        bridge.attach(worker)
        worker.start()
        try:
            qtbot.waitUntil(lambda: window.sync_status.text().startswith("Online   ·   0 changes waiting"),
                            timeout=20_000)
        finally:
            worker.stop()
        assert "Last sync: never" not in window.sync_status.text()
        screenshot(window, "status-bar-online")


class TestConflictsPage:
    def test_conflicts_are_listed_in_plain_words_and_can_be_marked_as_seen(self, qtbot, window, demo_writer):
        from datetime import UTC, datetime

        with demo_writer.store.session() as session:
            session.add(Conflict(id=uuid7(), kind="overwritten_edit", entity="contacts", entity_id=uuid7(),
                                 details={"field": "first_name", "lost_value": "Anna", "kept_value": "Annette"},
                                 detected_at=datetime.now(UTC)))
            session.commit()
        page = next(window.pages.widget(i) for i in range(window.pages.count())
                    if isinstance(window.pages.widget(i), ConflictsPage))
        window.show()
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            window.show_page("Conflicts")
        assert page.heading.text() == "1 conflict to look at"
        assert "“Anna” was overwritten by the later “Annette”" in page.table.item(0, 2).text()
        page.table.selectRow(0)
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            page.mark_seen()
        assert page.heading.text() == "No conflict: every device agrees."


class TestDoorLogin:
    def test_a_door_logs_in_from_its_setup_with_an_account(self, qtbot, live: LiveServer, demo_writer, store,
                                                           data_dir):
        from boxoffice import settings
        from boxoffice.app import build_window
        from boxoffice.ui.door.page import DoorPage
        from sync.server import organizers
        from sync.server.database import Database

        db = Database(live.database_url)
        with db.session() as session:
            organizers.create_account(session, live.organizer_code, "door@example.ch", "long enough")
            session.commit()
        db.engine.dispose()
        window = build_window(store, demo_writer, data_dir, settings.Settings())
        qtbot.addWidget(window)
        door_page = next(window.pages.widget(i) for i in range(window.pages.count())
                         if isinstance(window.pages.widget(i), DoorPage))
        window.show()
        window.show_page("Door")
        assert door_page.setup_panel.login.isVisible()
        door_page.setup_panel.login.click()
        dialog = door_page.login_dialog
        dialog.server.setText(live.url)
        dialog.email.setText("door@example.ch")
        dialog.password.setText("long enough")
        dialog.role.setCurrentIndex(dialog.role.findData("door"))
        with qtbot.waitSignal(dialog.paired, timeout=10_000) as paired:
            dialog.pair_button.click()
        assert paired.args[0]["role"] == "door"
