"""A till close pushed by a desk is kept by the server as it was closed, and reaches the other devices."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from boxoffice.model.devices import Conflict
from boxoffice.model.till import TillClose
from boxoffice.services import sales, till
from boxoffice.services.sales import Sale, SaleLine
from tests.boxoffice.services.box_office_venue import build_venue

ZURICH = "Europe/Zurich"


def close_today(writer, counted_minor: int, closed_by: str) -> till.ClosedTill:
    day = datetime.now(UTC).astimezone(ZoneInfo(ZURICH)).date()
    with writer.store.session() as session:
        found = till.till_day(session, day, ZURICH)
    with writer.transaction() as work:
        return till.close_till(work, found, 10000, counted_minor, None, closed_by)


class TestTillCloseSync:
    def test_the_server_accepts_the_close_and_the_organizer_sees_it_unchanged(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        venue = build_venue(laptop)
        laptop_sync.sync_once()
        desk, desk_sync = make_device("desk")
        desk_sync.sync_once()
        with desk.transaction() as work:
            sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, 2),), customer_name="Ada",
                                  answers={venue.question: True}))
        closed = close_today(desk, 18500, "Noé")
        assert closed.difference_minor == -500
        report = desk_sync.sync_once()
        assert report.rejected == 0
        desk_sync.sync_once()  # the desk pulls its own close back, numbered by the server
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            row = session.get(TillClose, closed.id)
            assert row is not None and row.server_seq is not None
            assert (row.closed_by, row.expected_minor, row.counted_minor, row.difference_minor) == (
                "Noé", 19000, 18500, -500)
            [seen] = till.closes_of_day(session, datetime.fromisoformat(row.day).date())
            assert till.close_line(seen).endswith("; CHF\xa05.00 missing")
        with desk.store.session() as session:
            assert session.get(TillClose, closed.id).server_seq is not None

    def test_a_second_close_of_the_same_desk_and_day_is_refused_by_the_server(self, make_device):
        desk, desk_sync = make_device("desk")
        build_venue(desk)
        first = close_today(desk, 10000, "Noé")
        desk_sync.sync_once()
        with desk.store.session() as session:  # as if a restored backup had lost the first close
            session.delete(session.get(TillClose, first.id))
            session.commit()
        close_today(desk, 12000, "Ada")
        assert desk_sync.sync_once().rejected == 1
        with desk.store.session() as session:
            reasons = [c.details["reason"] for c in session.scalars(select(Conflict))]
            assert any("was already closed by Noé" in reason for reason in reasons)
