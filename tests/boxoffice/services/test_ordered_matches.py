"""Search results in a page's order whichever way they are found: sorted, walked on the index, or both."""

from __future__ import annotations

import pytest

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contact_windows, contacts, orders, text_search
from boxoffice.services.sales import Sale, SaleLine, sell
from tests.boxoffice.services.box_office_venue import build_venue

FIRST = ["Léa", "Noah", "Zoé", "Hugo", "Emma"]
LAST = ["Müller", "Favre", "Perret", "Rossi", "Meier", "Zürcher", "Mora", "Brunner"]

# (name, SORT_AT_MOST, DENSE, DENSE_SPAN, SPAN): thresholds small enough for a few dozen rows to take
# each way through text_search.ordered_matches.
PATHS = [
    ("sorted", 10_000, 0.5, 2_000, 60_000),
    ("walked against the set of matches", 0, 2.0, 2_000, 10_000),
    ("walked asking the index about each row", 0, 0.0, 10_000, 10_000),
    ("walked a few rows, the rest sorted", 0, 2.0, 2_000, 3),
    ("asked a few rows, walked a few, the rest sorted", 0, 0.0, 2, 3),
]


@pytest.fixture(params=PATHS, ids=[path[0] for path in PATHS])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    name, most, dense, dense_span, span = request.param
    for constant, value in (("SORT_AT_MOST", most), ("DENSE", dense), ("DENSE_SPAN", dense_span), ("SPAN", span)):
        monkeypatch.setattr(text_search, constant, value)
    return str(name)


def _lists(writer: Writer) -> str:
    """A list of 40 people (and another list of the same names, which no search of the first may show)."""
    with writer.transaction() as work:
        chosen = contacts.create_list(work, "Friends")
        other = contacts.create_list(work, "Others")
        for i, (first, last) in enumerate((f, n) for n in LAST for f in FIRST):
            contacts.add_contact(work, chosen, f"{first.lower()}.{i}@example.ch", first, last)
            contacts.add_contact(work, other, f"other.{i}@elsewhere.ch", first, last)
    return chosen


class TestContacts:
    @pytest.mark.parametrize("search", ["m", "e", "zoe mu", "nobody"])
    def test_every_window_of_a_search_follows_the_last_in_name_order_as_a_full_sort_says(
            self, writer: Writer, path: str, search: str):
        list_id = _lists(writer)
        with writer.store.session() as session:
            expected = [c.id for c in contacts.contacts_of(session, list_id, search)]
            shown: list[str] = []
            after = None
            while True:
                lines = contact_windows.window(session, list_id, search, after, size=4)
                shown += [line.id for line in lines]
                if len(lines) < 4:
                    break
                after = lines[-1].key
        assert shown == expected, path


class TestOrders:
    def test_the_newest_matching_orders_come_first_and_no_more_than_asked(self, writer: Writer, path: str):
        venue = build_venue(writer, floor_capacity=20)
        sold: list[tuple[str, str]] = []  # (order id, customer), oldest first
        for i in range(9):
            name = f"{FIRST[i % 3]} {LAST[i % 2]}"
            with writer.transaction() as work:
                sold.append((sell(work, Sale(venue.first, venue.floor, (SaleLine(venue.full, 1),), customer_name=name,
                                             answers={venue.question: "no"})).id, name))
        with writer.store.session() as session:
            favre = [o.id for o in orders.find_orders(session, "favre", limit=3)]
            everyone = [o.id for o in orders.find_orders(session, "d", limit=50)]
        assert favre == [order for order, name in reversed(sold) if name.endswith("Favre")][:3], path
        assert everyone == [order for order, _name in reversed(sold)], path
