"""Bulk inserts store what the ORM would (same times as text, same JSON values), however the
values of a column vary."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from boxoffice.model.contacts import ContactList
from boxoffice.store.bulk import insert_rows
from boxoffice.store.engine import Store

COLUMNS = ("id", "name", "custom_fields", "archived_at", "hlc", "created_at")
T0 = datetime(2026, 11, 23, 12, 30, 15, 250_000, tzinfo=UTC)


def _stored(store: Store, prefix: str) -> list[tuple[object, ...]]:
    """Rows as stored, JSON decoded (the ORM writes it with json, bulk inserts with orjson)."""
    with store.engine.connect() as conn:
        return [(*r[:2], json.loads(r[2]), *r[3:]) for r in conn.execute(text(
            "SELECT substr(id, 3), name, custom_fields, archived_at, hlc, created_at FROM contact_lists "
            "WHERE id LIKE :p ORDER BY id"), {"p": prefix + "%"})]


def _write_both_ways(store: Store, rows: list[tuple[object, ...]]) -> None:
    with store.session() as session:
        insert_rows(session, ContactList, COLUMNS, [(f"b-{r[0]}", *r[1:]) for r in rows])
        session.add_all(ContactList(**dict(zip(COLUMNS, (f"o-{r[0]}", *r[1:]), strict=True))) for r in rows)
        session.commit()


class TestInsertRows:
    def test_one_timestamp_shared_by_every_row_is_stored_as_the_orm_stores_it(self, store: Store):
        _write_both_ways(store, [(str(i), f"List {i}", ["Ville"], None, "h", T0) for i in range(5)])
        assert _stored(store, "b-") == _stored(store, "o-")
        assert _stored(store, "b-")[0][5] == "2026-11-23 12:30:15.250000"

    def test_varying_timestamps_missing_values_and_json_are_stored_as_the_orm_stores_them(self, store: Store):
        zurich = T0.astimezone(ZoneInfo("Europe/Zurich"))
        _write_both_ways(store, [
            ("1", "Amis", [], None, "h1", T0),
            ("2", "Presse", ["Société", "Téléphone"], T0 + timedelta(days=1), "h2", zurich),
            ("3", "Écoles", [{"nested": "é"}], zurich, "h3", T0 + timedelta(microseconds=1)),
            ("4", "Amis 2", [], None, "h4", T0),
        ])
        assert _stored(store, "b-") == _stored(store, "o-")
        assert [r[2] for r in _stored(store, "b-")] == [[], ["Société", "Téléphone"], [{"nested": "é"}], []]
