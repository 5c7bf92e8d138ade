"""A desk sees what it may sell offline per zone and tops its lease up from the real server."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import desk_leases, sales
from sync.client import SyncWorker
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


class TestLeaseKeeping:
    def test_a_desk_tops_up_its_leased_zones_below_the_low_water_mark_and_returns_leases_at_closing(
            self, make_device):
        laptop, laptop_sync = make_device("laptop")
        venue = build_venue(laptop, floor_capacity=30)
        laptop_sync.sync_once()
        desk, desk_sync = make_device("desk", role="desk")
        desk_sync.sync_once()
        policy = desk_leases.LeasePolicy(low_water=5, batch=8)
        now = datetime.now(UTC)
        with desk.transaction() as work:
            assert desk_leases.keep_leases(work, now, policy) == []  # no lease yet: nothing held back from others
        ask(desk, venue, 6)
        desk_sync.sync_once()
        with desk.transaction() as work:
            assert desk_leases.keep_leases(work, now, policy) == []  # 6 left, above the mark
        with desk.transaction() as work:
            sales.sell(work, sales.Sale(venue.first, venue.floor, (sales.SaleLine(venue.full, 2),),
                                        answers={venue.question: "no"}))
        with desk.transaction() as work:
            asked = desk_leases.keep_leases(work, now, policy)
        assert len(asked) == 1  # the floor of the first date only: the zone this desk sells from
        with desk.transaction() as work:
            assert desk_leases.keep_leases(work, now, policy) == []  # the request still waits: not asked twice
        desk_sync.sync_once()
        assert floor_of(desk, venue).left == 12
        after_closing = now + timedelta(days=3, hours=2)  # the first date's sales closed an hour ago
        with desk.transaction() as work:
            returned = desk_leases.keep_leases(work, after_closing, policy)
        assert len(returned) == 2  # both leases of the first date's floor
        desk_sync.sync_once()
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            assert sales.places_left(session, venue.first, venue.floor) == 28  # 2 sold, the rest back on sale

    def test_a_refused_zone_is_asked_again_only_after_a_while(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        venue = build_venue(laptop, floor_capacity=3)
        laptop_sync.sync_once()
        desk, desk_sync = make_device("desk", role="desk")
        other, other_sync = make_device("other desk", role="desk")
        desk_sync.sync_once()
        ask(desk, venue, 1)
        desk_sync.sync_once()
        other_sync.sync_once()
        ask(other, venue, 2)
        other_sync.sync_once()  # the other desk holds the rest of the floor
        with desk.transaction() as work:
            sales.sell(work, sales.Sale(venue.first, venue.floor, (sales.SaleLine(venue.full, 1),),
                                        answers={venue.question: "no"}))
        policy = desk_leases.LeasePolicy(low_water=1, batch=2)
        with desk.transaction() as work:
            assert len(desk_leases.keep_leases(work, datetime.now(UTC), policy)) == 1
        desk_sync.sync_once()
        assert floor_of(desk, venue).last_refused
        with desk.transaction() as work:
            assert desk_leases.keep_leases(work, datetime.now(UTC), policy) == []  # waits a while
        assert floor_of(desk, venue).requested == 0
        later = datetime.now(UTC) + policy.retry_refused_after + timedelta(seconds=1)
        with desk.transaction() as work:
            assert len(desk_leases.keep_leases(work, later, policy)) == 1  # then asks by itself again
        assert floor_of(desk, venue).requested == 1

    def test_the_sync_worker_keeps_a_desks_leases_without_anyone_asking(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        venue = build_venue(laptop, floor_capacity=80)
        laptop_sync.sync_once()
        desk, desk_sync = make_device("desk", role="desk")
        desk_sync.sync_once()
        ask(desk, venue, 3)  # the staff lease a few places; from then on the worker keeps the zone topped up
        worker = SyncWorker(desk_sync, lambda _state: None, interval=0.2,
                            while_online=lambda: desk_leases.keep_leases_now(desk))
        worker.start()
        try:
            deadline = time.monotonic() + 30
            while floor_of(desk, venue).left < 3 + desk_leases.LeasePolicy().batch and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            worker.stop()
        assert floor_of(desk, venue).left == 3 + desk_leases.LeasePolicy().batch
