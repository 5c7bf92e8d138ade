"""Dates and times shown in the venue's time zone, the way the interface's language writes them (Babel)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from boxoffice.i18n import current_language

_COUNTRY = {"en": "en_CH", "fr": "fr_CH", "de": "de_CH", "it": "it_CH", "es": "es_ES"}


def locale_name(language: str | None = None) -> str:
    """The locale whose formats the interface uses: the language as written in Switzerland (es: Spain)."""
    return _locale(language)


def _locale(language: str | None) -> str:
    language = language or current_language()
    return _COUNTRY.get(language, language)


def format_moment(moment: datetime, timezone: str, language: str | None = None, year: bool = True) -> str:
    """"Wed, 9 Dec 2026 20:00" in English, "mer. 9 déc. 2026 20:00" in French, at the venue."""
    zone, locale = ZoneInfo(timezone), _locale(language)
    day = format_skeleton("yMMMEd" if year else "MMMEd", moment, tzinfo=zone, locale=locale)
    return f"{day} {format_skeleton('Hm', moment, tzinfo=zone, locale=locale)}"


def format_time(moment: datetime, timezone: str, language: str | None = None) -> str:
    """"20:00" at the venue."""
    return str(format_skeleton("Hm", moment, tzinfo=ZoneInfo(timezone), locale=_locale(language)))
