"""Fitting text into a box: shrink first, then wrap, then ellipsis."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing.fonts import badge_fonts
from printing.text import ELLIPSIS, fit_text, wrap


@pytest.fixture(scope="module")
def font() -> str:
    return badge_fonts().regular


class TestFitText:
    def test_short_text_keeps_its_largest_size(self, font: str) -> None:
        assert fit_text("Ann", font, 100, 30, 16, 6, 1) == (16, ["Ann"])

    def test_long_text_shrinks_to_the_box_width(self, font: str) -> None:
        size, lines = fit_text("Maximiliane Hohenzollern", font, 100, 30, 16, 6, 1)
        assert 6 <= size < 16
        assert stringWidth(lines[0], font, size) <= 100 + 1e-6

    def test_text_too_long_at_the_smallest_size_wraps(self, font: str) -> None:
        name = "Maximiliane-Éléonore von Hohenzollern-Sigmaringen"
        size, lines = fit_text(name, font, 110, 40, 14, 7, 3)
        assert len(lines) > 1
        assert " ".join(lines) == name
        assert all(stringWidth(line, font, size) <= 110 + 1e-6 for line in lines)

    def test_what_never_fits_ends_with_an_ellipsis(self, font: str) -> None:
        size, lines = fit_text("word " * 60, font, 80, 20, 12, 7, 2)
        assert len(lines) == 2
        assert lines[-1].endswith(ELLIPSIS)
        assert all(stringWidth(line, font, size) <= 80 + 1e-6 for line in lines)

    def test_lines_never_exceed_the_box_height(self, font: str) -> None:
        size, lines = fit_text("a b c d e f g h i j k l m n o p " * 5, font, 30, 12, 10, 6, 10)
        assert len(lines) * size * badge_fonts().line_height <= 12 + 1e-6

    def test_empty_text_draws_nothing(self, font: str) -> None:
        assert fit_text("  ", font, 50, 10, 10, 6, 1)[1] == []


class TestWrap:
    def test_a_word_wider_than_the_box_is_broken(self, font: str) -> None:
        lines = wrap("Supercalifragilisticexpialidocious", font, 12, 60)
        assert len(lines) > 1
        assert "".join(lines) == "Supercalifragilisticexpialidocious"
