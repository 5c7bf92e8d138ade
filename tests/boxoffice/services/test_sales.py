"""Desk sale rules: capacity, seats, closing times, rates by date and zone, answers, cancellation (T5–T7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from boxoffice.model.devices import OutboxEntry
from boxoffice.model.sales import Order, Refund, Ticket
from boxoffice.mutations import MutationContext, MutationRejected, lookup
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, orders, sales
from boxoffice.services.sales import Sale, SaleError, SaleLine
from tests.boxoffice.services.box_office_venue import Venue, build_venue


@pytest.fixture
def venue(writer: Writer) -> Venue:
    return build_venue(writer)


def sell(writer: Writer, venue: Venue, quantity: int = 1, **options: object) -> sales.SoldOrder:
    values: dict = {"date_id": venue.first, "zone_id": venue.floor, "lines": (SaleLine(venue.full, quantity),),
                    "customer_name": "Léa Müller", "answers": {venue.question: "no"}}
    values.update(options)
    with writer.transaction() as work:
        return sales.sell(work, Sale(**values))


def seat_ids(writer: Writer, venue: Venue, date: str | None = None) -> list[str]:
    with writer.store.session() as session:
        return [s.id for s in orders.seats_for(session, date or venue.first, venue.balcony)]


class TestSell:
    def test_a_sale_records_order_tickets_secrets_and_the_outbox_in_one_transaction(self, writer, venue):
        sold = sell(writer, venue, 2, payment_method="card")
        assert sold.number.startswith("D") and sold.number.endswith("-000001") and sold.total_minor == 9000
        with writer.store.session() as session:
            tickets = list(session.scalars(select(Ticket).where(Ticket.order_id == sold.id)))
            assert {t.state for t in tickets} == {"valid"} and len({t.secret for t in tickets}) == 2
            assert all(len(t.secret) >= 26 for t in tickets)
            order = session.get(Order, sold.id)
            assert order is not None and order.payment_method == "card" and order.answers == {venue.question: "no"}
            last = session.scalars(select(OutboxEntry.mutation).order_by(OutboxEntry.seq.desc())).first()
            assert last == "sales.sell"

    def test_order_numbers_count_up_per_device(self, writer, venue):
        numbers = [sell(writer, venue).number for _ in range(3)]
        assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]
        assert len({n.split("-")[0] for n in numbers}) == 1

    def test_a_free_sale_is_recorded_as_free(self, writer, venue):
        with writer.transaction() as work:
            gift = catalogue.add_rate(work, venue.event, "Invitation", 0, kind="free")
        sold = sell(writer, venue, lines=(SaleLine(gift, 1),), payment_method="cash")
        assert (sold.total_minor, sold.payment_method) == (0, "free")

    def test_a_paid_rate_cannot_be_given_away(self, writer, venue):
        with pytest.raises(SaleError, match="Only free rates"):
            sell(writer, venue, payment_method="free")


class TestCapacity:
    def test_no_sale_beyond_the_places_left(self, writer, venue):
        sell(writer, venue, 4)
        with pytest.raises(SaleError, match="Only 1 place is left in Floor"):
            sell(writer, venue, 2)
        sell(writer, venue, 1)
        with pytest.raises(SaleError, match="Floor is sold out"):
            sell(writer, venue, 1)

    def test_capacity_counts_per_date(self, writer, venue):
        sell(writer, venue, 5)
        sell(writer, venue, 5, date_id=venue.second)
        with writer.store.session() as session:
            assert sales.places_left(session, venue.first, venue.floor) == 0
            assert [(z.name, z.left) for z in orders.zones_for(session, venue.second)] == [("Balcony", 6), ("Floor", 0)]

    def test_cancelling_returns_places_to_sale_with_refunds(self, writer, venue):
        sold = sell(writer, venue, 5)
        with writer.transaction() as work:
            assert sales.cancel(work, sold.id, [sold.ticket_ids[0]]) == [sold.ticket_ids[0]]
        with writer.store.session() as session:
            assert sales.places_left(session, venue.first, venue.floor) == 1
            assert session.get(Order, sold.id).status == "paid"  # type: ignore[union-attr]
        with writer.transaction() as work:
            sales.cancel(work, sold.id)
        with writer.store.session() as session:
            assert sales.places_left(session, venue.first, venue.floor) == 5
            assert session.get(Order, sold.id).status == "cancelled"  # type: ignore[union-attr]
            refunds = list(session.scalars(select(Refund).where(Refund.order_id == sold.id)))
            assert sum(r.amount_minor for r in refunds) == 5 * 4500 and {r.method for r in refunds} == {"cash"}
        with writer.transaction() as work, pytest.raises(SaleError, match="no valid ticket left"):
            sales.cancel(work, sold.id)


class TestSeats:
    def test_a_seated_zone_needs_one_free_seat_per_ticket(self, writer, venue):
        seats = seat_ids(writer, venue)
        assert len(seats) == 6
        with pytest.raises(SaleError, match="is seated: choose one seat for each of the 2 tickets"):
            sell(writer, venue, 2, zone_id=venue.balcony, seat_ids=(seats[0],))
        sell(writer, venue, 2, zone_id=venue.balcony, seat_ids=tuple(seats[:2]))
        with pytest.raises(SaleError, match="Already sold for this date: seat A-1"):
            sell(writer, venue, 1, zone_id=venue.balcony, seat_ids=(seats[0],))
        sell(writer, venue, 1, zone_id=venue.balcony, seat_ids=(seats[0],), date_id=venue.second)
        with writer.store.session() as session:
            assert [s.free for s in orders.seats_for(session, venue.first, venue.balcony)][:3] == [False, False, True]

    def test_generating_seats_sets_the_zone_capacity(self, writer, venue):
        with writer.store.session() as session:
            assert sales.places_left(session, venue.first, venue.balcony) == 6

    def test_a_seat_of_another_zone_is_refused(self, writer, venue):
        with pytest.raises(SaleError, match="no numbered seats"):
            sell(writer, venue, 1, seat_ids=(seat_ids(writer, venue)[0],))


class TestClosingAndRates:
    def test_sales_close_at_the_dates_closing_time(self, writer, venue):
        later = datetime.now(UTC) + timedelta(days=3, hours=2)
        with writer.transaction() as work, pytest.raises(SaleError, match="Sales for this date closed at"):
            sales.check_sale(work.session, Sale(venue.first, venue.floor, (SaleLine(venue.full),)), later)

    def test_the_events_closing_time_applies_to_dates_without_their_own(self, writer, venue):
        with writer.transaction() as work:
            catalogue.update_event(work, venue.event, sales_close_at=datetime.now(UTC) - timedelta(minutes=1))
        with pytest.raises(SaleError, match="closed at"):
            sell(writer, venue, date_id=venue.second)
        with writer.store.session() as session:
            assert venue.second not in [d.id for d in orders.dates_on_sale(session)]

    def test_a_draft_event_is_not_on_sale(self, writer, venue):
        with writer.transaction() as work:
            catalogue.update_event(work, venue.event, status="draft")
        with pytest.raises(SaleError, match="not on sale"):
            sell(writer, venue)

    def test_a_rate_limited_to_a_date_or_zone_is_refused_elsewhere(self, writer, venue):
        with pytest.raises(SaleError, match="not valid for this date and zone"):
            sell(writer, venue, lines=(SaleLine(venue.second_only),))
        with pytest.raises(SaleError, match="not valid for this date and zone"):
            sell(writer, venue, zone_id=venue.balcony, lines=(SaleLine(venue.reduced),),
                 seat_ids=(seat_ids(writer, venue)[0],))
        assert sell(writer, venue, date_id=venue.second, lines=(SaleLine(venue.second_only),)).total_minor == 9000
        with writer.store.session() as session:
            assert [r.name for r in orders.rates_for(session, venue.first, venue.balcony)] == ["Full"]
            assert [r.name for r in orders.rates_for(session, venue.second, venue.floor)] == [
                "Full", "Reduced", "Premiere"]

    def test_required_questions_must_be_answered(self, writer, venue):
        with pytest.raises(SaleError, match="Please answer: Wheelchair space"):
            sell(writer, venue, answers={})


class TestFindOrders:
    def test_by_name_email_or_number(self, writer, venue):
        sold = sell(writer, venue, customer_name="Noah Favre", customer_email="noah@example.ch")
        sell(writer, venue)
        with writer.store.session() as session:
            assert [o.number for o in orders.find_orders(session, "favre")] == [sold.number]
            assert [o.number for o in orders.find_orders(session, sold.number.lower())] == [sold.number]
            assert [o.id for o in orders.find_orders(session, "noah@")] == [sold.id]
            assert len(orders.find_orders(session)) == 2
            assert [t.zone for t in orders.tickets_of(session, sold.id)] == ["Floor"]


class TestServerRecheck:
    def test_the_server_rejects_a_sale_that_would_oversell(self, writer, venue):
        sell(writer, venue, 5)
        args = {"order": {"id": "o-1", "number": "X-1", "sold_at": None},
                "tickets": [{"id": "t-1", "order_id": "o-1", "event_id": venue.event, "date_id": venue.first,
                             "zone_id": venue.floor, "secret": "S1", "state": "valid"}]}
        with writer.store.session() as session:
            ctx = MutationContext(session, "9999", "other-desk", "desk 2", on_server=True)
            with pytest.raises(MutationRejected, match="not enough places left in Floor: 0"):
                lookup("sales.sell").run(ctx, args)

    def test_the_server_rejects_a_seat_sold_by_another_desk(self, writer, venue):
        seat = seat_ids(writer, venue)[0]
        sell(writer, venue, 1, zone_id=venue.balcony, seat_ids=(seat,))
        with writer.transaction() as work:
            catalogue.update_zone(work, venue.balcony, capacity=10)
        args = {"order": {"id": "o-2", "number": "X-2", "sold_at": None},
                "tickets": [{"id": "t-2", "order_id": "o-2", "event_id": venue.event, "date_id": venue.first,
                             "zone_id": venue.balcony, "seat_id": seat, "secret": "S2", "state": "valid"}]}
        with writer.store.session() as session:
            ctx = MutationContext(session, "9999", "other-desk", "desk 2", on_server=True)
            with pytest.raises(MutationRejected, match="already sold"):
                lookup("sales.sell").run(ctx, args)
