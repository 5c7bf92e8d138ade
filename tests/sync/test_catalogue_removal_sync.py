"""A deletion pushed after another desk sold for the item is refused by the server, with the reason."""

from __future__ import annotations

from sqlalchemy import select

from boxoffice.model.devices import Conflict
from boxoffice.model.events import Rate
from boxoffice.services import sales
from boxoffice.services.catalogue_removal import delete_item
from boxoffice.services.sales import Sale, SaleLine
from tests.boxoffice.services.box_office_venue import build_venue


class TestRemovalOnTheServer:
    def test_a_rate_sold_elsewhere_meanwhile_is_not_deleted_and_the_device_keeps_it(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        desk, desk_sync = make_device("desk")
        venue = build_venue(laptop)
        laptop_sync.sync_once()
        desk_sync.sync_once()
        with desk.transaction() as work:  # the desk sells the full rate…
            sales.sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, 1),), customer_name="Ada",
                                  answers={venue.question: True}))
        desk_sync.sync_once()
        with laptop.transaction() as work:  # …while the laptop, not synced since, sees no sale and deletes it
            delete_item(work, "rates", venue.full)
        report = laptop_sync.sync_once()
        assert report.rejected == 1
        with laptop.store.session() as session:
            reasons = [c.details["reason"] for c in session.scalars(select(Conflict))]
            assert len(reasons) == 1
            assert f"rates {venue.full} cannot be deleted: tickets or passes were sold for it (1)" in reasons[0]
            assert not session.get(Rate, venue.full).deleted  # undone on the laptop too
        desk_sync.sync_once()
        with desk.store.session() as session:
            assert not session.get(Rate, venue.full).deleted

    def test_a_rate_nobody_bought_is_deleted_everywhere(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        desk, desk_sync = make_device("desk")
        venue = build_venue(laptop)
        laptop_sync.sync_once()
        desk_sync.sync_once()
        with laptop.transaction() as work:
            delete_item(work, "rates", venue.reduced)
        assert laptop_sync.sync_once().rejected == 0
        desk_sync.sync_once()
        with desk.store.session() as session:
            assert session.get(Rate, venue.reduced).deleted
