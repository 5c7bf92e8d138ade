"""Closing the till: float + cash sales − cash refunds against the cash counted; a close is final."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from boxoffice.model.till import TillClose
from boxoffice.mutations import MutationRejected
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import sales, till
from boxoffice.services.sales import Sale, SaleLine
from boxoffice.services.till import TillError
from tests.boxoffice.services.box_office_venue import Venue, build_venue

ZURICH = "Europe/Zurich"


def today() -> object:
    return datetime.now(UTC).astimezone(ZoneInfo(ZURICH)).date()


def sell(writer: Writer, venue: Venue, count: int, method: str) -> sales.SoldOrder:
    with writer.transaction() as work:
        return sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, count),), customer_name="Ada",
                                     answers={venue.question: True}, payment_method=method))


@pytest.fixture
def venue(writer: Writer) -> Venue:
    venue = build_venue(writer, floor_capacity=20)
    cash = sell(writer, venue, 2, "cash")  # 90.00 in cash
    sell(writer, venue, 1, "card")  # 45.00 by card: not in the drawer
    with writer.transaction() as work:  # one cash ticket refunded: 45.00 out of the drawer
        sales.cancel(work, cash.id, [cash.ticket_ids[0]])
    return venue


def day_of(writer: Writer) -> till.TillDay:
    with writer.store.session() as session:
        return till.till_day(session, today(), ZURICH)


class TestTheDifference:
    def test_counted_note_by_note_against_float_plus_cash_sales_minus_cash_refunds(self, writer: Writer, venue):
        day = day_of(writer)
        assert (day.currency, day.cash_sold_minor, day.cash_refunded_minor) == ("CHF", 9000, 4500)
        assert [(r.amount_minor, r.method) for r in day.refunds] == [(4500, "cash")]
        with writer.transaction() as work:  # float 200.00; counted 2 × 100 + 1 × 50 = 250.00
            closed = till.close_till(work, day, 20000, None, {10000: 2, 5000: 1}, "Noé")
        assert (closed.expected_minor, closed.counted_minor, closed.difference_minor) == (24500, 25000, 500)
        assert till.difference_text(closed) == "CHF\xa05.00 more than expected"
        assert closed.counts == {10000: 2, 5000: 1}
        assert {t["method"]: t["net_minor"] for t in closed.takings} == {"cash": 4500, "card": 4500}
        assert closed.closed_by == "Noé"

    def test_a_total_typed_short_of_the_expected_cash_shows_what_is_missing(self, writer: Writer, venue):
        with writer.transaction() as work:
            closed = till.close_till(work, day_of(writer), 10000, 14000, None, "Noé")
        assert closed.difference_minor == -500
        assert till.difference_text(closed) == "CHF\xa05.00 missing"
        sheet = till.as_html(closed)
        assert "CHF\xa05.00 missing" in sheet and "Closed by Noé on" in sheet and "cash" in sheet

    def test_nobody_named_or_nothing_counted_is_refused_with_the_reason(self, writer: Writer, venue):
        with writer.transaction() as work, pytest.raises(TillError, match="Type who closes the till"):
            till.close_till(work, day_of(writer), 0, 4500, None, "  ")
        with writer.transaction() as work, pytest.raises(TillError, match="Count the cash"):
            till.close_till(work, day_of(writer), 0, None, None, "Noé")
        with writer.transaction() as work, pytest.raises(TillError, match="cannot be counted"):
            till.close_till(work, day_of(writer), 0, None, {700: 1}, "Noé")


class TestAClosedTillIsFinal:
    def test_a_second_close_of_the_day_is_refused(self, writer: Writer, venue):
        day = day_of(writer)
        with writer.transaction() as work:
            till.close_till(work, day, 0, 4500, None, "Noé")
        with writer.transaction() as work, pytest.raises(TillError, match="already closed by Noé"):
            till.close_till(work, day_of(writer), 0, 4500, None, "Ada")
        with writer.transaction() as work, pytest.raises(MutationRejected, match="was already closed by Noé"):
            till.close_till(work, day, 0, 9000, None, "Ada")  # a stale screen that did not see the close

    def test_the_record_cannot_be_changed_even_in_the_database(self, writer: Writer, venue):
        with writer.transaction() as work:
            closed = till.close_till(work, day_of(writer), 0, 4500, None, "Noé")
        with writer.store.session() as session:
            session.execute(text("UPDATE till_closes SET server_seq = 7 WHERE id = :id"), {"id": closed.id})
            session.commit()  # sync's own bookkeeping may change
            with pytest.raises(DatabaseError, match="a closed till cannot be changed"):
                session.execute(text("UPDATE till_closes SET counted_minor = 9000 WHERE id = :id"), {"id": closed.id})
            session.rollback()
            assert session.get(TillClose, closed.id).counted_minor == 4500

    def test_a_record_whose_sums_do_not_add_up_is_refused_by_the_mutation(self, writer: Writer, venue):
        day = day_of(writer)
        record = {"id": "00000000-0000-7000-8000-000000000001", "device_id": day.desk_id, "desk": day.desk,
                  "day": day.day.isoformat(), "timezone": ZURICH, "currency": "CHF", "opening_float_minor": 0,
                  "counted_minor": 4500, "counts": {}, "cash_sold_minor": 9000, "cash_refunded_minor": 4500,
                  "expected_minor": 4500, "difference_minor": 100, "takings": [], "refunds": [],
                  "closed_by": "Noé", "note": "", "closed_at": datetime.now(UTC).isoformat()}
        with writer.transaction() as work, pytest.raises(MutationRejected, match="difference_minor must be"):
            work.run("till.close", {"close": record})
