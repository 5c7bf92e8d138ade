"""Catalogue rules and duplicating an event with a preview (T1, T3, T4, T6, T7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from boxoffice.model.devices import OutboxEntry
from boxoffice.model.events import Event
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, event_copy
from boxoffice.services.catalogue import CatalogueError
from tests.boxoffice.services.box_office_venue import Venue, build_venue


@pytest.fixture
def venue(writer: Writer) -> Venue:
    return build_venue(writer)


NEW = [datetime(2027, 5, 1, 18, 0, tzinfo=UTC), datetime(2027, 5, 2, 18, 0, tzinfo=UTC)]


class TestCatalogue:
    def test_every_change_is_a_catalogue_mutation(self, writer, venue):
        with writer.store.session() as session:
            names = set(session.scalars(select(OutboxEntry.mutation)))
        assert names == {"catalogue.create", "catalogue.update"}

    def test_plain_words_refusals(self, writer, venue):
        with writer.transaction() as work:
            with pytest.raises(CatalogueError, match="A zone holds at least one place"):
                catalogue.add_zone(work, venue.event, "Pit", 0)
            with pytest.raises(CatalogueError, match="is not a valid kind of rate"):
                catalogue.add_rate(work, venue.event, "VIP", 100, kind="vip")
            with pytest.raises(CatalogueError, match="A free rate costs nothing"):
                catalogue.add_rate(work, venue.event, "Gift", 100, kind="free")
            with pytest.raises(CatalogueError, match="must end after it starts"):
                catalogue.add_date(work, venue.event, NEW[0], ends_at=NEW[0] - timedelta(hours=1))
            with pytest.raises(CatalogueError, match="at least two options"):
                catalogue.add_question(work, venue.event, "Menu", kind="choice", options=["fish"])
            with pytest.raises(CatalogueError, match="already exists"):
                catalogue.create_box_office(work, "season 2027")

    def test_details_per_date_and_removal_as_tombstone(self, writer, venue):
        with writer.transaction() as work:
            catalogue.update_date(work, venue.second, status="closed")
            catalogue.remove(work, "rates", venue.second_only)
        with writer.store.session() as session:
            details = catalogue.event_details(session, venue.event)
            assert [d.status for d in details.dates] == ["on_sale", "closed"]
            assert [r.name for r in details.rates] == ["Full", "Reduced"]
            assert [f"{s.row}{s.number}" for s in details.seats[venue.balcony]] == ["A1", "A2", "A3", "B1", "B2", "B3"]


class TestDuplicateEvent:
    def test_the_preview_says_what_will_be_copied_and_writes_nothing(self, writer, venue):
        with writer.store.session() as session:
            before = session.scalar(select(func.count()).select_from(OutboxEntry))
            preview = event_copy.preview_duplicate(session, venue.event, "Gala 2028", NEW[:1])
            assert session.scalar(select(func.count()).select_from(OutboxEntry)) == before
        assert preview.zones == ["Balcony (6)", "Floor (5)"] and preview.seats == 6
        assert preview.rates == ["Full", "Reduced"] and preview.rates_left_out == ["Premiere"]
        assert preview.questions == ["Wheelchair space?"] and preview.ticket_template and preview.appearance
        assert "The box office's general settings are not copied." in preview.lines()

    def test_copy_into_another_box_office_keeps_everything_but_dates(self, writer, venue):
        with writer.transaction() as work:
            other = catalogue.create_box_office(work, "Season 2028", currency="EUR")
            new_id = event_copy.duplicate_event(work, venue.event, "Gala 2028", NEW, other)
        with writer.store.session() as session:
            copy = catalogue.event_details(session, new_id)
            source = catalogue.event_details(session, venue.event)
        assert copy.event.box_office_id == other and copy.event.status == "draft"
        assert copy.event.location == "Lausanne" and copy.event.ticket_template == {"conditions": "No refunds"}
        assert copy.event.appearance == {"text_color": "#123"}
        assert [d.starts_at for d in copy.dates] == NEW
        # Representation settings follow: doors open an hour before, sales close an hour after the start.
        assert copy.dates[0].doors_open_at == NEW[0] - timedelta(hours=1)
        assert copy.dates[0].sales_close_at == NEW[0] + timedelta(hours=1)
        assert [(z.name, z.capacity, z.seated) for z in copy.zones] == [(z.name, z.capacity, z.seated)
                                                                          for z in source.zones]
        assert sum(len(s) for s in copy.seats.values()) == 6
        premiere = next(r for r in copy.rates if r.name == "Premiere")
        assert premiere.date_id == copy.dates[1].id
        reduced = next(r for r in copy.rates if r.name == "Reduced")
        assert reduced.zone_id == next(z.id for z in copy.zones if z.name == "Floor")
        assert [q.label for q in copy.questions] == ["Wheelchair space?"]

    def test_the_copy_needs_a_new_name_and_dates(self, writer, venue):
        with writer.store.session() as session:
            with pytest.raises(CatalogueError, match="already exists in Season 2027"):
                event_copy.preview_duplicate(session, venue.event, "gala", NEW)
            with pytest.raises(CatalogueError, match="at least one date"):
                event_copy.preview_duplicate(session, venue.event, "Gala 2", [])
            assert session.scalar(select(func.count()).select_from(Event)) == 1
