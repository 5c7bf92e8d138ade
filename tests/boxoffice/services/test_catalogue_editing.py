"""Editing, deleting and archiving catalogue items; what was sold cannot be deleted (T1–T4, T6, T7, P1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from boxoffice.model.base import Base
from boxoffice.model.devices import OutboxEntry
from boxoffice.model.events import BoxOffice, Event, EventDate, Question, Rate, Seat, Zone
from boxoffice.model.passes import PassDefinition
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, passes, sales
from boxoffice.services.catalogue import CatalogueError
from boxoffice.services.catalogue_removal import archive_box_office, delete_item
from boxoffice.services.sales import Sale, SaleLine
from tests.boxoffice.services.box_office_venue import Venue, build_venue


@pytest.fixture
def venue(writer: Writer) -> Venue:
    return build_venue(writer)


def _deleted(writer: Writer, model: type[Base], row_id: str) -> bool:
    with writer.store.session() as session:
        row = session.get(model, row_id)
        return row is None or bool(row.deleted)  # type: ignore[attr-defined]


def _sell_full(writer: Writer, venue: Venue) -> None:
    with writer.transaction() as work:
        sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, 1),), customer_name="Ada",
                              answers={venue.question: True}))


class TestEditing:
    def test_a_box_office_is_renamed_and_its_currency_changes_every_rate(self, writer, venue):
        with writer.transaction() as work:
            catalogue.update_box_office(work, venue.office, "Season 2028", "Europe/Paris", "eur")
        with writer.store.session() as session:
            office = session.get(BoxOffice, venue.office)
            assert (office.name, office.timezone, office.currency) == ("Season 2028", "Europe/Paris", "EUR")
            assert {r.currency for r in catalogue.rates_of(session, venue.event)} == {"EUR"}

    def test_a_box_office_refuses_a_wrong_time_zone_or_currency(self, writer, venue):
        with writer.transaction() as work:
            with pytest.raises(CatalogueError, match="“Mars/Olympus” is not a time zone"):
                catalogue.update_box_office(work, venue.office, "Season", "Mars/Olympus", "CHF")
            with pytest.raises(CatalogueError, match="“FRANCS” is not a currency code"):
                catalogue.create_box_office(work, "Other", "Europe/Zurich", "francs")

    def test_the_currency_cannot_change_once_tickets_were_sold(self, writer, venue):
        _sell_full(writer, venue)
        with writer.transaction() as work, pytest.raises(CatalogueError, match="already sold in CHF"):
            catalogue.update_box_office(work, venue.office, "Season 2027", "Europe/Zurich", "EUR")

    def test_a_question_is_edited(self, writer, venue):
        with writer.transaction() as work:
            catalogue.update_question(work, venue.question, label="Seat near the door?", kind="choice",
                                      options=["Yes", " No ", ""], required=False)
            with pytest.raises(CatalogueError, match="at least two options"):
                catalogue.update_question(work, venue.question, options=["Only"])
        with writer.store.session() as session:
            question = session.get(Question, venue.question)
            assert (question.label, question.kind, question.options, question.required) == (
                "Seat near the door?", "choice", ["Yes", "No"], False)

    def test_a_rate_and_a_zone_are_edited(self, writer, venue):
        with writer.transaction() as work:
            catalogue.update_rate(work, venue.full, name="Adult", price_minor=5000)
            catalogue.update_zone(work, venue.floor, name="Stalls", capacity=300)
        with writer.store.session() as session:
            assert (session.get(Rate, venue.full).name, session.get(Rate, venue.full).price_minor) == ("Adult", 5000)
            assert (session.get(Zone, venue.floor).name, session.get(Zone, venue.floor).capacity) == ("Stalls", 300)


class TestDeleting:
    @pytest.mark.parametrize(("entity", "model", "attr"), [
        ("rates", Rate, "second_only"), ("questions", Question, "question"), ("event_dates", EventDate, "second"),
        ("zones", Zone, "balcony"), ("events", Event, "event"), ("box_offices", BoxOffice, "office"),
    ])
    def test_an_unsold_item_is_deleted_as_a_tombstone(self, writer, venue, entity, model, attr):
        row_id = getattr(venue, attr)
        with writer.transaction() as work:
            assert delete_item(work, entity, row_id) >= 1
        assert _deleted(writer, model, row_id)
        with writer.store.session() as session:
            assert "catalogue.remove" in set(session.scalars(select(OutboxEntry.mutation)))

    def test_what_hangs_off_an_event_goes_with_it(self, writer, venue):
        with writer.transaction() as work:
            delete_item(work, "events", venue.event)
        for model, row_id in ((EventDate, venue.first), (Zone, venue.balcony), (Rate, venue.reduced),
                              (Question, venue.question)):
            assert _deleted(writer, model, row_id)
        with writer.store.session() as session:
            seats = session.scalars(select(Seat).where(Seat.zone_id == venue.balcony)).all()
            assert seats and all(seat.deleted for seat in seats)

    def test_a_seat_is_deleted_and_the_zone_holds_one_place_less(self, writer, venue):
        with writer.store.session() as session:
            seat = catalogue.seats_of(session, venue.balcony)[0].id
        with writer.transaction() as work:
            delete_item(work, "seats", seat)
        with writer.store.session() as session:
            assert session.get(Zone, venue.balcony).capacity == 5
            assert len(catalogue.seats_of(session, venue.balcony)) == 5

    @pytest.mark.parametrize(("entity", "attr", "instead"), [
        ("rates", "full", "Hide the rate instead."), ("event_dates", "first", "Close the date's sales"),
        ("zones", "floor", "Lower its capacity instead."), ("events", "event", "Close its sales"),
        ("box_offices", "office", "Archive the box office instead."),
    ])
    def test_what_was_sold_is_refused_with_the_reason(self, writer, venue, entity, attr, instead):
        _sell_full(writer, venue)
        with writer.transaction() as work, pytest.raises(CatalogueError) as refused:
            delete_item(work, entity, getattr(venue, attr))
        assert "This cannot be deleted: 1 ticket or pass was sold for it." in str(refused.value)
        assert instead in str(refused.value)
        assert not _deleted(writer, Rate, venue.full)

    def test_a_pass_definition_is_deleted_until_a_pass_is_sold(self, writer, venue):
        with writer.transaction() as work:
            definition = passes.create_definition(work, "Season pass", [venue.event], price_minor=24000)
            delete_item(work, "pass_definitions", definition)
        assert _deleted(writer, PassDefinition, definition)

    def test_a_box_office_is_archived_and_restored(self, writer, venue):
        _sell_full(writer, venue)
        with writer.transaction() as work:
            archive_box_office(work, venue.office)
        with writer.store.session() as session:
            assert session.get(BoxOffice, venue.office).archived_at is not None
        with writer.transaction() as work:
            archive_box_office(work, venue.office, archived=False)
        with writer.store.session() as session:
            assert session.get(BoxOffice, venue.office).archived_at is None
