# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tickets printed in advance as unsold stock (D6): made at the desk, put back on sale at the door."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from boxoffice.model.sales import STOCK, Order, Refund, Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import door, sales, takings
from boxoffice.services.door_lists import make_setup
from boxoffice.services.sales import Sale, SaleLine
from tests.boxoffice.services.box_office_venue import Venue, build_venue


@pytest.fixture
def venue(writer: Writer) -> Venue:
    return build_venue(writer)


def _stock(writer: Writer, venue: Venue, quantity: int = 2) -> sales.SoldOrder:
    with writer.transaction() as work:
        return sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, quantity),),
                                     customer_name="ignored"), stock=True)


def _sell(writer: Writer, venue: Venue) -> sales.SoldOrder:
    with writer.transaction() as work:
        return sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, 1),), customer_name="Léa",
                                     answers={venue.question: "no"}))


def _quick_cancel(writer: Writer, venue: Venue, ticket_id: str) -> door.Verdict:
    with writer.store.session() as session:
        secret = session.scalars(select(Ticket.secret).where(Ticket.id == ticket_id)).one()
        setup = make_setup(session, [venue.first], door="Box office", quick_cancel=True)
    with writer.transaction() as work:
        return door.check(work, setup, secret)


class TestPrintingStock:
    def test_stock_is_an_order_of_valid_tickets_sold_to_nobody_and_paid_by_nobody(self, writer, venue):
        printed = _stock(writer, venue)
        with writer.store.session() as session:
            order = session.get(Order, printed.id)
            assert order is not None
            assert (order.status, order.customer_name, order.total_minor, order.sold_at) == (STOCK, "", 0, None)
            tickets = list(session.scalars(select(Ticket).where(Ticket.order_id == printed.id)))
            # A printed ticket shows its rate's price: it is what the visitor pays at the door.
            assert [(t.state, t.price_minor, t.holder_name) for t in tickets] == [("valid", 4500, "")] * 2
            assert sales.places_left(session, venue.first, venue.floor) == 3

    def test_stock_needs_no_order_form_answers_and_is_not_in_the_days_takings(self, writer, venue):
        _stock(writer, venue)
        with writer.store.session() as session:
            day = takings.day_takings(session, datetime.now(UTC).date(), "UTC")
        assert day.totals() == []

    def test_cancelling_stock_at_the_desk_refunds_nothing(self, writer, venue):
        printed = _stock(writer, venue)
        with writer.transaction() as work:
            sales.cancel(work, printed.id)
        with writer.store.session() as session:
            assert session.scalar(select(func.count()).select_from(Refund)) == 0
            assert session.get(Order, printed.id).status == "cancelled"

    def test_stock_beyond_the_places_left_is_refused_like_a_sale(self, writer, venue):
        with pytest.raises(sales.SaleError, match="Only 5 places are left"):
            _stock(writer, venue, quantity=6)


class TestQuickCancelOfStock:
    def test_a_ticket_printed_as_stock_goes_back_on_sale_at_the_door(self, writer, venue):
        printed = _stock(writer, venue)
        verdict = _quick_cancel(writer, venue, printed.ticket_ids[0])
        assert (verdict.verdict, verdict.reason) == ("returned", "returned_to_sale")
        with writer.store.session() as session:
            assert session.get(Ticket, printed.ticket_ids[0]).state == "unsold"
            assert sales.places_left(session, venue.first, venue.floor) == 4

    def test_a_ticket_sold_at_the_same_desk_is_refused_with_its_order_number(self, writer, venue):
        sold = _sell(writer, venue)
        verdict = _quick_cancel(writer, venue, sold.ticket_ids[0])
        assert (verdict.verdict, verdict.reason) == ("refused", "sold")
        assert sold.number in verdict.message
        with writer.store.session() as session:
            assert session.get(Ticket, sold.ticket_ids[0]).state == "valid"
