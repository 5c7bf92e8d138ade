"""Changed rows as pulls send them, serialised once and shared by every device that pulls them.

Fifty doors of one event pull every check-in fifty times; reading, converting and encoding each
row for each door was most of a pull. A row's JSON is cached under (projection, entity, id, change number):
any write to a row gives it a new number in the same transaction, so the text stored under a
number never goes stale, on this process or any other sharing the database. The cache holds no
state that matters: a miss reads the row again. (Restoring a backup under a running server would
bring old numbers back with other rows: restart the server after a restore, as for any cache.)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

Key = tuple[str, str, int]  # entity, row id, change number
ViewKey = tuple[str, str, str, int]  # projection (sync/projections.view), entity, row id, number

# About 200,000 check-ins' worth: every door's unread tail fits, an initial sync only passes through.
MAX_BYTES = 48 << 20
_OVERHEAD = 200  # bytes a cached entry costs beyond its text (key tuple, dict slot)


class Fragments:
    """A bounded, thread-safe map of (entity, id, number) to the change's JSON text; oldest out first."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._max_bytes = max_bytes
        self._texts: OrderedDict[Any, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def found(self, keys: Sequence[Hashable]) -> dict[Any, bytes]:
        """The cached texts among `keys`."""
        texts = self._texts
        with self._lock:
            return {key: text for key in keys if (text := texts.get(key)) is not None}

    def keep(self, texts: Mapping[Any, bytes]) -> None:
        """Cache `texts`, dropping the oldest entries beyond the size limit."""
        with self._lock:
            for key, text in texts.items():
                if key not in self._texts:
                    self._texts[key] = text
                    self._bytes += len(text) + _OVERHEAD
            while self._bytes > self._max_bytes and self._texts:
                _key, dropped = self._texts.popitem(last=False)
                self._bytes -= len(dropped) + _OVERHEAD

    def __len__(self) -> int:
        return len(self._texts)
