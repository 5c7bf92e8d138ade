"""The sync worker's back-off: floored and jittered after failures, even after a sync that recorded changes."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from pathlib import Path

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import open_store
from sync.client import JITTER, SyncClient, SyncState, SyncWorker, backoff_after
from tests.live_server import running_server

FLOOR, CAP = 0.05, 0.4


class TestBackoff:
    def test_backoff_stays_above_the_floor_while_offline_after_a_sync_that_recorded_changes(
            self, tmp_path: Path, store_template: Path) -> None:
        # A desk tops up its leases after a sync (the changes go out at once, with no wait), and
        # the server goes away meanwhile: the next attempts are offline and must wait again.
        offline: list[SyncState] = []
        enough = threading.Event()

        def on_state(state: SyncState) -> None:
            if state.online is False:
                offline.append(state)
                if len(offline) >= 5:
                    enough.set()

        folder = tmp_path / "desk"
        folder.mkdir()
        (folder / store_template.name).write_bytes(store_template.read_bytes())
        writer = Writer(open_store(folder))
        with ExitStack() as stack:
            live = stack.enter_context(running_server(f"sqlite:///{tmp_path / 'server.sqlite3'}"))
            client = SyncClient(writer)
            client.enroll(live.url, live.organizer_code, "desk")

            def lose_the_server() -> bool:
                stack.close()
                return True  # changes recorded: push them at once

            worker = SyncWorker(client, on_state, interval=60.0, min_backoff=FLOOR, max_backoff=CAP,
                                while_online=lose_the_server)
            worker.start()
            try:
                assert enough.wait(60), "the worker stopped retrying"
            finally:
                worker.stop()
        writer.store.close()
        waits = [state.retry_in for state in offline]
        assert all(wait >= FLOOR for wait in waits), waits
        assert all(wait <= CAP * (1 + JITTER) for wait in waits), waits
        assert "cannot be reached" in offline[0].error

    def test_a_wait_is_the_doubled_base_plus_at_most_a_quarter_of_it(self) -> None:
        assert backoff_after(0.0, 1.0, 60.0, draw=lambda: 0.0) == (1.0, 1.0)
        assert backoff_after(4.0, 1.0, 60.0, draw=lambda: 1.0) == (8.0, 10.0)
        assert backoff_after(40.0, 1.0, 60.0, draw=lambda: 0.5) == (60.0, 67.5)

    def test_waits_of_the_same_base_differ(self) -> None:
        waits = {backoff_after(0.0, 1.0, 60.0)[1] for _ in range(20)}
        assert len(waits) > 1 and all(1.0 <= wait <= 1.25 for wait in waits)
