"""A realistic demo venue: a theatre season with events, dates, zones, rates, sold tickets and a contact list."""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from boxoffice.i18n import _
from boxoffice.model.events import BoxOffice
from boxoffice.mutations.catalogue import CatalogueCreate
from boxoffice.mutations.orders import OrdersLoad
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import contacts
from boxoffice.store.ids import new_secret, uuid7, uuid7_batch

VENUE = "Théâtre du Léman — Saison 2026/27"
TZ = ZoneInfo("Europe/Zurich")
FIRST = ["Léa", "Noah", "Chloé", "Luca", "Emma", "Gabriel", "Sofia", "Jonas", "Zoé", "Matteo", "Anaïs",
         "Lukas", "Inès", "Elias", "Camille", "Leon", "Giulia", "Hugo", "Mia", "Théo", "Lena", "Raphaël",
         "Alessia", "Julien", "Hannah", "Nicolás", "Océane", "Fabian", "Maëlle", "Björn"]
LAST = ["Müller", "Favre", "Rossi", "Meier", "Dubois", "Schmid", "Bianchi", "Keller", "Rochat", "Weber",
        "Bonvin", "Huber", "Ferrari", "Perret", "Brunner", "Zürcher", "Morel", "Gerber", "Colombo",
        "Baumann", "Girard", "Steiner", "Fontana", "Vuilleumier", "García", "Frei", "Python", "Lüthi"]


@dataclass(frozen=True)
class DemoSummary:
    box_office_id: str
    events: int
    dates: int
    tickets: int
    contacts: int


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _create(work: UnitOfWork, entity: str, **values: object) -> str:
    row_id = uuid7()
    work.run(CatalogueCreate(entity=entity, id=row_id, values=values))
    return row_id


def _evening(days: int, hour: int = 20) -> str:
    day = datetime.now(TZ).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ).astimezone(UTC).isoformat()


# (name, type, [(days from today)], [(zone, capacity, seated)], [(rate, price in centimes)])
PROGRAMME = [
    ("Le Misanthrope", "theatre", [7, 8, 14], [("Parterre", 400, False), ("Balcon", 150, False)],
     [("Plein tarif", 4500), ("AVS / Étudiant", 3000), ("Enfant", 1500)]),
    ("Concert du Nouvel An", "concert", [38], [("Salle", 600, False)],
     [("Plein tarif", 6500), ("Réduit", 4500)]),
    ("Festival Jazz Onze+", "festival", [21, 22], [("Fosse", 800, False), ("Galerie", 200, False)],
     [("Pass journée", 5500), ("Réduit", 3500)]),
]


def has_demo(work: UnitOfWork) -> bool:
    return work.session.scalars(select(BoxOffice.id).where(BoxOffice.name == VENUE)).first() is not None


def create_demo(work: UnitOfWork, tickets: int = 2000, contact_count: int = 200, seed: int = 2026) -> DemoSummary:
    """Fill the store with the demo venue in the caller's transaction."""
    if tickets < 0 or contact_count < 0:
        raise ValueError(_("The number of tickets and contacts cannot be negative."))
    rng = random.Random(seed)
    box_office = _create(work, "box_offices", name=VENUE, timezone="Europe/Zurich", currency="CHF")
    slots: list[tuple[str, str, str, str, int]] = []  # event, date, zone, rate, price
    # A bigger --tickets makes a bigger venue, so no date is ever sold beyond its capacity.
    scale = max(1, math.ceil(tickets / (0.8 * _places())))
    room: dict[tuple[str, str], int] = {}
    n_dates = 0
    for name, kind, days, zones, rates in PROGRAMME:
        event = _create(work, "events", box_office_id=box_office, name=name, event_type=kind, status="published",
                        location="Lausanne", door_access_code=f"{rng.randrange(10**6):06d}")
        zone_ids = [(_create(work, "zones", event_id=event, name=z, capacity=c * scale, seated=s), c * scale)
                    for z, c, s in zones]
        rate_ids = [(_create(work, "rates", event_id=event, name=r, price_minor=p, currency="CHF", position=i), p)
                    for i, (r, p) in enumerate(rates)]
        for offset in days:
            date = _create(work, "event_dates", event_id=event, starts_at=_evening(offset),
                           doors_open_at=_evening(offset, 19), sales_close_at=_evening(offset, 21))
            n_dates += 1
            slots += [(event, date, z, r, p) for z, _c in zone_ids for r, p in rate_ids]
            room.update({(date, z): c for z, c in zone_ids})
    _create(work, "events", name="Vernissage — Exposition Hodler", kind="guests", event_type="inauguration",
            starts_at=_evening(10, 18), location="Musée Jenisch, Vevey", access_control=True)
    _sell(work, rng, slots, room, tickets)
    list_id = contacts.create_list(work, "Amis du théâtre", ["Ville", "Téléphone"])
    rows = [_contact(rng, i) for i in range(contact_count)]
    contacts.add_rows(work, list_id, rows)
    return DemoSummary(box_office, len(PROGRAMME) + 1, n_dates, tickets, contact_count)


def _contact(rng: random.Random, i: int) -> list[object]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    city = rng.choice(["Lausanne", "Genève", "Vevey", "Montreux", "Fribourg", "Sion", "Bern", "Zürich"])
    email = f"{_ascii(first)}.{_ascii(last)}{i}@example.ch"
    return [email, first, last, {"Ville": city, "Téléphone": f"+41 79 {rng.randrange(10**7):07d}"}]


def _places() -> int:
    return sum(len(days) * sum(c for _z, c, _s in zones) for _n, _k, days, zones, _r in PROGRAMME)


def _sell(work: UnitOfWork, rng: random.Random, slots: list[tuple[str, str, str, str, int]],
          room: dict[tuple[str, str], int], count: int) -> None:
    """Record `count` tickets in orders of 1 to 4, in outbox-sized batches, within each zone's capacity."""
    sold = 0
    number = 100000
    while sold < count:
        orders: list[list[object]] = []
        tickets: list[list[object]] = []
        while sold < count and len(tickets) < 5000:
            size = min(rng.randint(1, 4), count - sold)
            event, date, zone, rate, price = rng.choice(slots)
            if room[(date, zone)] < size:
                continue
            room[(date, zone)] -= size
            order_id = uuid7()
            number += 1
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = f"{_ascii(name).replace(' ', '.')}{number}@example.ch"
            orders.append([order_id, f"D-{number}", name, email, rng.choice(["cash", "card", "invoice"]),
                           price * size, "CHF", "paid", work.device_id,
                           datetime.now(UTC).isoformat()])
            for ticket_id in uuid7_batch(size):
                tickets.append([ticket_id, order_id, event, date, zone, rate, new_secret(), name, price, "CHF",
                                "valid"])
            sold += size
        work.run(OrdersLoad.model_validate({"orders": orders, "tickets": tickets}))
