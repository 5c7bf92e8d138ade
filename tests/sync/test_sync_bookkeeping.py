"""What push and pull keep for speed stays exact: scope checkpoints kept on every write, group commit."""

from __future__ import annotations

import threading
from collections import defaultdict

from sqlalchemy import select

from boxoffice.model.devices import SyncCursor
from boxoffice.services import contacts
from boxoffice.services.demo import create_demo
from sync.replica import local_checkpoints
from sync.rows import checkpoint
from sync.server import checkpoints
from sync.server.database import Database
from sync.server.tables import RowChange


def _recomputed(db: Database) -> dict[tuple[str, str], dict[str, int | str]]:
    """Every scope's checkpoint computed from every numbered row, as the server once did per pull."""
    items: dict[tuple[str, str], list[tuple[str, str, int]]] = defaultdict(list)
    with db.session() as session:
        for change in session.scalars(select(RowChange)):
            items[(change.organizer_id, change.scope)].append((change.entity, change.entity_id, change.seq))
    return {key: dict(zip(("count", "hash"), checkpoint(found), strict=True)) for key, found in items.items()}


def _kept(db: Database, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, int | str]]:
    with db.engine.connect() as connection, connection.begin():  # as a pull reads them: in one transaction
        return {(organizer, scope): checkpoints.read(connection, organizer, scope) for organizer, scope in keys}


class TestScopeCheckpoints:
    def test_the_kept_checkpoints_equal_ones_computed_from_every_row_after_edits_and_sales(
            self, make_device, server):
        laptop, laptop_sync = make_device("laptop")
        with laptop.transaction() as work:
            create_demo(work, tickets=40, contact_count=5)
            list_id = contacts.create_list(work, "Gala")
            contact_id = contacts.add_contact(work, list_id, "ann@example.ch", "Ann", "Favre")
        laptop_sync.sync_once()
        with laptop.transaction() as work:  # the same row numbered again moves its share of the hash
            contacts.edit_contact(work, contact_id, "ann@example.ch", "Anna", "Favre", {})
        laptop_sync.sync_once()
        db = Database(server.database_url)
        try:
            expected = _recomputed(db)
            assert len(expected) >= 3
            assert _kept(db, list(expected)) == expected
        finally:
            db.engine.dispose()

    def test_rebuilding_the_checkpoints_from_the_change_log_gives_the_kept_ones(self, make_device, server):
        laptop, laptop_sync = make_device("laptop")
        with laptop.transaction() as work:
            create_demo(work, tickets=20, contact_count=3)
        laptop_sync.sync_once()
        db = Database(server.database_url)
        try:
            keys = list(_recomputed(db))
            kept = _kept(db, keys)
            with db.engine.begin() as connection:
                checkpoints.rebuild(connection)
            assert _kept(db, keys) == kept
        finally:
            db.engine.dispose()

    def test_a_door_pulling_every_date_gets_the_sum_of_its_dates_checkpoints(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        with laptop.transaction() as work:
            create_demo(work, tickets=30, contact_count=2)
        laptop_sync.sync_once()
        door, door_sync = make_device("door", role="door")
        door_sync.sync_once()
        with door.store.session() as session:
            sent = session.get(SyncCursor, "dates").checkpoint
            assert sent["count"] >= 30  # the tickets of every date
            assert local_checkpoints(session, ["dates"])["dates"] == (sent["count"], sent["hash"])


class TestGroupCommit:
    def test_devices_pushing_at_once_each_get_their_own_answer_and_nothing_is_lost(self, make_device):
        devices = [make_device(f"desk-{n}") for n in range(6)]
        list_ids = []
        for writer, _client in devices:
            with writer.transaction() as work:
                list_ids.append(contacts.create_list(work, f"List of {writer.device_id[-4:]}"))
                for n in range(5):
                    contacts.add_contact(work, list_ids[-1], f"guest{n}@example.ch")
        answers: list[tuple[int, int]] = []
        threads = [threading.Thread(target=lambda c=client: answers.append(c.push())) for _w, client in devices]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(answers) == [(6, 0)] * 6
        reader, reader_sync = make_device("reader")
        reader_sync.sync_once()
        with reader.store.session() as session:
            for list_id in list_ids:
                assert len(contacts.contacts_of(session, list_id)) == 5

    def test_a_refused_push_among_others_changes_nothing_and_leaves_the_others_applied(self, make_device):
        good, good_sync = make_device("good")
        with good.transaction() as work:
            contacts.create_list(work, "Kept")
        door, door_sync = make_device("door", role="door")
        with door.transaction() as work:  # a door may not push a sale: its whole call is refused
            work.run("orders.create_many", {"orders": [], "tickets": []})
        results: dict[str, object] = {}

        def run(name: str, client) -> None:
            try:
                results[name] = client.push()
            except Exception as exc:  # the refusal is what this test looks at
                results[name] = exc

        threads = [threading.Thread(target=run, args=("good", good_sync)),
                   threading.Thread(target=run, args=("door", door_sync))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results["good"] == (1, 0)
        assert results["door"] == (1, 1)  # set aside as a rejected change, the queue goes on
        other, other_sync = make_device("other")
        other_sync.sync_once()
        with other.store.session() as session:
            assert [summary.name for summary in contacts.list_summaries(session)] == ["Kept"]
