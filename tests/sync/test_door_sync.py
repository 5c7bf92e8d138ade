"""Doors offline, then synced (D10): check-ins travel, double entries become conflicts on every device."""

from __future__ import annotations

from sqlalchemy import select

from boxoffice.model.checkins import CheckIn
from boxoffice.model.devices import Conflict
from boxoffice.model.sales import Ticket
from boxoffice.services import door
from boxoffice.services.demo import create_demo
from boxoffice.services.door import DoorSetup
from boxoffice.services.door_lists import make_setup


def _setup(writer, door_name: str) -> tuple[DoorSetup, Ticket]:
    with writer.store.session() as session:
        ticket = session.scalars(select(Ticket).order_by(Ticket.id)).first()
        assert ticket is not None
        return make_setup(session, [ticket.date_id], door=door_name), ticket


class TestDoubleEntry:
    def test_a_ticket_admitted_at_two_offline_doors_is_a_conflict_once_both_synced(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        with laptop.transaction() as work:
            create_demo(work, tickets=40, contact_count=5)
        laptop_sync.sync_once()
        north, north_sync = make_device("north", role="door")
        south, south_sync = make_device("south", role="door")
        north_sync.sync_once()
        south_sync.sync_once()
        north_setup, ticket = _setup(north, "North gate")
        south_setup, _same = _setup(south, "South gate")
        with north.transaction() as work:  # both doors offline: each admits the same ticket
            assert door.check(work, north_setup, ticket.secret).verdict == "admitted"
        with south.transaction() as work:
            assert door.check(work, south_setup, ticket.secret).verdict == "admitted"
        north_sync.sync_once()
        south_sync.sync_once()
        north_sync.sync_once()
        laptop_sync.sync_once()
        for writer in (north, south, laptop):
            with writer.store.session() as session:
                [conflict] = session.scalars(select(Conflict).where(Conflict.kind == "double_entry"))
                assert conflict.entity_id == ticket.id
                assert "North gate" in conflict.details["first"] and "South gate" in conflict.details["second"]
                assert len(list(session.scalars(select(CheckIn).where(CheckIn.ticket_id == ticket.id)))) == 2

    def test_a_door_that_admits_then_refuses_makes_no_conflict(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        with laptop.transaction() as work:
            create_demo(work, tickets=10, contact_count=5)
        laptop_sync.sync_once()
        gate, gate_sync = make_device("gate", role="door")
        gate_sync.sync_once()
        setup, ticket = _setup(gate, "Main")
        with gate.transaction() as work:
            door.check(work, setup, ticket.secret)
        with gate.transaction() as work:
            assert door.check(work, setup, ticket.secret).reason == "already_inside"
        gate_sync.sync_once()
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            assert list(session.scalars(select(Conflict))) == []
            assert len(list(session.scalars(select(CheckIn)))) == 2
