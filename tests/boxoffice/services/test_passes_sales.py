# SPDX-License-Identifier: AGPL-3.0-or-later
"""Selling passes at the desk (P1, P2, P4) and checking them in at the door like tickets (D4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from boxoffice.model.devices import OutboxEntry
from boxoffice.model.events import EventDate
from boxoffice.model.passes import Pass
from boxoffice.model.sales import Order, Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import door, sales
from boxoffice.services.door import DoorDate, DoorSetup
from boxoffice.services.pass_sales import PassSale, area_token, pass_for_token, sell_pass, sold_passes
from boxoffice.services.passes import PassError
from boxoffice.services.print_records import items_for_order
from boxoffice.services.sales import Sale, SaleError, SaleLine
from tests.boxoffice.services.pass_venue import PassVenue, build_pass_venue, sell_seated

PHOTO = b"\x89PNG\r\n\x1a\nholder-photo"


@pytest.fixture
def venue(writer: Writer) -> PassVenue:
    return build_pass_venue(writer)


def sell_season(writer: Writer, venue: PassVenue, **holder: str) -> str:
    values = {"last_name": "Bianchi", "first_name": "Giulia", **holder}
    with writer.transaction() as work:
        return sell_pass(work, PassSale(venue.season, values, photo=PHOTO, payment_method="cash")).secret


def door_for(writer: Writer, *date_ids: str) -> DoorSetup:
    with writer.store.session() as session:
        dates = []
        for date_id in date_ids:
            date = session.get(EventDate, date_id)
            assert date is not None
            dates.append(DoorDate(date.id, date.event_id, "", date.starts_at))
    return DoorSetup(dates=tuple(dates), door="Main door", show_photo=True)


def scan(writer: Writer, setup: DoorSetup, code: str) -> door.Verdict:
    with writer.transaction() as work:
        return door.check(work, setup, code)


class TestSellPass:
    def test_a_pass_sale_records_an_order_the_pass_its_secret_photo_and_the_outbox(self, writer, venue):
        with writer.transaction() as work:
            sold = sell_pass(work, PassSale(venue.season, {"last_name": "Bianchi", "first_name": "Giulia",
                                                           "email": "giulia@example.ch", "language": "it"},
                                            photo=PHOTO, payment_method="card"))
        with writer.store.session() as session:
            held = session.get(Pass, sold.pass_id)
            order = session.get(Order, sold.order_id)
            assert held is not None and order is not None
            assert held.secret == sold.secret and len(held.secret) >= 26 and held.photo == PHOTO
            assert held.holder == {"last_name": "Bianchi", "first_name": "Giulia", "email": "giulia@example.ch",
                                   "language": "it"}
            assert (order.total_minor, order.payment_method, order.customer_name) == (12000, "card", "Giulia Bianchi")
            assert order.customer_email == "giulia@example.ch" and sold.number == order.number
            last = session.scalars(select(OutboxEntry.mutation).order_by(OutboxEntry.seq.desc())).first()
            assert last == "passes.sell"
            assert sold_passes(session, "bianchi")[0].definition == "Season pass"

    def test_a_missing_required_field_refuses_the_sale_and_writes_nothing(self, writer, venue):
        with pytest.raises(PassError, match=r"Please fill in: Last name\."), writer.transaction() as work:
            sell_pass(work, PassSale(venue.season, {"first_name": "Giulia"}))
        with writer.store.session() as session:
            assert session.scalars(select(Pass)).first() is None and session.scalars(select(Order)).first() is None

    def test_a_paying_pass_cannot_be_given_away(self, writer, venue):
        with pytest.raises(PassError, match="Only free passes"), writer.transaction() as work:
            sell_pass(work, PassSale(venue.season, {"last_name": "B", "first_name": "G"}, payment_method="free"))

    def test_a_pass_prints_as_a_cr80_card_with_its_photo(self, writer, venue):
        with writer.transaction() as work:
            sold = sell_pass(work, PassSale(venue.season, {"last_name": "Bianchi", "first_name": "Giulia"},
                                            photo=PHOTO))
        with writer.store.session() as session:
            items = items_for_order(session, sold.number, "pass")
        assert [i.label for i in items] == ["Giulia Bianchi — Season pass"]
        assert items[0].record.photo == PHOTO and items[0].record.qr == sold.secret

    def test_the_pass_area_token_finds_the_pass_and_a_forged_one_does_not(self, writer, venue):
        with writer.transaction() as work:
            sold = sell_pass(work, PassSale(venue.season, {"last_name": "Bianchi", "first_name": "Giulia"}))
        token = area_token(sold.pass_id, sold.area_key)
        with writer.store.session() as session:
            found = pass_for_token(session, token)
            assert found is not None and found.id == sold.pass_id
            assert sold.secret not in token
            assert pass_for_token(session, token[:-1] + ("a" if token[-1] != "a" else "b")) is None
            assert pass_for_token(session, "nothing") is None


class TestFixedSeats:
    def test_a_fixed_seat_pass_holds_the_same_seat_on_every_coming_date_of_its_events(self, writer, venue):
        sold = sell_seated(writer, venue)
        with writer.store.session() as session:
            tickets = list(session.scalars(select(Ticket).where(Ticket.pass_id == sold.pass_id)))
            assert {t.date_id for t in tickets} == {venue.gala.first, venue.gala.second, venue.recital_date}
            assert all(t.state == "valid" and t.price_minor == 0 for t in tickets)
            assert sales.taken_seats(session, venue.gala.first) == {venue.seat_a1}

    def test_the_desk_cannot_sell_a_seat_a_pass_holds(self, writer, venue):
        sell_seated(writer, venue)
        with pytest.raises(SaleError, match="Already sold for this date: seat A-1"), writer.transaction() as work:
            sales.sell(work, Sale(venue.gala.first, venue.gala.balcony, (SaleLine(venue.gala.full),),
                                  seat_ids=(venue.seat_a1,), answers={venue.gala.question: "no"}))

    def test_a_seat_already_held_by_another_pass_is_refused(self, writer, venue):
        sell_seated(writer, venue)
        with pytest.raises(PassError, match="The seat Balcony, row A, seat 1 is already sold"):
            sell_seated(writer, venue, last_name="Favre")

    def test_a_fixed_seat_pass_needs_a_seat_and_a_free_pass_refuses_one(self, writer, venue):
        with pytest.raises(PassError, match="choose the holder's seat"), writer.transaction() as work:
            sell_pass(work, PassSale(venue.seated, {"last_name": "Rochat"}))
        with pytest.raises(PassError, match="no fixed seats"), writer.transaction() as work:
            sell_pass(work, PassSale(venue.season, {"last_name": "B", "first_name": "G"}, seat_id=venue.seat_a1))


class TestDoor:
    def test_a_sold_pass_is_admitted_for_an_event_it_covers_and_refused_for_another(self, writer, venue):
        secret = sell_season(writer, venue)
        with writer.transaction() as work:
            other_date = sales_date(work, venue.other_event)
        admitted = scan(writer, door_for(writer, venue.gala.first), secret)
        assert (admitted.verdict, admitted.reason) == ("admitted", "welcome")
        assert admitted.holder is not None and admitted.holder.name == "Giulia Bianchi" and admitted.photo == PHOTO
        refused = scan(writer, door_for(writer, other_date), secret)
        assert (refused.verdict, refused.reason) == ("refused", "wrong_event")
        again = scan(writer, door_for(writer, venue.gala.first), secret)
        assert (again.verdict, again.reason) == ("refused", "already_inside")


def sales_date(work: object, event_id: str) -> str:
    from boxoffice.services import catalogue

    return catalogue.add_date(work, event_id, datetime(2031, 1, 1, 20, tzinfo=UTC))  # type: ignore[arg-type]
