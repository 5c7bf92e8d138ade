"""The built-in layouts: CR80 badge, CR80 pass with photo, A4 and 80 mm thermal tickets, CR80 test card."""

from __future__ import annotations

from printing.layout import Barcode, Box, Element, Layout, Photo, Qr, Rect, Text

# The card is 53.98 x 85.60 mm; the documents and the CUPS size Custom.54x86mm round it to 54 x 86.
CR80_WIDTH_MM = 54.0
CR80_HEIGHT_MM = 86.0
A4_WIDTH_MM = 210.0
A4_HEIGHT_MM = 297.0
THERMAL_WIDTH_MM = 80.0
THERMAL_HEIGHT_MM = 150.0


def cr80_badge() -> Layout:
    """Portrait CR80 badge: name, company, role and a large QR code."""
    return Layout(
        name="cr80-badge",
        width=CR80_WIDTH_MM,
        height=CR80_HEIGHT_MM,
        elements=(
            Text(Box(4, 6, 46, 8), "{event}", size=9, min_size=5, align="center"),
            Text(
                Box(4, 16, 46, 14),
                "{first_name} {last_name}",
                size=16,
                min_size=7,
                max_lines=2,
                align="center",
                bold=True,
            ),
            Text(Box(4, 31, 46, 6), "{company}", size=10, min_size=6, align="center"),
            Qr(Box(12, 39, 30, 30)),
            Text(Box(4, 72, 46, 8), "{role}", size=11, min_size=6, align="center", bold=True),
        ),
    )


def cr80_pass() -> Layout:
    """Portrait CR80 season pass with the holder's photo (P3: background and text colour set per pass)."""
    return Layout(
        name="cr80-pass",
        width=CR80_WIDTH_MM,
        height=CR80_HEIGHT_MM,
        elements=(
            Text(Box(4, 4, 46, 7), "{pass_name}", size=10, min_size=5, align="center", bold=True),
            Photo(Box(15, 12, 24, 30)),
            Text(
                Box(3, 44, 48, 12),
                "{first_name} {last_name}",
                size=14,
                min_size=7,
                max_lines=2,
                align="center",
                bold=True,
            ),
            Text(Box(3, 56, 48, 5), "{season}", size=8, min_size=5, align="center"),
            Qr(Box(15, 61, 24, 24)),
        ),
    )


def a4_ticket() -> Layout:
    """A4 home-printed ticket: event, date, seat, buyer, a QR code and the code as a barcode."""
    return Layout(
        name="a4-ticket",
        width=A4_WIDTH_MM,
        height=A4_HEIGHT_MM,
        elements=(
            Text(Box(15, 15, 180, 14), "{event}", size=24, min_size=10, max_lines=2, bold=True),
            Text(Box(15, 32, 180, 8), "{date} · {venue}", size=13, min_size=8),
            Text(Box(15, 44, 120, 8), "{zone} {seat}", size=13, min_size=8),
            Text(Box(15, 54, 120, 8), "{rate} · {price}", size=12, min_size=8),
            Text(Box(15, 64, 120, 8), "{first_name} {last_name}", size=12, min_size=8),
            Qr(Box(145, 40, 50, 50)),
            Barcode(Box(15, 100, 120, 18)),
            Text(Box(15, 119, 120, 6), "{qr}", size=9, min_size=6),
            Text(Box(15, 135, 180, 30), "{conditions}", size=8, min_size=6, max_lines=8),
        ),
    )


def thermal_ticket() -> Layout:
    """80 mm roll ticket (72 mm printable) for desk thermal printers."""
    return Layout(
        name="thermal-80mm-ticket",
        width=THERMAL_WIDTH_MM,
        height=THERMAL_HEIGHT_MM,
        elements=(
            Text(Box(4, 4, 72, 14), "{event}", size=16, min_size=8, max_lines=2, align="center", bold=True),
            Text(Box(4, 19, 72, 6), "{date}", size=11, min_size=7, align="center"),
            Text(Box(4, 26, 72, 6), "{zone} {seat}", size=11, min_size=7, align="center"),
            Text(Box(4, 33, 72, 6), "{rate} · {price}", size=10, min_size=7, align="center"),
            Qr(Box(15, 42, 50, 50)),
            Text(Box(4, 94, 72, 6), "{first_name} {last_name}", size=10, min_size=6, align="center"),
            Barcode(Box(4, 104, 72, 16)),
            Text(Box(4, 121, 72, 5), "{qr}", size=8, min_size=5, align="center"),
        ),
    )


# Colour patches of the test card: a missing or muddy patch shows a worn or badly loaded ribbon panel.
TEST_PATCHES = ("#00ffff", "#ff00ff", "#ffff00", "#000000", "#ff0000", "#00aa00", "#0000ff", "#808080")
_MARK_MM = 4.0
_MARK_WEIGHT_MM = 0.3
_MARK_INSET_MM = 1.5


def _corner_marks(width: float, height: float) -> tuple[Element, ...]:
    """An L at each corner, a frame and a centre cross: a shifted or cropped print shows at once."""
    inset, length, weight = _MARK_INSET_MM, _MARK_MM, _MARK_WEIGHT_MM
    marks: list[Element] = [Rect(Box(inset, inset, width - 2 * inset, height - 2 * inset), fill=None, stroke="#000000")]
    for left in (True, False):
        for top in (True, False):
            x = inset if left else width - inset - length
            y = inset if top else height - inset - length
            bar_x = inset if left else width - inset - weight
            bar_y = inset if top else height - inset - weight
            marks.append(Rect(Box(x, bar_y, length, weight)))
            marks.append(Rect(Box(bar_x, y, weight, length)))
    marks.append(Rect(Box(width / 2 - length / 2, height / 2 - weight / 2, length, weight)))
    marks.append(Rect(Box(width / 2 - weight / 2, height / 2 - length / 2, weight, length)))
    return tuple(marks)


def _patches(top: float) -> tuple[Element, ...]:
    side, gap = 10.0, 2.0
    left = (CR80_WIDTH_MM - 4 * side - 3 * gap) / 2
    return tuple(
        Rect(Box(left + (index % 4) * (side + gap), top + (index // 4) * (side - 3), side, side - 4), fill=colour)
        for index, colour in enumerate(TEST_PATCHES)
    )


def test_card() -> Layout:
    """CR80 test card (PR4): alignment marks, a frame, colour patches, a QR code and who printed it."""
    return Layout(
        name="cr80-test-card",
        width=CR80_WIDTH_MM,
        height=CR80_HEIGHT_MM,
        elements=(
            *_corner_marks(CR80_WIDTH_MM, CR80_HEIGHT_MM),
            Text(Box(6, 6, 42, 7), "{title}", size=12, min_size=6, align="center", bold=True),
            Text(Box(6, 13, 42, 5), "{printer}", size=8, min_size=5, align="center"),
            Text(Box(6, 18, 42, 5), "{profile}", size=7, min_size=5, align="center"),
            Text(Box(6, 23, 42, 4), "{date}", size=7, min_size=5, align="center"),
            *_patches(48.0),
            Qr(Box(17, 63, 20, 20)),
        ),
    )


BUILT_IN = {
    "cr80-badge": cr80_badge,
    "cr80-pass": cr80_pass,
    "a4-ticket": a4_ticket,
    "thermal-80mm-ticket": thermal_ticket,
}
# Not in BUILT_IN: the test card prints the printer's own details, not a guest's record.
TEST_CARD = "cr80-test-card"
