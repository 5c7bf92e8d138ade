"""Desks sell offline from places leased while online (allotments); together they never oversell."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from boxoffice.model.sales import Allotment, Ticket
from boxoffice.services import door, sales
from boxoffice.services.door_lists import make_setup
from boxoffice.services.sales import Sale, SaleError, SaleLine
from boxoffice.store.ids import uuid7
from sync.server.database import Database
from tests.boxoffice.services.box_office_venue import build_venue


def _lease(writer, client, venue, wanted: int) -> int:
    with writer.transaction() as work:
        work.run("allotments.request", {"id": uuid7(), "date_id": venue.first, "zone_id": venue.floor,
                                        "wanted": wanted})
    client.sync_once()
    with writer.store.session() as session:
        return sales.places_left(session, venue.first, venue.floor)


def _sell(writer, venue, quantity: int) -> None:
    with writer.transaction() as work:
        sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, quantity),),
                              answers={venue.question: "no"}))


class TestLeases:
    def test_three_desks_sell_offline_from_their_leases_and_the_server_never_oversells(self, make_device, server):
        laptop, laptop_sync = make_device("laptop")
        venue = build_venue(laptop, floor_capacity=100)
        laptop_sync.sync_once()
        desks = [make_device(f"desk-{n}", role="desk") for n in range(3)]
        for _writer, client in desks:
            client.sync_once()
        granted = [_lease(writer, client, venue, wanted) for (writer, client), wanted in zip(desks, (50, 40, 30),
                                                                                                strict=True)]
        assert granted == [50, 40, 10]
        for (writer, _client), lease in zip(desks, granted, strict=True):  # offline now: sell the whole lease
            _sell(writer, venue, lease)
            with pytest.raises(SaleError):
                _sell(writer, venue, 1)
        for _writer, client in desks:
            assert client.sync_once().rejected == 0
        db = Database(server.database_url)
        with db.session() as session:
            sold = session.scalar(select(func.count()).select_from(Ticket).where(
                Ticket.date_id == venue.first, Ticket.zone_id == venue.floor, Ticket.state == "valid"))
        db.engine.dispose()
        assert sold == 100
        gate, gate_sync = make_device("gate", role="door")
        gate_sync.sync_once()
        with gate.store.session() as session:
            tickets = list(session.scalars(select(Ticket).where(Ticket.date_id == venue.first)))
            setup = make_setup(session, [venue.first], door="Gate")
        assert len(tickets) == 100
        for ticket in tickets:
            with gate.transaction() as work:
                assert door.check(work, setup, ticket.secret).verdict == "admitted"

    def test_an_organizer_cannot_sell_places_a_desk_holds_in_its_lease(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        venue = build_venue(laptop, floor_capacity=10)
        laptop_sync.sync_once()
        desk, desk_sync = make_device("desk", role="desk")
        desk_sync.sync_once()
        assert _lease(desk, desk_sync, venue, 8) == 8
        laptop_sync.sync_once()
        _sell(laptop, venue, 5)  # the laptop was offline and thought 10 were free
        report = laptop_sync.sync_once()
        assert report.rejected == 1
        with laptop.store.session() as session:
            assert session.scalar(select(func.count()).select_from(Ticket).where(Ticket.state == "valid")) == 0

    def test_a_returned_lease_gives_its_unsold_places_back(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        venue = build_venue(laptop, floor_capacity=10)
        laptop_sync.sync_once()
        desk, desk_sync = make_device("desk", role="desk")
        desk_sync.sync_once()
        assert _lease(desk, desk_sync, venue, 10) == 10
        _sell(desk, venue, 3)
        with desk.store.session() as session:
            lease = session.scalars(select(Allotment)).one()
        with desk.transaction() as work:
            work.run("allotments.release", {"id": lease.id})
        desk_sync.sync_once()
        laptop_sync.sync_once()
        _sell(laptop, venue, 7)
        assert laptop_sync.sync_once().rejected == 0
