# SPDX-License-Identifier: AGPL-3.0-or-later
"""A season for the pass tests: the Gala of box_office_venue, a Recital with the same balcony, and two passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from boxoffice.model.events import Seat
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, passes
from boxoffice.services.pass_sales import PassSale, SoldPass, sell_pass
from tests.boxoffice.services.box_office_venue import Venue, build_venue


@dataclass(frozen=True)
class PassVenue:
    gala: Venue
    recital: str
    recital_date: str
    recital_balcony: str
    other_event: str
    season: str
    seated: str
    seat_a1: str


def build_pass_venue(writer: Writer) -> PassVenue:
    gala = build_venue(writer)
    later = datetime.now(UTC) + timedelta(days=10)
    with writer.transaction() as work:
        recital = catalogue.create_event(work, gala.office, "Recital", status="published")
        recital_date = catalogue.add_date(work, recital, later)
        balcony = catalogue.add_zone(work, recital, "Balcony", 1)
        catalogue.generate_seats(work, balcony, ["A", "B"], 3)
        catalogue.add_rate(work, recital, "Full", 3000)
        other = catalogue.create_event(work, gala.office, "Jazz night", status="published")
        season = passes.create_definition(
            work, "Season pass", [gala.event], support="card", price_minor=12000,
            holder_fields=[("civility", False), ("last_name", True), ("first_name", True), ("email", False),
                           ("birth_date", False), ("photo", False)])
        seated = passes.create_definition(work, "Balcony subscription", [gala.event, recital], support="ticket",
                                          price_minor=20000, fixed_seats=True,
                                          holder_fields=[("last_name", True), ("first_name", False)])
        passes.set_resale_campaign(work, seated, 80, ["transfer", "credit", "donation"], "Friends of the theatre")
    with writer.store.session() as session:
        seat = session.scalars(select(Seat.id).where(Seat.zone_id == gala.balcony, Seat.row == "A",
                                                     Seat.number == "1")).one()
    return PassVenue(gala, recital, recital_date, balcony, other, season, seated, seat)


def sell_seated(writer: Writer, venue: PassVenue, seat_id: str | None = None, **holder: str) -> SoldPass:
    with writer.transaction() as work:
        return sell_pass(work, PassSale(venue.seated, {"last_name": "Rochat", "first_name": "Inès", **holder},
                                        seat_id=seat_id or venue.seat_a1, payment_method="card"))
