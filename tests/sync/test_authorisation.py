"""Issue #13: the server checks each mutation's arguments against the device that pushed it."""

from __future__ import annotations

from sqlalchemy import func, select

from boxoffice.model.checkins import CheckIn
from boxoffice.model.devices import Conflict
from boxoffice.model.events import EventDate
from boxoffice.services.demo import create_demo
from boxoffice.store.ids import uuid7
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


def _forged_scan(make_device, server, **changes: str) -> list[str]:
    """A door enrolled for the first date pushes one scan changed by `changes`; the reasons it records."""
    dates = _two_dates(make_device)
    gate, gate_sync = make_device("gate", role="door", dates=[dates[0]])
    gate_sync.sync_once()
    args = {"id": uuid7(), "code": "X", "door": "Main", "direction": "in", "verdict": "refused",
            "reason": "unknown", "scanned_at": "2026-01-01T10:00:00+00:00", "date_id": dates[0]}
    with gate.transaction() as work:
        work.run("checkins.record", {**args, **{k: (dates[1] if v == "D2" else v) for k, v in changes.items()}})
    gate_sync.sync_once()
    db = Database(server.database_url)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(CheckIn)) == 0
    db.engine.dispose()
    with gate.store.session() as session:
        return [conflict.details["reason"] for conflict in session.scalars(select(Conflict))]


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
