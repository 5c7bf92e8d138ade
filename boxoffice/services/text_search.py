# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a search box's text asks of the FTS5 indexes (migration 0012): every word typed, as a word start.

The indexes fold case and accents (`unicode61 remove_diacritics 2`), so "muller" and "MÜLLER" find
"Müller"; each word of the text must start a word of the name, e-mail or order number ("lea mul" finds
"Léa Müller", "d-1001" finds order D-100123). Other characters separate words, as the index's own
tokenizer does, so no user text can break the query's syntax.

`ordered_matches` lists the matches in a page's order (names, newest first) without ordering every
match of a one-letter prefix: few matches are sorted, many are found by walking the ordering index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

# Letters and digits are parts of words for unicode61; everything else (the underscore too) separates.
_WORD = re.compile(r"[^\W_]+")
INDEXES = {"contacts": "contacts_fts", "orders": "orders_fts", "tickets": "tickets_fts"}


def match_expression(text: str) -> str | None:
    """The FTS5 MATCH expression for `text`, or None when it holds no word to look for."""
    words = _WORD.findall(text)
    return " ".join(f'"{word}"*' for word in words) if words else None


def matching_rowids(table: str) -> str:
    """SQL for the rowids of `table` whose index entry matches the bound parameter `:match`."""
    index = INDEXES[table]
    return f"SELECT rowid FROM {index} WHERE {index} MATCH :match"


# How the matches of a search are put in a page's order (measured at 500,000 contacts, benchmarks/ui.py):
# up to SORT_AT_MOST of them are looked up and sorted (about 2 µs each). More than that, the rows are
# walked in order on the index that serves it and each is checked against the matches: when at least
# DENSE of the table matches ("e" finds every "…@example.ch"), by asking the search index about each
# row (about 30 µs each, no set of half a million matches built), for DENSE_SPAN index entries; then
# against the set of matches (built once, about 0.2 µs a match, then 0.3 µs a row), for SPAN entries;
# what is still missing after that (matches that all sort late) is sorted.
SORT_AT_MOST = 25_000
DENSE = 0.5
DENSE_SPAN = 2_000
SPAN = 60_000


@dataclass(frozen=True)
class Listing:
    """How one searched table lists its rows: which rows, in which order, served by which index.

    `where` and `keys` are SQL over `alias`; `span_where` is the part of `where` the ordering
    index holds (the walk's bound is read from that index alone); `walk_index` an INDEXED BY
    clause when the planner must be told.
    """

    table: str
    alias: str
    where: str
    keys: tuple[str, ...]
    descending: bool = False
    span_where: str = ""
    walk_index: str = ""

    def order_by(self) -> str:
        return ", ".join(f"{key} DESC" if self.descending else key for key in self.keys)

    def beyond(self, name: str, up_to: bool = False) -> str:
        """The rows past the sort key bound as :<name>0, :<name>1… (with `up_to`, those before it or at it).

        The first key is also compared alone: SQLite ranges an index on a row value's comparison
        only over plain columns, and these keys are expressions (lower(last_name)).
        """
        later = self.descending == up_to
        sign = (">" if later else "<") + ("=" if up_to else "")
        bound = ", ".join(f":{name}{i}" for i in range(len(self.keys)))
        first = f"{self.keys[0]} {'>=' if later else '<='} :{name}0"
        return f"{first} AND ({', '.join(self.keys)}) {sign} ({bound})"

    def sql(self, columns: str, conditions: Sequence[str], hint: str = "") -> str:
        """The rows meeting `where` and `conditions`, in order, at most :size of them."""
        return (f"SELECT {columns} FROM {self.table} {self.alias} {hint} "
                f"WHERE {' AND '.join([self.where, *conditions])} ORDER BY {self.order_by()} LIMIT :size")


def ordered_matches(session: Session, listing: Listing, columns: str, match: str, params: dict[str, Any],
                    after: Sequence[Any] | None, size: int) -> list[Row[Any]]:
    """Up to `size` rows of `listing` whose index entry matches `match`, in its order, after the key `after`.

    What costs is ordering the matches of a short prefix ("M" matches one contact in five): they are
    few enough to sort, or frequent enough that walking the rows in order finds `size` of them soon.
    Each walk is bounded, so matches that all sort late cost a sort, never a walk of the whole table.
    """
    params = {**params, "match": match}
    if _at_most(session, listing.table, match, SORT_AT_MOST):
        return _sorted(session, listing, columns, params, after, size)
    rows: list[Row[Any]] = []
    walks = [(DENSE_SPAN, True)] if _dense(session, listing.table, match) else []
    for span, ask_each in [*walks, (SPAN, False)]:
        found, after, finished = _walk(session, listing, columns, params, after, size - len(rows), span, ask_each)
        rows += found
        if finished:
            return rows
    return rows + _sorted(session, listing, columns, params, after, size - len(rows))


def _walk(session: Session, listing: Listing, columns: str, params: dict[str, Any], after: Sequence[Any] | None,
          size: int, span: int, ask_each: bool) -> tuple[list[Row[Any]], Sequence[Any] | None, bool]:
    """The matches among the next `span` rows in order: those rows, the last key walked, and whether that was
    enough (`size` found, or no row left after the span)."""
    past = [listing.beyond("after")] if after is not None else []
    bound_sql = (f"SELECT {', '.join(listing.keys)} FROM {listing.table} {listing.alias} {listing.walk_index} "
                 f"WHERE {' AND '.join([listing.span_where or listing.where, *past])} "
                 f"ORDER BY {listing.order_by()} LIMIT 1 OFFSET :span")
    keys = bound("after", after)
    upto = session.execute(text(bound_sql), {**params, **keys, "span": span - 1}).first()
    within = [listing.beyond("upto", up_to=True)] if upto is not None else []
    index, rowid = INDEXES[listing.table], f"{listing.alias}.rowid"
    matching = (f"EXISTS (SELECT 1 FROM {index} f WHERE f.{index} MATCH :match AND f.rowid = {rowid})" if ask_each
                else f"+{rowid} IN ({matching_rowids(listing.table)})")
    walk_sql = listing.sql(columns, [*past, *within, matching], listing.walk_index)
    rows = list(session.execute(text(walk_sql), {**params, **keys, **bound("upto", upto), "size": size}))
    return rows, upto, len(rows) == size or upto is None


def _sorted(session: Session, listing: Listing, columns: str, params: dict[str, Any], after: Sequence[Any] | None,
            size: int) -> list[Row[Any]]:
    past = [listing.beyond("after")] if after is not None else []
    matching = f"{listing.alias}.rowid IN ({matching_rowids(listing.table)})"
    sql = listing.sql(columns, [*past, matching], "NOT INDEXED")
    return list(session.execute(text(sql), {**params, **bound("after", after), "size": size}))


def _dense(session: Session, table: str, match: str) -> bool:
    """Whether at least DENSE of `table`'s rows match (its largest rowid taken for its size)."""
    rows = session.scalar(text(f"SELECT max(rowid) FROM {table}")) or 0
    return not _at_most(session, table, match, int(rows * DENSE))


def _at_most(session: Session, table: str, match: str, most: int) -> bool:
    """Whether `table`'s index has at most `most` entries matching (counted no further than that)."""
    index = INDEXES[table]
    found = session.scalar(text(f"SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {index} MATCH :match "
                                f"LIMIT :most)"), {"match": match, "most": most + 1})
    return int(found or 0) <= most


def bound(name: str, key: Sequence[Any] | None) -> dict[str, Any]:
    """The parameters `Listing.beyond(name)` names, for the sort key `key`."""
    return {} if key is None else {f"{name}{i}": value for i, value in enumerate(key)}
