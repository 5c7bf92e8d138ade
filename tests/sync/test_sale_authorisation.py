"""Issue #13: a desk sells and cancels only as itself and at times it could have (checked on the live server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import func, select

from boxoffice.model.devices import Conflict, OutboxEntry
from boxoffice.model.sales import Order
from boxoffice.services import sales
from boxoffice.services.sales import Sale, SaleLine
from boxoffice.store.ids import uuid7
from sync.server.database import Database
from tests.boxoffice.services.box_office_venue import build_venue


def _tampered_sale(make_device, server, **order_changes: str) -> tuple[list[str], int]:
    """A desk with a lease sells one ticket, then its outbox is edited (its SQLite file is in the
    attacker's hands) before it syncs: the reasons the desk records, and the orders the server holds."""
    laptop, laptop_sync = make_device("laptop")
    venue = build_venue(laptop, floor_capacity=10)
    laptop_sync.sync_once()
    desk, desk_sync = make_device("desk", role="desk")
    desk_sync.sync_once()
    with desk.transaction() as work:
        work.run("allotments.request", {"id": uuid7(), "date_id": venue.first, "zone_id": venue.floor, "wanted": 2})
    desk_sync.sync_once()
    with desk.transaction() as work:
        sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, 1),), answers={venue.question: "no"}))
    with desk.store.session() as session:
        entry = session.scalars(select(OutboxEntry).where(OutboxEntry.mutation == "sales.sell")).one()
        args = orjson.loads(entry.args)
        args["order"].update(order_changes)
        entry.args = orjson.dumps(args).decode()
        session.commit()
    desk_sync.sync_once()
    db = Database(server.database_url)
    with db.session() as session:
        held = session.scalar(select(func.count()).select_from(Order)) or 0
    db.engine.dispose()
    with desk.store.session() as session:
        return [c.details["reason"] for c in session.scalars(select(Conflict))], held


def _ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


class TestForgedSales:
    def test_a_genuine_desk_sale_is_taken(self, make_device, server):
        assert _tampered_sale(make_device, server) == ([], 1)

    def test_a_desk_cannot_sell_as_another_device(self, make_device, server):
        reasons, held = _tampered_sale(make_device, server, device_id=uuid7())
        assert held == 0 and len(reasons) == 1 and "must be recorded as this device" in reasons[0]

    def test_a_desk_cannot_date_a_sale_before_it_was_enrolled(self, make_device, server):
        reasons, held = _tampered_sale(make_device, server, sold_at=_ago(days=30))
        assert held == 0 and len(reasons) == 1 and "before this device was enrolled" in reasons[0]

    def test_a_desk_cannot_date_a_sale_in_the_future(self, make_device, server):
        reasons, held = _tampered_sale(make_device, server, sold_at=_ago(days=-3))
        assert held == 0 and len(reasons) == 1 and "in the future" in reasons[0]
