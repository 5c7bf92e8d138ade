"""Conflicts reach only the devices that may see what they hold (#13): a door the double entries of
its own dates, with what its banner shows; overwritten edits (any field's lost and kept values)
organizer devices only. Read from the devices' real SQLite files, on SQLite and PostgreSQL."""

from __future__ import annotations

import orjson
from sqlalchemy import select

from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, door
from boxoffice.services.demo import create_demo
from boxoffice.services.door_lists import make_setup
from sync.client import SyncClient
from tests.sync.test_projections import _file


def _double_entry_and_lost_edit(make_device: object, laptop: Writer | None = None) -> tuple[Writer, Writer, str]:
    """(the organizer's laptop, the first door, the doors' date): two offline doors of one date admit
    the same ticket; two organizer devices edit one contact. On `laptop`'s sales if given."""
    if laptop is None:
        laptop, _sync = make_device("laptop")  # type: ignore[operator]
        with laptop.transaction() as work:
            create_demo(work, tickets=60, contact_count=3)
    laptop_sync = SyncClient(laptop)
    with laptop.transaction() as work:
        list_id = contacts.create_list(work, "Press")
        contact_id = contacts.add_contact(work, list_id, "ann@example.ch", "Ann", "Favre")
    laptop_sync.sync_once()
    with laptop.store.session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.order_id.is_not(None), Ticket.pass_id.is_(None),
                                                      Ticket.state == "valid").order_by(Ticket.id)).first()
        assert ticket is not None
        session.expunge(ticket)
    doors = [make_device(name, role="door", dates=[ticket.date_id]) for name in ("north", "south")]  # type: ignore[operator]
    for _writer, sync in doors:
        sync.sync_once()
    for (writer, _sync), name in zip(doors, ("North gate", "South gate"), strict=True):
        with writer.store.session() as session:
            setup = make_setup(session, [ticket.date_id], door=name)
        with writer.transaction() as work:  # both offline
            assert door.check(work, setup, ticket.secret).verdict == "admitted"
    office, office_sync = make_device("office")  # type: ignore[operator]
    office_sync.sync_once()
    with laptop.transaction() as work:  # offline too: the laptop edits first, the office later
        contacts.edit_contact(work, contact_id, "ann.favre@private.example", "Anna", "Favre", {})
    with office.transaction() as work:
        contacts.edit_contact(work, contact_id, "ann@example.ch", "Annette", "Favre", {})
    for sync in (doors[0][1], doors[1][1], office_sync, laptop_sync, doors[0][1]):
        assert sync.sync_once().rejected == 0
    return laptop, doors[0][0], ticket.date_id


def _conflicts(writer: Writer) -> list[tuple[str, dict[str, object]]]:
    with _file(writer) as copy:
        return [(kind, orjson.loads(details)) for kind, details in
                copy.execute("SELECT kind, details FROM conflicts WHERE server_seq IS NOT NULL ORDER BY kind")]


class TestConflictScopes:
    def test_a_door_gets_the_double_entries_of_its_date_with_what_its_banner_shows_and_no_lost_edit(
            self, make_device):
        _laptop, north, date_id = _double_entry_and_lost_edit(make_device)
        [(kind, details)] = _conflicts(north)
        assert kind == "double_entry" and set(details) == {"first", "second", "date_id"}
        assert "North gate" in str(details["first"]) and "South gate" in str(details["second"])
        assert details["date_id"] == date_id
        with _file(north) as copy:
            assert "Anna" not in str(copy.execute("SELECT * FROM conflicts").fetchall())

    def test_a_door_of_another_date_and_a_desk_get_no_lost_edit_and_only_their_dates_double_entries(
            self, make_device):
        laptop, _north, date_id = _double_entry_and_lost_edit(make_device)
        with laptop.store.session() as session:
            other = session.scalars(select(Ticket.date_id).where(Ticket.date_id != date_id)).first()
        assert other is not None
        gate, gate_sync = make_device("gate", role="door", dates=[other])
        desk, desk_sync = make_device("desk", role="desk")
        organizer, organizer_sync = make_device("organizer")
        for sync in (gate_sync, desk_sync, organizer_sync):
            sync.sync_once()
        assert _conflicts(gate) == []
        assert [kind for kind, _details in _conflicts(desk)] == ["double_entry"]
        # The organizer's: the double entry, and the laptop's lost first name and e-mail address.
        assert [kind for kind, _details in _conflicts(organizer)] == ["double_entry", *["overwritten_edit"] * 2]
        with _file(desk) as copy:  # the lost value was a private e-mail address
            assert "private.example" not in str(copy.execute("SELECT * FROM conflicts").fetchall())
