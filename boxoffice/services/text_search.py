# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a search box's text asks of the FTS5 indexes (migration 0012): every word typed, as a word start.

The indexes fold case and accents (`unicode61 remove_diacritics 2`), so "muller" and "MÜLLER" find
"Müller"; each word of the text must start a word of the name, e-mail or order number ("lea mul" finds
"Léa Müller", "d-1001" finds order D-100123). Other characters separate words, as the index's own
tokenizer does, so no user text can break the query's syntax.
"""

from __future__ import annotations

import re

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
