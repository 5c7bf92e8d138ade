# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every ticket and guest of some dates or events, streamed in the door list's name order (`boxoffice tickets`).

A million tickets never sit in memory together: SQLite sorts them by the same key as the door list
(last name first, `sort_key`, registered as an SQL function) and the rows are read as they come;
the guests and companions, a few thousand at most, are merged into that stream. Sorting spills to
temporary files when the connection's `temp_store` is FILE, as the command sets it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from boxoffice.services.door_lists import (
    ORD,
    ListedHolder,
    T,
    door_state,
    guest_holders,
    holders_inside,
    sort_name_parts,
    tickets_query,
)

STREAM_BATCH = 2_000


def sort_key(name: str | None) -> str:
    """The door list's order as one text SQLite can compare: last name, then the other names."""
    last, rest = sort_name_parts(name or "")
    return f"{last}\x00{rest}"


def _holder_key(holder: ListedHolder) -> tuple[str, str, str]:
    return sort_key(holder.name), holder.order_number, holder.id


def each_holder(session: Session, date_ids: Iterable[str] | None = None,
                event_ids: Iterable[str] | None = None) -> Iterator[ListedHolder]:
    """What `list_holders` returns for these dates and events, in the same order, one row at a time."""
    connection = session.connection()
    raw: Any = connection.connection.dbapi_connection
    raw.create_function("door_sort_key", 1, sort_key, deterministic=True)
    inside = holders_inside(session)
    query = tickets_query(date_ids)
    if event_ids is not None and date_ids is None:
        query = query.where(T.c.event_id.in_(list(event_ids)))
    name = func.coalesce(func.nullif(T.c.holder_name, ""), ORD.c.customer_name, "")
    query = query.order_by(func.door_sort_key(name), func.coalesce(ORD.c.number, ""), T.c.id)
    rows = connection.execution_options(yield_per=STREAM_BATCH).execute(query)
    tickets = (ListedHolder("ticket", r.id, r.holder_name or r.customer_name or "", r.event, r.starts_at,
                            r.zone or "", r.rate or "", r.number or "", door_state(r.state, r.id, inside), r.secret)
               for r in rows)
    guests = sorted(guest_holders(session, event_ids, None, inside, None), key=_holder_key)
    yield from heapq.merge(tickets, guests, key=_holder_key)
