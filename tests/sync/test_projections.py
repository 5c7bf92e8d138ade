"""What a door's and a desk's copies hold after enrolling against the real server: their projection
(sync/projections.py, docs/roles.md), checked column by column in the device's SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import orjson
import requests
from sqlalchemy import select
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from boxoffice.model.checkins import CheckIn
from boxoffice.model.events import EventDate, Seat
from boxoffice.model.invitations import Invitation
from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import door, sales
from boxoffice.services.demo import create_demo
from boxoffice.services.door_lists import make_setup, search_holders
from boxoffice.services.pass_sales import area_token, pass_area_link
from boxoffice.services.sales import Sale, SaleLine
from boxoffice.store.engine import DATABASE_FILE
from sync import projections
from sync.rows import replicated_tables
from sync.server.database import Database
from tests.sync.rsvp.invitations import send_invitation
from tests.sync.rsvp.test_rsvp_pages import accept
from tests.sync.test_pass_area import IBAN, open_area, seated_pass_on_server

ROLES_DOC = Path(__file__).parents[2] / "docs" / "roles.md"
# Values a withheld column may hold on a device: nothing, its table's default, or a placeholder.
EMPTY = (None, "", 0, "{}", "[]", "transfer", "1970-01-01 00:00:00.000000")
# The list (#13): what a stolen door laptop must not give away.
FORBIDDEN = {
    "orders": ("customer_email", "customer", "answers", "payment_method", "total_minor", "currency"),
    "guests": ("email", "token", "answers", "contact_id", "delivery"),
    "resales": ("iban", "account_holder", "percentage"),
    "rates": ("price_minor", "currency"),
    "tickets": ("price_minor", "currency"),
    "pass_definitions": ("price_minor", "resale"),
    "invitations": ("subject", "body", "form", "list_ids"),
    "events": ("sending",),
}


def _file(writer: Writer) -> sqlite3.Connection:
    path = writer.store.engine.url.database
    assert path is not None and path.endswith(DATABASE_FILE)
    return sqlite3.connect(path)  # the device's real file, as a thief would open it


def _values(connection: sqlite3.Connection, table: str, column: str) -> list[object]:
    return [row[0] for row in connection.execute(f"SELECT {column} FROM {table}")]


def _default(column: Any) -> object:
    """The value the device's table gives a column left out of an insert (its server default)."""
    if column.server_default is None:
        return None
    arg = column.server_default.arg
    text = arg if isinstance(arg, str) else str(arg.compile(dialect=sqlite_dialect()))
    text = text.strip("'")
    return {"true": 1, "false": 0, "1": 1, "0": 0}.get(text, int(text) if text.isdigit() else text)


def _withheld_values(connection: sqlite3.Connection, role: str) -> dict[str, list[object]]:
    """table.column -> the values a withheld column holds that are not empty (must be none)."""
    found = {}
    for name, table in replicated_tables().items():
        keep = projections.allowed(role, name)
        for column in table.c:
            if column.name in keep or column.name == "server_seq":
                continue
            rows = connection.execute(f"SELECT id, {column.name} FROM {name}").fetchall()
            default = _default(column)
            leaked = [value for row_id, value in rows
                      if value not in EMPTY and value != default and value != f"withheld:{row_id}"]
            if leaked:
                found[f"{name}.{column.name}"] = leaked[:3]
    return found


def _business(make_device: object, server: object) -> tuple[Writer, object, object]:
    """An organizer with sales on several dates, a sold pass put on resale with an IBAN, and guests
    who answered a form: every kind of data the issue found on a door."""
    laptop, laptop_sync, venue, sold = seated_pass_on_server(make_device)
    http, _page, secret = open_area(server.url, f"{_area_token(laptop, sold)}")  # type: ignore[attr-defined]
    answer = http.post(f"{server.url}/pass/{_area_token(laptop, sold)}", data={  # type: ignore[attr-defined]
        "csrf": secret, "date_id": venue.gala.first, "payout_kind": "transfer", "iban": IBAN,
        "account_holder": "Inès Rochat"}, timeout=10)
    assert answer.status_code == 200, answer.text
    with laptop.store.session() as session:
        seat = session.scalars(select(Seat.id).where(Seat.zone_id == venue.gala.balcony, Seat.id != venue.seat_a1)
                               .order_by(Seat.id)).first()
    with laptop.transaction() as work:
        sales.sell(work, Sale(venue.gala.first, venue.gala.balcony, (SaleLine(venue.gala.full),), seat_ids=(seat,),
                              customer_name="Léa Morel", customer_email="lea.morel@example.ch",
                              customer={"phone": "+41 79 555 12 34"}, answers={venue.gala.question: "yes"},
                              payment_method="card"))
    with laptop.transaction() as work:  # the demo season: orders on many other dates
        create_demo(work, tickets=200, contact_count=3)
    sent = send_invitation(laptop, laptop_sync)
    email = next(iter(sent.tokens))
    assert accept(server.url, sent.tokens[email], ["Marc Favre"], allergies="arachides").status_code == 200  # type: ignore[attr-defined]
    assert laptop_sync.sync_once().rejected == 0  # type: ignore[attr-defined]
    return laptop, venue, sold


def _guest_event(laptop: Writer) -> str:
    """The guest-manager event the business's invitation is for."""
    with laptop.store.session() as session:
        found = session.scalars(select(Invitation.event_id).where(Invitation.event_id.is_not(None))).first()
    assert found is not None
    return found


def _area_token(laptop: Writer, sold: object) -> str:
    with laptop.store.session() as session:
        link = pass_area_link(session, sold.pass_id, "http://x")  # type: ignore[attr-defined]
    assert link is not None
    return link.rsplit("/", 1)[1]


class TestDoorProjection:
    def test_a_door_copy_holds_none_of_the_withheld_fields_column_by_column(self, server, make_device):
        laptop, venue, _sold = _business(make_device, server)
        with _file(laptop) as organizer:
            # The organizer's own copy holds every one of them, so the door's lack of them means something.
            unfilled = [f"{table}.{column}" for table, columns in FORBIDDEN.items() for column in columns
                    if all(v in EMPTY for v in _values(organizer, table, column))]
            assert not unfilled, " ".join(unfilled)
        # Enrolled for the guest-manager event too: its guest list is what the door may see of guests.
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first, _guest_event(laptop)])
        assert gate_sync.sync_once().pulled > 0
        with _file(gate) as copy:
            assert _withheld_values(copy, "door") == {}
            for table, columns in FORBIDDEN.items():
                for column in columns:
                    expected = {*EMPTY, _default(replicated_tables()[table].c[column]),
                                *(f"withheld:{i}" for i in _values(copy, table, "id"))}
                    assert set(_values(copy, table, column)) <= expected, f"{table}.{column}"
            holders = [orjson.loads(h) for h in _values(copy, "passes", "holder")]
            assert holders and all(set(h) <= {"first_name", "last_name"} for h in holders)
            assert "arachides" not in str(copy.execute("SELECT * FROM guests").fetchall())
            assert IBAN.replace(" ", "") not in str(copy.execute("SELECT * FROM resales").fetchall())
            # What a door shows is still there: holders' names, order numbers, rate and zone names.
            assert any(_values(copy, "orders", "number")) and any(_values(copy, "orders", "customer_name"))
            assert any(_values(copy, "rates", "name")) and any(_values(copy, "guests", "first_name"))

    def test_a_projected_door_still_admits_tickets_passes_and_finds_holders(self, server, make_device):
        _laptop, venue, sold = _business(make_device, server)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        gate_sync.sync_once()
        with gate.store.session() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.date_id == venue.gala.first,
                                                          Ticket.order_id.is_not(None),
                                                          Ticket.pass_id.is_(None))).first()
            assert ticket is not None
            setup = make_setup(session, [venue.gala.first], door="Main door")
            name = ticket.holder_name or ""
        with gate.transaction() as work:
            assert door.check(work, setup, ticket.secret).verdict == "admitted"
        with gate.transaction() as work:
            verdict = door.check(work, setup, sold.secret)
            assert verdict.holder is not None and verdict.holder.name  # the pass holder's name, shown
        with gate.store.session() as session:
            if name:
                assert any(h.id == ticket.id for h in search_holders(session, setup, name.split()[0], limit=500))
        assert gate_sync.sync_once().rejected == 0


class TestPassAreaKey:
    def test_a_door_copy_cannot_open_a_holders_pass_area(self, server, make_device):
        _laptop, venue, sold = _business(make_device, server)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        gate_sync.sync_once()
        with _file(gate) as copy:
            [(secret, area_key)] = copy.execute("SELECT secret, area_key FROM passes WHERE id = ?",
                                                (sold.pass_id,)).fetchall()
        assert secret == sold.secret and area_key is None  # the QR secret checks codes; the area key never came
        with gate.store.session() as session:
            assert pass_area_link(session, sold.pass_id) is None
        # The link a door could derive from the QR secret (as links were made before) opens nothing.
        derived = area_token(sold.pass_id, secret)
        assert requests.get(f"{server.url}/pass/{derived}", timeout=10).status_code == 404
        assert requests.get(f"{server.url}/pass/{area_token(sold.pass_id, sold.area_key)}",
                            timeout=10).status_code == 200


class TestDeskProjection:
    def test_a_desk_copy_holds_no_payout_data_form_answers_rsvp_tokens_or_contacts(self, server, make_device):
        _laptop, _venue, _sold = _business(make_device, server)
        desk, desk_sync = make_device("desk", role="desk")
        desk_sync.sync_once()
        with _file(desk) as copy:
            assert _withheld_values(copy, "desk") == {}
            assert copy.execute("SELECT count(*) FROM contacts").fetchone() == (0,)
            assert "arachides" not in str(copy.execute("SELECT * FROM guests").fetchall())
            assert IBAN.replace(" ", "") not in str(copy.execute("SELECT * FROM resales").fetchall())
            # What selling and finding orders need is there: prices, customers' e-mails, payment methods.
            assert any(_values(copy, "rates", "price_minor")) and any(_values(copy, "orders", "customer_email"))
        with desk.store.session() as session:
            assert session.scalars(select(EventDate)).first() is not None


class TestRolesDocument:
    def test_docs_roles_md_is_the_table_the_server_applies(self):
        assert projections.markdown() in ROLES_DOC.read_text(encoding="utf-8")


def _dates_of(copy: sqlite3.Connection, table: str) -> set[str]:
    return {row[0] for row in copy.execute(f"SELECT DISTINCT date_id FROM {table} WHERE date_id IS NOT NULL")}


class TestDoorRows:
    def test_a_door_holds_only_the_orders_tickets_and_checkins_of_its_dates_and_no_organizer_only_rows(
            self, server, make_device):
        laptop, venue, _sold = _business(make_device, server)
        with _file(laptop) as organizer:
            assert len(_dates_of(organizer, "tickets")) > 1 and len(_dates_of(organizer, "orders")) > 1
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        gate_sync.sync_once()
        with _file(gate) as copy:
            assert _dates_of(copy, "tickets") == _dates_of(copy, "orders") == {venue.gala.first}
            assert _dates_of(copy, "checkins") <= {venue.gala.first}
            for table in ("credit_entries", "refunds", "till_closes", "questions", "contacts", "contact_lists"):
                assert copy.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
            # An order of no single date (a pass's) is kept apart, cut to the door's fields.
            assert copy.execute("SELECT count(*) FROM orders WHERE date_id IS NULL").fetchone()[0] >= 1

    def test_a_door_narrowed_to_other_dates_drops_the_rows_it_may_no_longer_hold(self, server, make_device):
        laptop, venue, _sold = _business(make_device, server)
        gate, gate_sync = make_device("gate", role="door", dates=[venue.gala.first])
        gate_sync.sync_once()
        with gate.store.session() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.date_id == venue.gala.first, Ticket.state == "valid",
                                                          Ticket.pass_id.is_(None))).first()
            assert ticket is not None
            setup = make_setup(session, [venue.gala.first], door="Main door")
        with gate.transaction() as work:
            verdict = door.check(work, setup, ticket.secret)
            assert verdict.verdict == "admitted", verdict.reason
        gate_sync.sync_once()
        with _file(laptop) as organizer:
            other = sorted(_dates_of(organizer, "tickets") - {venue.gala.first})[0]
        # The organizer moves this door to another date: it pairs again with its own secret.
        gate_sync.enroll(server.url, server.organizer_code, "gate", "door", [other])
        assert gate_sync.sync_once().rejected == 0
        with _file(gate) as copy:
            for table in ("tickets", "orders", "checkins"):
                assert _dates_of(copy, table) <= {other}, table
            assert _dates_of(copy, "tickets") == {other}
            scopes = {row[0] for row in copy.execute("SELECT scope FROM sync_cursors")}
            assert f"date:{venue.gala.first}" not in scopes and f"date:{other}" in scopes
        db = Database(server.database_url)  # the door's scan reached the server before: nothing is lost
        with db.session() as session:
            assert len(session.scalars(select(CheckIn).where(CheckIn.ticket_id == ticket.id)).all()) == 1
        db.engine.dispose()
