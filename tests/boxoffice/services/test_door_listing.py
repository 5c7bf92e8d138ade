# SPDX-License-Identifier: AGPL-3.0-or-later
"""The streamed door listing, door search through the indexes and the counts counted in SQL."""

from __future__ import annotations

import pytest

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import door
from boxoffice.services.door_listing import each_holder
from boxoffice.services.door_lists import DoorCounts, door_counts, list_holders, search_holders
from tests.boxoffice.services.door_venue import Venue, build_venue, setup_for


@pytest.fixture
def venue(writer: Writer) -> Venue:
    return build_venue(writer)


class TestStreamedListing:
    def test_the_stream_holds_what_the_list_holds_in_the_same_order(self, venue: Venue):
        with venue.writer.store.session() as session:
            listed = list_holders(session, None, None)
            streamed = list(each_holder(session, None, None))
        assert len(streamed) > 300 and [h.id for h in streamed] == [h.id for h in listed]
        assert streamed == listed

    def test_a_holder_inside_is_streamed_as_inside(self, venue: Venue):
        setup = setup_for(venue)
        with venue.writer.transaction() as work:
            door.check(work, setup, venue.ticket.secret)
        with venue.writer.store.session() as session:
            [mine] = [h for h in each_holder(session, [venue.ticket.date_id], []) if h.id == venue.ticket.id]
        assert mine.state == "inside"


class TestDoorSearch:
    def test_a_name_typed_without_accents_or_capitals_finds_the_holder(self, venue: Venue):
        name = venue.ticket.holder_name
        folded = name.lower().replace("é", "e").replace("ü", "u").replace("ï", "i").replace("ë", "e")
        with venue.writer.store.session() as session:
            hits = search_holders(session, setup_for(venue), folded)
        assert folded != name.lower() or name.isascii()
        assert venue.ticket.id in [h.id for h in hits]
        assert {h.name for h in hits if h.kind == "ticket"} == {name}

    def test_a_holder_found_after_coming_in_shows_inside(self, venue: Venue):
        setup = setup_for(venue)
        with venue.writer.transaction() as work:
            door.check(work, setup, venue.ticket.secret)
        with venue.writer.store.session() as session:
            number = next(h.order_number for h in list_holders(session, [venue.ticket.date_id], [])
                          if h.id == venue.ticket.id)
            hits = search_holders(session, setup, number)
        assert [h.state for h in hits if h.id == venue.ticket.id] == ["inside"]


class TestDoorCounts:
    def test_one_who_left_is_no_longer_counted_inside(self, venue: Venue):
        setup = setup_for(venue, mode="entry")
        exit_setup = setup_for(venue, mode="exit")
        with venue.writer.transaction() as work:
            door.check(work, setup, venue.ticket.secret)
            door.check(work, setup, venue.guest_code)
        with venue.writer.store.session() as session:
            assert door_counts(session, setup).inside == 2
        with venue.writer.transaction() as work:
            door.check(work, exit_setup, venue.ticket.secret)
        with venue.writer.store.session() as session:
            assert door_counts(session, setup) == DoorCounts(inside=1, admitted=3, refused=0)

    def test_someone_inside_for_another_date_is_not_counted(self, venue: Venue):
        with venue.writer.transaction() as work:
            door.check(work, setup_for(venue, venue.other_date_ticket.date_id), venue.other_date_ticket.secret)
        with venue.writer.store.session() as session:
            assert door_counts(session, setup_for(venue)).inside == 0
