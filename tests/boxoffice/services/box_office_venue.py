"""A small box office for the sale and catalogue tests: one event, two dates, a standing and a seated zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue


@dataclass(frozen=True)
class Venue:
    office: str
    event: str
    first: str
    second: str
    floor: str
    balcony: str
    full: str
    reduced: str
    second_only: str
    question: str


def build_venue(writer: Writer, floor_capacity: int = 5) -> Venue:
    soon = datetime.now(UTC) + timedelta(days=3)
    with writer.transaction() as work:
        office = catalogue.create_box_office(work, "Season 2027")
        event = catalogue.create_event(work, office, "Gala", status="published", location="Lausanne",
                                       ticket_template={"conditions": "No refunds"}, appearance={"text_color": "#123"})
        first = catalogue.add_date(work, event, soon, doors_open_at=soon - timedelta(hours=1),
                                   sales_close_at=soon + timedelta(hours=1))
        second = catalogue.add_date(work, event, soon + timedelta(days=1))
        floor = catalogue.add_zone(work, event, "Floor", floor_capacity)
        balcony = catalogue.add_zone(work, event, "Balcony", 1)
        catalogue.generate_seats(work, balcony, ["A", "B"], 3)
        full = catalogue.add_rate(work, event, "Full", 4500)
        reduced = catalogue.add_rate(work, event, "Reduced", 3000, kind="reduced", zone_id=floor)
        second_only = catalogue.add_rate(work, event, "Premiere", 9000, date_id=second)
        question = catalogue.add_question(work, event, "Wheelchair space?", kind="yes_no", required=True)
    return Venue(office, event, first, second, floor, balcony, full, reduced, second_only, question)
