"""An event's date and time as guests read it: in the venue's time zone, written by Babel in the guest's language.

One function for the invitation e-mails and the RSVP pages, so that a guest reads the same words in both.
"""

from __future__ import annotations

import functools
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime


def zone_of(name: str | None) -> tzinfo:
    """The named zone; an unknown or empty name is UTC (written as such), never the server's own zone."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@functools.lru_cache(maxsize=16)
def _pattern(language: str) -> tuple[str, str]:
    try:
        locale = Locale.parse(language or "en")
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
        language = "en"
    skeletons = locale.datetime_skeletons
    # Weekday and date, then the 24-hour time, then its offset: "sam. 12 déc. 2026 18:30 (UTC+01:00)".
    return str(language), f"{skeletons['yMMMEd'].pattern} {skeletons['Hm'].pattern} (ZZZZ)"


def event_when(moment: datetime, language: str, timezone: str | None) -> str:
    """`moment` (aware) in the zone `timezone`, in `language`'s own words and order, without seconds."""
    locale, pattern = _pattern(language)
    return format_datetime(moment, pattern, tzinfo=zone_of(timezone), locale=locale)
