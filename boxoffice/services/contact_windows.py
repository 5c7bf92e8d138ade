# SPDX-License-Identifier: AGPL-3.0-or-later
"""A list's contacts a window at a time, in name order, optionally matched by the search index (C1, C3).

The contacts table asks for the rows it is about to show and no more: each window starts after the
last row of the one before (keyset paging on the name index of migration 0012), so the 400th window
costs what the first does, and a search is answered by FTS5 rather than by reading every contact
(`text_search.ordered_matches`: a one-letter search of 500,000 contacts does not sort 100,000 of them).
Read-only; plain SQL on the session's connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.orm import Session

from boxoffice.services.text_search import Listing, bound, match_expression, ordered_matches

WINDOW = 200
# Written exactly as the partial index ix_contacts_list_name says, so SQLite uses it.
_PRESENT = "c.list_id = :list AND c.cl % 2 = 1 AND c.deleted = 0"
_LISTING = Listing("contacts", "c", _PRESENT, ("lower(c.last_name)", "lower(c.first_name)", "c.id"),
                   walk_index="INDEXED BY ix_contacts_list_name")

SortKey = tuple[str, str, str]


@dataclass(frozen=True)
class ContactLine:
    """What a contacts table shows of one contact; `key` is where the next window starts."""

    id: str
    email: str
    first_name: str
    last_name: str
    fields: dict[str, Any]
    created_at: datetime
    key: SortKey


def window(session: Session, list_id: str, search: str = "", after: SortKey | None = None,
           size: int = WINDOW) -> list[ContactLine]:
    """Up to `size` present contacts of the list in name order, after `after` (a previous line's key).

    With `search`, only those whose name or e-mail has words starting with each word typed.
    """
    columns = ("c.id, c.email, c.first_name, c.last_name, c.fields, c.created_at, lower(c.last_name), "
               "lower(c.first_name)")
    if search.strip():
        match = match_expression(search)
        if match is None:
            return []
        return [_line(row) for row in ordered_matches(session, _LISTING, columns, match, {"list": list_id}, after,
                                                      size)]
    past = [_LISTING.beyond("after")] if after is not None else []
    rows = session.execute(text(_LISTING.sql(columns, past)), {"list": list_id, "size": size, **bound("after", after)})
    return [_line(row) for row in rows]


def each_contact(session: Session, list_id: str, size: int = 2_000) -> Iterator[ContactLine]:
    """Every present contact of the list in name order, read a window at a time (constant memory)."""
    after: SortKey | None = None
    while True:
        lines = window(session, list_id, after=after, size=size)
        yield from lines
        if len(lines) < size:
            return
        after = lines[-1].key


def field_names(session: Session, list_id: str) -> list[str]:
    """Every custom field some present contact of the list has a value for, in first-seen order."""
    rows = session.execute(text(f"SELECT DISTINCT f.key FROM contacts c, json_each(c.fields) f WHERE {_PRESENT}"),
                           {"list": list_id})
    return [str(name) for (name,) in rows]


def present_counts(session: Session) -> dict[str, int]:
    """List id -> its present contacts, counted on the partial name index alone."""
    rows = session.execute(text("SELECT c.list_id, count(*) FROM contacts c WHERE c.cl % 2 = 1 AND c.deleted = 0 "
                                "GROUP BY c.list_id"))
    return {list_id: int(n) for list_id, n in rows}


def _line(row: Any) -> ContactLine:
    created = row[5] if isinstance(row[5], datetime) else datetime.fromisoformat(row[5])
    fields = orjson.loads(row[4]) if isinstance(row[4], str | bytes) else dict(row[4] or {})
    return ContactLine(row[0], row[1], row[2], row[3], fields,
                       created if created.tzinfo else created.replace(tzinfo=UTC), (row[6], row[7], row[0]))
