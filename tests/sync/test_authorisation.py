"""Issue #13: the server checks each mutation's arguments against the device that pushed it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import func, select

from boxoffice.model.checkins import CheckIn
from boxoffice.model.devices import Conflict
from boxoffice.model.events import EventDate
from boxoffice.model.sales import STOCK, Order, Ticket
from boxoffice.services.demo import create_demo
from boxoffice.services.door_lists import door_choices, enrolled_dates
from boxoffice.store.ids import uuid7
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.database import Database


def _two_dates(make_device):
    laptop, laptop_sync = make_device("laptop")
    with laptop.transaction() as work:
        create_demo(work, tickets=10, contact_count=2)
    laptop_sync.sync_once()
    with laptop.store.session() as session:
        dates = list(session.scalars(select(EventDate.id).order_by(EventDate.id)))
    assert len(dates) >= 2
    return dates


def _pushed_scan(make_device, server, role: str = "door", **changes: str) -> tuple[list[str], int]:
    """A device (a door enrolled for the first date) pushes one scan changed by `changes`: the reasons
    it records for refused changes, and how many check-ins the server holds after."""
    dates = _two_dates(make_device)
    gate, gate_sync = make_device("gate", role=role, dates=[dates[0]] if role == "door" else None)
    gate_sync.sync_once()
    args = {"id": uuid7(), "code": "X", "door": "Main", "direction": "in", "verdict": "refused",
            "reason": "unknown", "scanned_at": datetime.now(UTC).isoformat(), "date_id": dates[0]}
    with gate.transaction() as work:
        work.run("checkins.record", {**args, **{k: (dates[1] if v == "D2" else v) for k, v in changes.items()}})
    gate_sync.sync_once()
    db = Database(server.database_url)
    with db.session() as session:
        held = session.scalar(select(func.count()).select_from(CheckIn)) or 0
    db.engine.dispose()
    with gate.store.session() as session:
        return [conflict.details["reason"] for conflict in session.scalars(select(Conflict))], held


def _forged_scan(make_device, server, **changes: str) -> list[str]:
    """The reasons a door records for one forged scan, which the server must not hold."""
    reasons, held = _pushed_scan(make_device, server, **changes)
    assert held == 0
    return reasons


class TestEnrolledDatesOnTheDoor:
    def test_a_door_enrolled_for_one_date_offers_only_that_date_and_refuses_the_others_at_once(
            self, make_device, server):
        dates = _two_dates(make_device)
        gate, gate_sync = make_device("gate", role="door", dates=[dates[0]])
        gate_sync.sync_once()
        with gate.store.session() as session:
            assert enrolled_dates(session) == frozenset({dates[0]})
            assert {d.id for d in door_choices(session).dates} == {dates[0]}
            assert len({d.id for d in session.scalars(select(EventDate))}) >= 2  # it knows the others


class TestForgedCheckIns:
    def test_a_door_cannot_check_in_for_a_date_it_is_not_enrolled_for(self, make_device, server):
        [reason] = _forged_scan(make_device, server, date_id="D2")
        assert "not enrolled for the date" in reason

    def test_a_door_cannot_record_a_scan_as_another_device(self, make_device, server):
        [reason] = _forged_scan(make_device, server, device_id="someone-else")
        assert "must be recorded as this device" in reason

    def test_a_door_cannot_record_a_scan_far_in_the_future(self, make_device, server):
        [reason] = _forged_scan(make_device, server, scanned_at="2030-06-01T10:00:00+00:00")
        assert "in the future" in reason


def _server_ticket(server, ticket_id: str) -> tuple[str, str]:
    """The ticket's state and its order's status as the server holds them."""
    db = Database(server.database_url)
    with db.session() as session:
        row = session.execute(select(Ticket.state, Order.status).join(Order, Order.id == Ticket.order_id)
                              .where(Ticket.id == ticket_id)).one()
    db.engine.dispose()
    return row.state, row.status


def _forged_return(make_device, server, stock: bool, date: int = 0) -> tuple[dict[str, str], str, str]:
    """A door enrolled for the first date pushes tickets.return_to_sale for a ticket of `date` straight
    to the server (its own copy would refuse to queue it); the server's answer, and the ticket's state
    and its order's status on the server after it."""
    dates = _two_dates(make_device)
    gate, gate_sync = make_device("gate", role="door", dates=[dates[0]])
    gate_sync.sync_once()
    db = Database(server.database_url)
    with db.session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.date_id == dates[date]).order_by(Ticket.id)).first()
        assert ticket is not None and ticket.order_id is not None
        if stock:  # the same ticket, had its order been printed as stock
            session.get(Order, ticket.order_id).status = STOCK
            session.commit()
    db.engine.dispose()
    answer = requests.post(f"{server.url}/v1/push", timeout=30, json={"mutations": [
        {"seq": 1, "name": "tickets.return_to_sale", "hlc": str(gate.clock.now()), "args": {"id": ticket.id}}]},
        headers={"Authorization": f"Bearer {gate_sync._token()}", SCHEMA_HEADER: str(SCHEMA_VERSION)})
    assert answer.status_code == 200, answer.text
    [result] = answer.json()["results"]
    state, status = _server_ticket(server, ticket.id)
    return result, state, status


class TestForgedQuickCancel:
    def test_the_server_refuses_to_put_a_paid_ticket_back_on_sale(self, make_device, server):
        result, state, status = _forged_return(make_device, server, stock=False)
        assert result["status"] == "rejected"
        assert "was sold (order " in result["reason"] and "cancel it from the desk" in result["reason"]
        assert (state, status) == ("valid", "paid")

    def test_the_server_refuses_stock_of_a_date_the_door_is_not_enrolled_for(self, make_device, server):
        result, state, status = _forged_return(make_device, server, stock=True, date=1)
        assert result["status"] == "rejected" and "not enrolled for the date" in result["reason"]
        assert (state, status) == ("valid", STOCK)

    def test_the_server_puts_a_ticket_printed_as_stock_back_on_sale(self, make_device, server):
        result, state, status = _forged_return(make_device, server, stock=True)
        assert result["status"] == "applied", result
        assert (state, status) == ("unsold", STOCK)


def _ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


class TestScanTimesAndDoorNames:
    def test_a_door_cannot_record_a_scan_from_before_it_was_enrolled(self, make_device, server):
        [reason] = _forged_scan(make_device, server, scanned_at=_ago(days=3))
        assert "before this device was enrolled" in reason

    def test_a_door_whose_clock_is_hours_behind_still_records_its_scans(self, make_device, server):
        assert _pushed_scan(make_device, server, scanned_at=_ago(hours=8)) == ([], 1)

    def test_an_organizer_copy_may_push_scans_from_before_it_first_paired(self, make_device, server):
        # It may have worked standalone for months: its whole history is pushed when it pairs.
        assert _pushed_scan(make_device, server, role="organizer", scanned_at=_ago(days=90)) == ([], 1)

    def test_a_door_cannot_record_a_scan_without_a_door_name(self, make_device, server):
        [reason] = _forged_scan(make_device, server, door="  ")
        assert "needs the name of its door" in reason

    def test_a_door_cannot_record_a_scan_under_an_overlong_door_name(self, make_device, server):
        [reason] = _forged_scan(make_device, server, door="D" * 121)
        assert "at most 120 characters" in reason

    @pytest.mark.parametrize("name", ["Main\r\nX-Injected: 1", "Main\tdoor", "Main\u2028door"])
    def test_a_door_cannot_record_a_scan_under_a_name_with_control_characters(self, make_device, server, name):
        [reason] = _forged_scan(make_device, server, door=name)
        assert "control characters" in reason
