"""Layouts as data: JSON round trips and errors that name the bad field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printing.layout import Background, Box, Layout, LayoutError, Qr, Text
from printing.templates import BUILT_IN, cr80_badge


def _badge_dict() -> dict[str, Any]:
    return cr80_badge().to_dict()


class TestLayoutJson:
    @pytest.mark.parametrize("name", sorted(BUILT_IN))
    def test_built_in_layout_survives_a_json_round_trip(self, name: str) -> None:
        layout = BUILT_IN[name]()
        assert Layout.from_dict(json.loads(json.dumps(layout.to_dict()))) == layout

    def test_background_and_text_colour_are_kept(self) -> None:
        layout = Layout(
            "card", 54, 86, (Text(Box(1, 1, 10, 5), "{name}"),), Background(pdf="/x/card.pdf", page=1), "#ffffff"
        )
        assert Layout.from_dict(layout.to_dict()) == layout

    @given(
        x=st.floats(0, 50),
        width=st.floats(0.1, 50),
        size=st.floats(6, 40),
        lines=st.integers(1, 5),
        align=st.sampled_from(["left", "center", "right"]),
        text=st.text(alphabet="abcé ß{}", max_size=8).filter(lambda t: "{" not in t and "}" not in t),
    )
    def test_any_valid_text_element_round_trips(
        self, x: float, width: float, size: float, lines: int, align: Any, text: str
    ) -> None:
        layout = Layout("t", 54, 86, (Text(Box(x, 0, width, 5), text, size, 6, lines, align),))
        assert Layout.from_dict(json.loads(json.dumps(layout.to_dict()))) == layout


class TestLayoutErrors:
    def _error(self, data: dict[str, Any]) -> LayoutError:
        with pytest.raises(LayoutError) as caught:
            Layout.from_dict(data)
        return caught.value

    def test_negative_box_width_names_the_element_and_field(self) -> None:
        data = _badge_dict()
        data["elements"][1]["box"]["width"] = -3
        assert self._error(data).field == "elements[1].box.width"

    def test_text_where_a_number_belongs_is_reported_with_the_value(self) -> None:
        data = _badge_dict()
        data["elements"][0]["size"] = "big"
        error = self._error(data)
        assert error.field == "elements[0].size"
        assert "'big'" in str(error)

    def test_unknown_element_kind_lists_the_kinds(self) -> None:
        data = _badge_dict()
        data["elements"][2]["kind"] = "hologram"
        assert "hologram" in str(self._error(data))
        assert "qr" in str(self._error(data))

    def test_missing_name_is_reported(self) -> None:
        data = _badge_dict()
        del data["name"]
        assert self._error(data).field == "name"

    def test_bad_text_colour_is_reported(self) -> None:
        data = _badge_dict()
        data["text_color"] = "red"
        assert self._error(data).field == "text_color"

    def test_unbalanced_braces_in_a_text_are_reported(self) -> None:
        data = copy.deepcopy(_badge_dict())
        data["elements"][1]["text"] = "{first_name"
        assert self._error(data).field == "elements[1].text"

    def test_boolean_is_not_accepted_as_a_number(self) -> None:
        data = _badge_dict()
        data["width"] = True
        assert self._error(data).field == "width"

    def test_image_and_pdf_background_together_are_refused(self) -> None:
        data = _badge_dict()
        data["background"] = {"image": "a.png", "pdf": "b.pdf"}
        assert self._error(data).field == "background.pdf"

    def test_elements_built_in_code_are_validated_too(self) -> None:
        with pytest.raises(LayoutError, match="quiet_modules"):
            Qr(Box(0, 0, 10, 10), quiet_modules=-1)


class TestLayoutSize:
    def test_cr80_is_54_by_86_mm_in_points(self) -> None:
        width, height = cr80_badge().size_pt
        assert width == pytest.approx(153.07, abs=0.01)
        assert height == pytest.approx(243.78, abs=0.01)
