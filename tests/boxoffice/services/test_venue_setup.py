"""Setting up a first venue in one go: each step's checks, and the whole plan written or nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from boxoffice.model.events import BoxOffice, Event
from boxoffice.money import MoneyError
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, orders
from boxoffice.services.catalogue import CatalogueError
from boxoffice.services.venue_setup import (
    VenuePlan,
    check_office,
    check_plan,
    check_rate,
    check_zone,
    is_first_run,
    parse_rows,
    set_up_venue,
)

EVENING = datetime(2027, 3, 12, 19, 30, tzinfo=UTC)


def _plan(**changes: object) -> VenuePlan:
    values: dict[str, object] = {
        "office_name": "Salle Polyvalente", "timezone": "Europe/Zurich", "currency": "CHF",
        "event_name": "Gala", "location": "Lausanne", "dates": (EVENING,),
        "zones": (check_zone("Parterre", 40), check_zone("Loge", 0, "A-B", 5)),
        "rates": (check_rate("Plein tarif", "25,50", "public", "CHF"), check_rate("Enfant", "", "free", "CHF"))}
    values.update(changes)
    return VenuePlan(**values)  # type: ignore[arg-type]


class TestSteps:
    def test_rows_are_read_as_ranges_and_lists(self):
        assert parse_rows("A-D") == ("A", "B", "C", "D")
        assert parse_rows("1-3, 10") == ("1", "2", "3", "10")
        assert parse_rows("A, B, A") == ("A", "B")  # a row typed twice is one row

    def test_a_backwards_range_is_refused_with_what_to_write(self):
        with pytest.raises(CatalogueError, match=re.escape("“J-A” is not a range of rows; write e.g. A-J or 1-12.")):
            parse_rows("J-A")

    def test_a_zone_needs_places_or_seats_per_row(self):
        assert check_zone("Loge", 0, "A-C", 10).places == 30
        with pytest.raises(CatalogueError, match=re.escape("A zone holds at least one place.")):
            check_zone("Fosse", 0)
        with pytest.raises(CatalogueError, match=re.escape("Give the number of seats per row of “Loge”.")):
            check_zone("Loge", 0, "A-C", 0)

    def test_a_price_is_typed_as_written_and_a_wrong_one_says_why(self):
        assert check_rate("Plein", "CHF 25.–", "public", "CHF").price_minor == 2500
        with pytest.raises(MoneyError, match=re.escape("“25 francs” is not an amount in CHF")):
            check_rate("Plein", "25 francs", "public", "CHF")
        with pytest.raises(CatalogueError, match=re.escape("A free rate costs nothing.")):
            check_rate("Enfant", "5", "free", "CHF")

    def test_an_unknown_time_zone_or_currency_is_refused(self):
        with pytest.raises(CatalogueError, match=re.escape("is not a time zone")):
            check_office("Salle", "Mars/Olympus", "CHF")
        with pytest.raises(CatalogueError, match=re.escape("“XYZ” is not a currency code")):
            check_office("Salle", "Europe/Zurich", "xyz")

    def test_the_plan_needs_a_date_a_zone_and_a_rate(self):
        with pytest.raises(CatalogueError, match=re.escape("Add at least one date.")):
            check_plan(_plan(dates=()))
        with pytest.raises(CatalogueError, match=re.escape("Add at least one rate.")):
            check_plan(_plan(rates=()))


class TestSetUpVenue:
    def test_a_fresh_store_is_a_first_run_until_a_venue_exists(self, writer: Writer):
        with writer.store.session() as session:
            assert is_first_run(session)
        with writer.transaction() as work:
            done = set_up_venue(work, _plan())
        with writer.store.session() as session:
            assert not is_first_run(session)
            details = catalogue.event_details(session, done.event_id)
            assert details.event.status == "published" and details.event.location == "Lausanne"
            assert [len(details.seats.get(z.id, [])) for z in details.zones] == [10, 0]
            assert [(r.name, r.price_minor, r.kind) for r in details.rates] == [
                ("Plein tarif", 2550, "public"), ("Enfant", 0, "free")]
            on_sale = orders.dates_on_sale(session, now=datetime(2027, 1, 1, tzinfo=UTC))
            assert [d.event_name for d in on_sale] == ["Gala"]

    def test_a_refused_plan_leaves_nothing_behind(self, writer: Writer):
        with writer.transaction() as work:
            set_up_venue(work, _plan())
        taken = re.escape("A box office named “Salle Polyvalente” already exists.")
        with pytest.raises(CatalogueError, match=taken), writer.transaction() as work:
            set_up_venue(work, _plan(event_name="Second gala"))
        with writer.store.session() as session:
            assert session.scalar(select(func.count()).select_from(BoxOffice)) == 1
            assert session.scalar(select(func.count()).select_from(Event)) == 1
