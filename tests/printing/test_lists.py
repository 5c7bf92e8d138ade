# SPDX-License-Identifier: AGPL-3.0-or-later
"""The printed door list: names in the given order, header on every page, characters as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from printing.lists import render_list
from tests.printing.pdftools import page_sizes, text


class TestDoorList:
    def test_rows_print_in_order_with_tick_boxes_and_accents(self, tmp_path: Path):
        pdf = tmp_path / "door.pdf"
        rows = [["Léa Müller", "D-100001", "Parterre"], ["Jürg Zürcher & Co <VIP>", "D-100002", "Balcon"]]
        pages = render_list(pdf, "Le Misanthrope", ["Name", "Order", "Zone"], rows, subtitle="01.12.2026 20:00")
        content = text(pdf)
        assert pages == 1
        assert content.index("Léa Müller") < content.index("Jürg Zürcher & Co <VIP>")
        assert "☐" in content and "01.12.2026 20:00" in content
        width, height = page_sizes(pdf)[0]
        assert (round(width), round(height)) == (595, 842)

    def test_a_long_list_repeats_the_header_on_every_page(self, tmp_path: Path):
        pdf = tmp_path / "long.pdf"
        rows = [[f"Guest {i:04d}", f"D-{i}"] for i in range(400)]
        pages = render_list(pdf, "Festival", ["Name", "Order"], rows)
        assert pages == len(page_sizes(pdf)) > 3
        assert "Name" in text(pdf, page=pages) and "Guest 0399" in text(pdf, page=pages)

    def test_widths_must_match_the_columns(self, tmp_path: Path):
        with pytest.raises(ValueError):
            render_list(tmp_path / "x.pdf", "T", ["A", "B"], [], widths=[1])
