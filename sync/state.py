"""The sync worker's state as the window shows it (S2), apart from the client: the status bar is painted
before the store is open, so this module imports nothing heavy (SQLAlchemy, requests; issue #15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SyncState:
    """What the status bar shows (S2)."""

    online: bool | None = None
    pending: int = 0
    last_sync: datetime | None = None
    error: str = ""
    revoked: bool = False
    outdated: str = ""  # "app" or "server": which one is too old to sync; the copy keeps working meanwhile
    enrolled: bool = True
    pulled: int = 0
    retry_in: float = 0.0  # after a failed attempt, seconds until the next one (0 after a sync)
