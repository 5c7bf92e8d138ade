"""A door holds the passes (and pass orders) of the pass definitions covering its dates' events only
(#13): read from the device's real SQLite file after syncing with the real server (SQLite and
PostgreSQL); organizer devices still hold every pass with all its fields."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import orjson

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, door, passes
from boxoffice.services.door_lists import make_setup
from boxoffice.services.pass_sales import PassSale, SoldPass, sell_pass
from sync.client import SyncClient
from tests.boxoffice.services.pass_venue import PassVenue, build_pass_venue, sell_seated
from tests.sync.test_projections import _file, _withheld_values

EMAIL = "giulia.bianchi@example.ch"


def _season(make_device: object) -> tuple[Writer, object, PassVenue, SoldPass, SoldPass, str]:
    """A season pass (Gala only) and a balcony subscription (Gala and Recital), both with e-mails,
    and a Jazz night date no definition covers."""
    laptop, laptop_sync = make_device("laptop")  # type: ignore[operator]
    venue = build_pass_venue(laptop)
    with laptop.transaction() as work:
        jazz = catalogue.add_date(work, venue.other_event, datetime.now(UTC) + timedelta(days=20))
        season = sell_pass(work, PassSale(venue.season, {"last_name": "Bianchi", "first_name": "Giulia",
                                                         "email": EMAIL}, payment_method="card",
                                          customer_email=EMAIL))
    seated = sell_seated(laptop, venue)
    assert laptop_sync.sync_once().rejected == 0  # type: ignore[attr-defined]
    return laptop, laptop_sync, venue, season, seated, jazz


def _passes(copy: sqlite3.Connection) -> set[str]:
    return {row[0] for row in copy.execute("SELECT id FROM passes")}


def _orders(copy: sqlite3.Connection) -> set[str]:
    return {row[0] for row in copy.execute("SELECT id FROM orders")}


class TestPassesPerDefinition:
    def test_a_door_of_one_date_holds_only_its_events_passes_and_none_of_their_withheld_columns(
            self, server, make_device):
        _laptop, _sync, venue, season, seated, jazz = _season(make_device)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.recital_date])
        assert gate_sync.sync_once().rejected == 0
        with _file(gate) as copy:
            # The Recital is covered by the subscription only: no season pass, nor its order.
            assert _passes(copy) == {seated.pass_id}
            assert season.order_id not in _orders(copy) and seated.order_id in _orders(copy)
            assert _withheld_values(copy, "door") == {}  # column by column, every table
            [(holder, secret, area_key, credit)] = copy.execute(
                "SELECT holder, secret, area_key, credit_minor FROM passes").fetchall()
            assert set(orjson.loads(holder)) <= {"first_name", "last_name"}
            assert secret == seated.secret and area_key is None and credit == 0
            [(email, total, method)] = copy.execute(
                "SELECT customer_email, total_minor, payment_method FROM orders WHERE id = ?",
                (seated.order_id,)).fetchall()
            assert (email, total) == ("", 0) and method in ("", "cash")
            assert EMAIL not in str(copy.execute("SELECT * FROM passes").fetchall())
        jazz_gate, jazz_sync = make_device("jazz", role="door", dates=[jazz])
        assert jazz_sync.sync_once().rejected == 0
        with _file(jazz_gate) as copy:  # no definition covers the Jazz night
            assert _passes(copy) == set() and not {season.order_id, seated.order_id} & _orders(copy)
        with jazz_gate.store.session() as session:
            setup = make_setup(session, [jazz], door="Jazz gate")
        with jazz_gate.transaction() as work:  # a pass it does not hold: an unknown code, no holder named
            verdict = door.check(work, setup, season.secret)
        assert (verdict.verdict, verdict.reason, verdict.holder) == ("refused", "unknown_code", None)

    def test_an_organizer_device_still_holds_every_pass_with_all_its_fields(self, server, make_device):
        _laptop, _sync, _venue, season, seated, _jazz = _season(make_device)
        other, other_sync = make_device("office")
        assert other_sync.sync_once().rejected == 0
        with _file(other) as copy:
            assert _passes(copy) == {season.pass_id, seated.pass_id}
            assert {season.order_id, seated.order_id} <= _orders(copy)
            [(holder, area_key)] = copy.execute("SELECT holder, area_key FROM passes WHERE id = ?",
                                                (season.pass_id,)).fetchall()
            assert orjson.loads(holder)["email"] == EMAIL and area_key == season.area_key
            assert copy.execute("SELECT customer_email FROM orders WHERE id = ?",
                                (season.order_id,)).fetchone() == (EMAIL,)

    def test_a_door_narrowed_to_other_dates_drops_the_passes_it_may_no_longer_hold(self, server, make_device):
        _laptop, _sync, venue, season, seated, _jazz = _season(make_device)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        assert gate_sync.sync_once().rejected == 0
        with _file(gate) as copy:
            assert _passes(copy) == {season.pass_id, seated.pass_id}
            assert {season.order_id, seated.order_id} <= _orders(copy)
        # The organizer moves this door to the Recital: it pairs again with its own secret.
        gate_sync.enroll(server.url, server.organizer_code, "gate", "door", [venue.recital_date])
        assert gate_sync.sync_once().rejected == 0
        with _file(gate) as copy:
            assert _passes(copy) == {seated.pass_id}
            assert season.order_id not in _orders(copy)
            scopes = {row[0] for row in copy.execute("SELECT scope FROM sync_cursors")}
            assert f"date:pass:{venue.seated}" in scopes and f"date:pass:{venue.season}" not in scopes

    def test_the_door_admits_a_pass_of_its_date_offline_and_names_its_holder(self, server, make_device):
        _laptop, _sync, venue, season, _seated, _jazz = _season(make_device)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        assert gate_sync.sync_once().rejected == 0
        # No request from here on: the verdict comes from the door's own copy (door.check is local).
        with gate.store.session() as session:
            setup = make_setup(session, [venue.gala.first], door="Gate")
        with gate.transaction() as work:
            verdict = door.check(work, setup, season.secret)
        assert verdict.verdict == "admitted", verdict.reason
        assert verdict.holder is not None and verdict.holder.name == "Giulia Bianchi"

    def test_a_definition_given_or_taken_an_event_reaches_or_leaves_its_doors_with_their_next_token(
            self, server, make_device):
        laptop, laptop_sync, venue, season, seated, _jazz = _season(make_device)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.recital_date])
        assert gate_sync.sync_once().rejected == 0
        with laptop.transaction() as work:  # the season pass now also admits to the Recital
            passes.update_definition(work, venue.season, event_ids=[venue.gala.event, venue.recital])
        assert laptop_sync.sync_once().rejected == 0  # type: ignore[attr-defined]
        reopened = SyncClient(gate)  # the app started again: a new token
        assert reopened.sync_once().rejected == 0
        with _file(gate) as copy:
            assert _passes(copy) == {season.pass_id, seated.pass_id} and season.order_id in _orders(copy)
        with laptop.transaction() as work:
            passes.update_definition(work, venue.season, event_ids=[venue.gala.event])
        assert laptop_sync.sync_once().rejected == 0  # type: ignore[attr-defined]
        # Its token still names the season's scope: the pull goes on, that scope brings nothing.
        assert reopened.sync_once().rejected == 0
        assert SyncClient(gate).sync_once().rejected == 0
        with _file(gate) as copy:
            assert _passes(copy) == {seated.pass_id} and season.order_id not in _orders(copy)
