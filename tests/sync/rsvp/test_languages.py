"""Which language a page without an invitation speaks: the browser's Accept-Language, matched by Babel."""

from __future__ import annotations

import pytest

from sync.server.rsvp.layout import language_of


@pytest.mark.parametrize(("header", "language"), [
    ("fr-CH,fr;q=0.9,en;q=0.8", "fr"),
    ("en;q=0.1, de-AT;q=0.9", "de"),  # the weight counts, not the order written
    ("pt-BR, it;q=0.5", "it"),  # the first one we speak
    ("fr;q=0, es", "es"),  # q=0: "not French"
    ("DE-at", "de"),
    ("garbage;q=x, es-419", "es"),
    ("zh-Hant, *;q=0.5", "en"),
    ("", "en"),
    (None, "en"),
])
def test_the_most_preferred_language_we_speak_is_chosen(header: str | None, language: str) -> None:
    assert language_of(header) == language
