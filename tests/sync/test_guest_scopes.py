"""A door holds the guest lists of its own events and the resales of its own dates only (#13): read
from the device's real SQLite file after syncing with the real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from boxoffice.model.invitations import Companion, Guest, Invitation
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import door
from boxoffice.services.door_lists import make_setup
from boxoffice.services.pass_sales import SoldPass
from sync.client import SyncClient
from tests.boxoffice.services.pass_venue import PassVenue
from tests.sync.rsvp.invitations import Sent, send_invitation
from tests.sync.rsvp.test_rsvp_pages import accept
from tests.sync.test_pass_area import IBAN, open_area, seated_pass_on_server
from tests.sync.test_projections import _area_token, _file

GUEST_TABLES = ("invitations", "guests", "companions")


def _two_guest_events(make_device: object, server: object) -> tuple[Writer, PassVenue, SoldPass, Sent, Sent]:
    """A ticketed venue with a seat on resale for its first date, and two guest-manager events, each
    with an invitation whose first guest accepted with a companion and was admitted at the door."""
    laptop, laptop_sync, venue, sold = seated_pass_on_server(make_device)
    url = server.url  # type: ignore[attr-defined]
    http, _page, secret = open_area(url, _area_token(laptop, sold))
    answer = http.post(f"{url}/pass/{_area_token(laptop, sold)}", data={
        "csrf": secret, "date_id": venue.gala.first, "payout_kind": "transfer", "iban": IBAN,
        "account_holder": "Inès Rochat"}, timeout=10)
    assert answer.status_code == 200, answer.text
    sent = []
    for companion in ("Marc Favre", "Lia Favre"):
        invited = send_invitation(laptop, laptop_sync)  # type: ignore[arg-type]
        assert accept(url, next(iter(invited.tokens.values())), [companion]).status_code == 200
        sent.append(invited)
    assert laptop_sync.sync_once().rejected == 0  # type: ignore[attr-defined]
    for invited in sent:  # a guest's check-in, which has no date
        _admit_first_guest(laptop, invited)
    assert laptop_sync.sync_once().rejected == 0  # type: ignore[attr-defined]
    return laptop, venue, sold, sent[0], sent[1]


def _admit_first_guest(writer: Writer, sent: Sent) -> None:
    with writer.store.session() as session:
        guest = session.scalars(select(Guest).where(Guest.invitation_id == sent.id, Guest.status == "accepted")).one()
        setup = make_setup(session, [sent.draft.event.id], door="Garden gate")
    with writer.transaction() as work:
        verdict = door.check(work, setup, guest.code)
    assert verdict.verdict == "admitted", verdict.reason


def _events_held(copy: sqlite3.Connection) -> dict[str, set[str | None]]:
    """Per guest table, the guest-manager events its rows belong to."""
    return {
        "invitations": {r[0] for r in copy.execute("SELECT event_id FROM invitations")},
        "guests": {r[0] for r in copy.execute(
            "SELECT i.event_id FROM guests g LEFT JOIN invitations i ON i.id = g.invitation_id")},
        "companions": {r[0] for r in copy.execute(
            "SELECT i.event_id FROM companions c LEFT JOIN guests g ON g.id = c.guest_id "
            "LEFT JOIN invitations i ON i.id = g.invitation_id")},
        "checkins": {r[0] for r in copy.execute(
            "SELECT i.event_id FROM checkins k LEFT JOIN guests g ON g.id = k.guest_id "
            "LEFT JOIN invitations i ON i.id = g.invitation_id WHERE k.guest_id IS NOT NULL")},
    }


class TestDoorGuestLists:
    def test_a_door_for_a_date_holds_no_guest_companion_invitation_or_guest_checkin(self, server, make_device):
        laptop, venue, _sold, first, second = _two_guest_events(make_device, server)
        with _file(laptop) as organizer:  # the organizer's copy has both lists, so the door's lack means something
            assert _events_held(organizer) == {table: {first.draft.event.id, second.draft.event.id}
                                               for table in (*GUEST_TABLES, "checkins")}
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        assert gate_sync.sync_once().pulled > 0
        with _file(gate) as copy:
            for table in GUEST_TABLES:
                assert copy.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
            assert copy.execute("SELECT count(*) FROM checkins WHERE guest_id IS NOT NULL").fetchone() == (0,)
            assert copy.execute("SELECT count(*) FROM tickets").fetchone()[0] > 0  # its date's, still

    def test_a_door_for_one_guest_event_holds_that_list_only_and_admits_its_guests(self, server, make_device):
        _laptop, _venue, _sold, first, second = _two_guest_events(make_device, server)
        gate, gate_sync = make_device("gate", role="door", dates=[first.draft.event.id])
        gate_sync.sync_once()
        with _file(gate) as copy:
            assert _events_held(copy) == {table: {first.draft.event.id} for table in (*GUEST_TABLES, "checkins")}
            assert "Lia Favre" not in str(copy.execute("SELECT * FROM companions").fetchall())
        with gate.store.session() as session:
            setup = make_setup(session, [first.draft.event.id], door="Garden gate")
            guest = session.scalars(select(Guest).where(Guest.status == "pending")).first()
            companion = session.scalars(select(Companion)).one()
            assert guest is not None and companion.name == "Marc Favre"
        with gate.transaction() as work:
            assert door.check(work, setup, guest.code).verdict == "admitted"
        with gate.transaction() as work:
            assert door.check(work, setup, companion.code).verdict == "admitted"
        assert gate_sync.sync_once().rejected == 0
        with gate.store.session() as session:  # the other event's codes are unknown here
            assert session.scalars(select(Invitation).where(Invitation.id == second.id)).first() is None

    def test_a_door_moved_to_another_event_drops_the_guest_list_it_held(self, server, make_device):
        _laptop, venue, _sold, first, second = _two_guest_events(make_device, server)
        gate, gate_sync = make_device("gate", role="door", dates=[first.draft.event.id])
        gate_sync.sync_once()
        with _file(gate) as copy:
            assert copy.execute("SELECT count(*) FROM guests").fetchone()[0] == 3
        gate_sync.enroll(server.url, server.organizer_code, "gate", "door", [second.draft.event.id])
        assert gate_sync.sync_once().rejected == 0
        with _file(gate) as copy:
            assert _events_held(copy) == {table: {second.draft.event.id} for table in (*GUEST_TABLES, "checkins")}
        gate_sync.enroll(server.url, server.organizer_code, "gate", "door", [venue.gala.first])
        assert gate_sync.sync_once().rejected == 0
        with _file(gate) as copy:
            for table in GUEST_TABLES:
                assert copy.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


    def test_a_copy_pulled_before_guest_lists_had_their_events_scopes_drops_them_at_its_next_run(
            self, server, make_device):
        laptop, venue, _sold, _first, _second = _two_guest_events(make_device, server)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        gate_sync.sync_once()
        # What an older app left: every guest list, pulled in the "organizer" scope, which keeps its name.
        organizer_file = laptop.store.engine.url.database
        with _file(gate) as copy:
            copy.execute("ATTACH DATABASE ? AS old", (organizer_file,))
            for table in (*GUEST_TABLES, "checkins"):
                copy.execute(f"INSERT OR IGNORE INTO {table} SELECT * FROM old.{table} WHERE server_seq IS NOT NULL")
            copy.commit()
            assert copy.execute("SELECT count(*) FROM guests").fetchone() == (6,)
        assert gate_sync.sync_once().rejected == 0  # the same run: its scopes did not change, no checkpoint moved
        with _file(gate) as copy:
            assert copy.execute("SELECT count(*) FROM guests").fetchone() == (6,)
        next_run = SyncClient(gate)  # the upgraded app starts again
        assert next_run.sync_once().rejected == 0
        with _file(gate) as copy:
            for table in GUEST_TABLES:
                assert copy.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
            assert copy.execute("SELECT count(*) FROM checkins WHERE guest_id IS NOT NULL").fetchone() == (0,)
            assert copy.execute("SELECT count(*) FROM tickets").fetchone()[0] > 0


class TestDoorResales:
    def test_a_door_holds_the_resales_of_its_dates_only_without_payout_data(self, server, make_device):
        _laptop, venue, _sold, _first, _second = _two_guest_events(make_device, server)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        other, other_sync = make_device("other", role="door", dates=[venue.gala.second])
        gate_sync.sync_once()
        other_sync.sync_once()
        with _file(gate) as copy:  # a released seat no longer admits its pass on that date: it is needed
            assert copy.execute("SELECT date_id, iban, account_holder FROM resales").fetchall() == [
                (venue.gala.first, "", "")]
        with _file(other) as copy:
            assert copy.execute("SELECT count(*) FROM resales").fetchone() == (0,)
