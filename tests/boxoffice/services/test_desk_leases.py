"""A desk sees what it may sell offline per zone and tops its lease up from the real server."""

from __future__ import annotations

import pytest

from boxoffice.services import desk_leases, sales
from boxoffice.store.unit_of_work import Writer
from tests.boxoffice.services.box_office_venue import Venue, build_venue
from tests.sync.conftest import make_device, postgres, server, server_database

__all__ = ["make_device", "postgres", "server", "server_database"]


def floor_of(writer: Writer, venue: Venue) -> desk_leases.ZoneLease:
    with writer.store.session() as session:
        return next(lease for lease in desk_leases.leases_for(session, venue.first) if lease.zone_id == venue.floor)


def ask(writer: Writer, venue: Venue, wanted: int) -> None:
    with writer.transaction() as work:
        desk_leases.request_places(work, venue.first, venue.floor, wanted)


class TestDeskLeases:
    def test_a_request_waits_offline_then_the_server_grants_what_is_free(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        venue = build_venue(laptop, floor_capacity=5)
        laptop_sync.sync_once()
        desk, desk_sync = make_device("desk", role="desk")
        desk_sync.sync_once()
        with desk.store.session() as session:
            assert desk_leases.sells_from_leases(session)
        assert (floor_of(desk, venue).left, floor_of(desk, venue).requested) == (0, 0)
        ask(desk, venue, 3)
        waiting = floor_of(desk, venue)
        assert (waiting.leased, waiting.requested) == (0, 1)
        desk_sync.sync_once()
        granted = floor_of(desk, venue)
        assert (granted.leased, granted.sold, granted.left, granted.requested) == (3, 0, 3, 0)
        with desk.store.session() as session:
            assert sales.places_left(session, venue.first, venue.floor) == 3
        ask(desk, venue, 10)  # only 2 of the floor's 5 are still free on the server
        desk_sync.sync_once()
        assert floor_of(desk, venue).left == 5 and not floor_of(desk, venue).last_refused
        ask(desk, venue, 1)
        desk_sync.sync_once()
        assert floor_of(desk, venue).left == 5 and floor_of(desk, venue).last_refused

    def test_an_organizer_copy_cannot_ask_for_places(self, writer: Writer):
        venue = build_venue(writer)
        with writer.transaction() as work, pytest.raises(ValueError, match="Only a paired desk"):
            desk_leases.request_places(work, venue.first, venue.floor, 3)

    def test_a_request_names_a_wrong_amount(self, make_device):
        desk, _sync = make_device("desk", role="desk", enroll=True)
        venue_writer, venue_sync = make_device("laptop")
        venue = build_venue(venue_writer)
        venue_sync.sync_once()
        _sync.sync_once()
        with desk.transaction() as work, pytest.raises(ValueError, match="between 1 and"):
            desk_leases.request_places(work, venue.first, venue.floor, 0)
