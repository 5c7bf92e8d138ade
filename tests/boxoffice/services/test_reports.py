"""Reports: an event's sales per rate and date, a day's takings per desk and method, customers and answers."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from boxoffice.model.sales import Order, Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, customers, door, event_overview, order_form, sales, takings
from boxoffice.services.door_lists import make_setup
from boxoffice.services.sales import Sale, SaleError, SaleLine
from boxoffice.store.ids import new_secret, uuid7
from tests.boxoffice.services.box_office_venue import Venue, build_venue

ZURICH = "Europe/Zurich"
OTHER_DESK = "0190f5a2-0000-7000-8000-00000000d35c"


def sell(writer: Writer, venue: Venue, lines: dict[str, int], method: str = "cash", name: str = "Ann Favre",
         email: str = "ann@example.ch", answers: dict[str, str] | None = None, now: datetime | None = None,
         phone: str = "") -> sales.SoldOrder:
    with writer.transaction() as work:
        return sales.sell(work, Sale(venue.first, venue.floor, tuple(SaleLine(r, q) for r, q in lines.items()),
                                     customer_name=name, customer_email=email,
                                     customer={"phone": phone} if phone else {},
                                     answers={venue.question: "no"} if answers is None else answers,
                                     payment_method=method), now=now)


def record_elsewhere(writer: Writer, venue: Venue, method: str, price: int, when: datetime) -> None:
    """An order another desk sold, as it arrives here by sync."""
    order_id = uuid7()
    with writer.transaction() as work:
        work.run("orders.create_many", {
            "orders": [[order_id, "DOTHER1-000001", "Bob Meier", "bob@example.ch", method, price, "CHF", "paid",
                        OTHER_DESK, when.isoformat()]],
            "tickets": [[uuid7(), order_id, venue.event, venue.first, venue.floor, venue.full, new_secret(),
                         "Bob Meier", price, "CHF", "valid"]]})


def today() -> date:
    return datetime.now(ZoneInfo(ZURICH)).date()


class TestRevenuePerRate:
    def test_valid_tickets_count_per_rate_and_cancelled_ones_do_not(self, writer: Writer):
        venue = build_venue(writer)
        first = sell(writer, venue, {venue.full: 2, venue.reduced: 1})
        with writer.transaction() as work:
            sales.cancel(work, first.id, [first.ticket_ids[0]])
        with writer.store.session() as session:
            overview = event_overview.event_overview(session, venue.event)
        by_name = {r.name: (r.sold, r.revenue_minor) for r in overview.rates}
        assert by_name == {"Full": (1, 4500), "Reduced": (1, 3000), "Premiere": (0, 0)}
        assert (overview.sold, overview.revenue_minor, overview.orders, overview.currency) == (2, 7500, 1, "CHF")

    def test_tickets_printed_as_unsold_stock_are_not_sales(self, writer: Writer):
        venue = build_venue(writer)
        sell(writer, venue, {venue.full: 1})
        with writer.transaction() as work:
            sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, 2),)), stock=True)
        with writer.store.session() as session:
            overview = event_overview.event_overview(session, venue.event)
        assert (overview.sold, overview.revenue_minor, overview.orders) == (1, 4500, 1)
        assert overview.dates[0].sold == 3  # the printed stock still takes its places

    def test_each_date_shows_sold_against_the_capacity_of_every_zone(self, writer: Writer):
        venue = build_venue(writer, floor_capacity=5)
        sell(writer, venue, {venue.full: 3})
        with writer.store.session() as session:
            dates = event_overview.event_overview(session, venue.event).dates
            capacity = sum(z.capacity for z in catalogue.event_details(session, venue.event).zones)
        assert capacity > 5  # the floor's 5 and the balcony's seats
        assert [(d.date_id, d.sold, d.capacity, d.checked_in) for d in dates] == [
            (venue.first, 3, capacity, 0), (venue.second, 0, capacity, 0)]

    def test_each_date_counts_the_tickets_admitted_at_the_door_once(self, writer: Writer):
        venue = build_venue(writer)
        sold = sell(writer, venue, {venue.full: 2})
        with writer.store.session() as session:
            setup = make_setup(session, [venue.first], door="Main")
            secrets = [session.get(Ticket, t).secret for t in sold.ticket_ids]  # type: ignore[union-attr]
        with writer.transaction() as work:
            assert door.check(work, setup, secrets[0]).admitted
            door.check(work, setup, secrets[0])  # a second scan of the same ticket
        with writer.store.session() as session:
            dates = event_overview.event_overview(session, venue.event).dates
        assert [(d.sold, d.checked_in) for d in dates] == [(2, 1), (0, 0)]

    def test_an_unknown_event_is_named_in_the_error(self, writer: Writer):
        build_venue(writer)
        with writer.store.session() as session, pytest.raises(ValueError, match="Nope"):
            event_overview.find_event(session, "Nope")


class TestTakings:
    def test_takings_per_desk_and_method_subtract_refunds(self, writer: Writer):
        venue = build_venue(writer, floor_capacity=20)
        cash = sell(writer, venue, {venue.full: 2})
        sell(writer, venue, {venue.reduced: 1}, method="card")
        sell(writer, venue, {venue.full: 1}, method="invoice")
        record_elsewhere(writer, venue, "card", 4500, datetime.now(UTC))
        with writer.transaction() as work:
            sales.cancel(work, cash.id, [cash.ticket_ids[0]])
        with writer.store.session() as session:
            found = takings.day_takings(session, today(), ZURICH)
        here = {(ln.method, ln.orders, ln.sold_minor, ln.refunds, ln.refunded_minor, ln.net_minor)
                for ln in found.lines if ln.desk_id == writer.device_id}
        assert here == {("cash", 1, 9000, 1, 4500, 4500), ("card", 1, 3000, 0, 0, 3000),
                        ("invoice", 1, 4500, 0, 0, 4500)}
        other = [ln for ln in found.lines if ln.desk_id == OTHER_DESK]
        assert [(ln.desk, ln.method, ln.net_minor) for ln in other] == [("DOTHER1", "card", 4500)]
        assert found.totals() == [("cash", "CHF", 4500), ("card", "CHF", 7500), ("invoice", "CHF", 4500)]

    def test_a_refund_counts_on_the_day_it_was_made_not_the_day_of_the_sale(self, writer: Writer):
        venue = build_venue(writer)
        yesterday = datetime.now(UTC) - timedelta(days=1)
        sold = sell(writer, venue, {venue.full: 1}, now=yesterday)
        with writer.transaction() as work:
            sales.cancel(work, sold.id)
        with writer.store.session() as session:
            before = takings.day_takings(session, yesterday.astimezone(ZoneInfo(ZURICH)).date(), ZURICH)
            now = takings.day_takings(session, today(), ZURICH)
        assert [(ln.sold_minor, ln.refunded_minor) for ln in before.lines] == [(4500, 0)]
        assert [(ln.orders, ln.refunded_minor, ln.net_minor) for ln in now.lines] == [(0, 4500, -4500)]

    def test_takings_export_as_csv_and_text(self, writer: Writer, tmp_path: Path):
        venue = build_venue(writer)
        sell(writer, venue, {venue.full: 1}, method="card")
        with writer.store.session() as session:
            found = takings.day_takings(session, today(), ZURICH)
        out = tmp_path / "till.csv"
        assert takings.write_csv(found, out) == 1
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0] == ["Desk", "Payment method", "Currency", "Orders", "Sold", "Refunds", "Refunded", "Net"]
        assert rows[1][1:] == ["card terminal", "CHF", "1", "45.00", "0", "0.00", "45.00"]
        assert rows[2] == ["Total", "card terminal", "CHF", "", "", "", "", "45.00"]
        assert "Total card terminal: CHF\xa045.00" in takings.as_text(found)

    def test_a_day_without_sales_says_so(self, writer: Writer):
        with writer.store.session() as session:
            found = takings.day_takings(session, date(2020, 1, 1), ZURICH)
        assert found.lines == [] and "No sales and no refunds" in takings.as_text(found)


class TestCustomersAndAnswers:
    def test_orders_with_the_same_email_are_one_customer_with_their_phone(self, writer: Writer):
        venue = build_venue(writer, floor_capacity=20)
        sell(writer, venue, {venue.full: 1}, phone="+41 79 123 45 67")
        sell(writer, venue, {venue.full: 2}, email="ANN@example.ch")
        sell(writer, venue, {venue.reduced: 1}, name="Bob", email="")
        with writer.store.session() as session:
            found = customers.customers_of(session, venue.event)
        assert [(c.name, c.email.lower(), c.phone, c.orders, c.tickets) for c in found] == [
            ("Ann Favre", "ann@example.ch", "+41 79 123 45 67", 2, 3), ("Bob", "", "", 1, 1)]

    def test_answers_export_has_one_column_per_question_and_neutralises_formulas(self, writer: Writer,
                                                                                 tmp_path: Path):
        venue = build_venue(writer, floor_capacity=20)
        with writer.transaction() as work:
            diet = catalogue.add_question(work, venue.event, "Diet")
        sell(writer, venue, {venue.full: 1}, name="=HYPERLINK(\"x\")", email="@evil.ch",
             answers={venue.question: "yes", diet: "-vegan"}, phone="+41 79")
        sell(writer, venue, {venue.full: 1}, name="Zoé Müller", email="zoe@example.ch")
        out = tmp_path / "answers.csv"
        with writer.store.session() as session:
            assert customers.export_answers(session, venue.event, out) == 2
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0] == ["Order", "Sold", "Name", "Email", "Phone", "Tickets", "Wheelchair space?", "Diet"]
        evil, zoe = rows[1], rows[2]
        assert evil[2:5] == ["'=HYPERLINK(\"x\")", "'@evil.ch", "'+41 79"]
        assert evil[6:] == ["yes", "'-vegan"]
        assert zoe[2:4] == ["Zoé Müller", "zoe@example.ch"] and zoe[6:] == ["no", ""]


class TestRequiredQuestions:
    def test_a_sale_without_a_required_answer_is_refused_naming_the_question(self, writer: Writer):
        venue = build_venue(writer)
        with pytest.raises(SaleError, match="Please answer: Wheelchair space"):
            sell(writer, venue, {venue.full: 1}, answers={})
        with writer.store.session() as session:
            questions = order_form.questions_for_date(session, venue.first)
            assert session.scalars(select(Order)).first() is None
        assert [q.label for q in order_form.unanswered(questions, {venue.question: "  "})] == ["Wheelchair space?"]
        assert order_form.unanswered(questions, {venue.question: "yes"}) == []

    def test_answers_are_stored_on_the_order_under_the_question(self, writer: Writer):
        venue = build_venue(writer)
        sold = sell(writer, venue, {venue.full: 1}, answers={venue.question: "yes", "not-a-question": "x"})
        with writer.store.session() as session:
            order = session.get(Order, sold.id)
            assert order is not None and order.answers == {venue.question: "yes"}
