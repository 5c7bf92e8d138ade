"""Fit a line of text into a box: shrink, then wrap, then cut with an ellipsis."""

from __future__ import annotations

import math

from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

ELLIPSIS = "…"
SIZE_STEP = 0.5


def _line_height(font: str) -> float:
    face = getFont(font).face
    return (face.ascent - face.descent) / 1000


def fit_text(
    text: str, font: str, width: float, height: float, size: float, min_size: float, max_lines: int
) -> tuple[float, list[str]]:
    """The font size and lines that fit `text` in width x height points.

    One line at the largest size from `size` down to `min_size`; below that, wrap onto up to
    `max_lines` lines; what still does not fit ends with an ellipsis.
    """
    text = " ".join(text.split())
    if not text:
        return size, []
    line_height = _line_height(font)
    tallest = height / line_height
    one_line = min(size, tallest, width / max(stringWidth(text, font, 1.0), 1e-9))
    if one_line >= min_size:
        return one_line, [text]
    start = min(size, tallest)
    if max_lines > 1:
        # Breaking inside a word ("Sigmaringe/n") reads worse than a smaller size: only the last
        # resort below may do it.
        widest_word = max(max(stringWidth(word, font, 1.0) for word in text.split(" ")), 1e-9)
        candidate = min(start, math.floor(width / widest_word * 10) / 10)
        while candidate >= min_size:
            lines = wrap(text, font, candidate, width)
            if len(lines) <= min(max_lines, math.floor(height / (candidate * line_height))):
                return candidate, lines
            candidate -= SIZE_STEP
    # The box is shorter than min_size allows: the height wins so lines never overlap the box edge.
    final = min(min_size, tallest)
    room = max(1, min(max_lines, math.floor(height / (final * line_height))))
    lines = wrap(text, font, final, width)
    if len(lines) > room:
        lines = [*lines[: room - 1], ellipsize(" ".join(lines[room - 1 :]), font, final, width)]
    return final, lines


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the box is broken after a hyphen, else between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if stringWidth(trial, font, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while stringWidth(current, font, size) > width and len(current) > 1:
            cut = _longest_prefix(current, font, size, width)
            hyphen = current.rfind("-", 0, cut)
            cut = hyphen + 1 if hyphen > 0 else cut  # "Müller-/Groß" before "Müller-Gr/oß"
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """`text` cut so that it and a trailing ellipsis fit `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    room = width - stringWidth(ELLIPSIS, font, size)
    cut = _longest_prefix(text, font, size, room) if room > 0 else 0
    return text[:cut].rstrip() + ELLIPSIS


def _longest_prefix(text: str, font: str, size: float, width: float) -> int:
    """Length of the longest prefix of `text` at most `width` wide (at least 1 when width allows none)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle], font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return max(low, 1)
