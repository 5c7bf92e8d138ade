"""Printer profiles: the Smart-51 settings as CUPS options, saved and loaded as JSON files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from printing.profiles import (
    BUILT_IN_PROFILES,
    PrinterProfile,
    ProfileError,
    generic_a4,
    idp_smart51_cr80,
    load_profile,
    load_profiles,
    save_profile,
)


class TestSmart51Profile:
    def test_cups_options_ask_for_a_portrait_cr80_card_printed_whole(self) -> None:
        options = idp_smart51_cr80().cups_options()
        assert options["media"] == "Custom.54x86mm"
        assert options["orientation-requested"] == "3"
        assert options["fit-to-page"] == "true"

    def test_driver_choices_of_the_guide_are_sent_to_the_driver(self) -> None:
        options = idp_smart51_cr80().cups_options()
        assert options["ResinExtraction"] == "BlackDotsOnly"

    def test_technician_driver_options_override_generic_ones(self) -> None:
        profile = PrinterProfile("Edited", media="Custom.54x86mm", driver_options={"fit-to-page": "false"})
        assert profile.cups_options()["fit-to-page"] == "false"


class TestProfileFiles:
    def test_saved_profile_loads_back_equal(self, tmp_path: Path) -> None:
        profile = PrinterProfile(**{**idp_smart51_cr80().to_dict(), "printer": "Smart51-desk"})
        path = save_profile(tmp_path, profile)
        assert path.name == "idp-smart-51-cr80.json"
        assert load_profile(path) == profile

    def test_saved_profile_overrides_the_built_in_of_the_same_name(self, tmp_path: Path) -> None:
        edited = PrinterProfile(**{**generic_a4().to_dict(), "copies": 2})
        save_profile(tmp_path, edited)
        loaded = {p.name: p for p in load_profiles(tmp_path)}
        assert loaded["Generic A4"].copies == 2
        assert set(loaded) == set(BUILT_IN_PROFILES)

    def test_missing_directory_gives_the_built_ins(self, tmp_path: Path) -> None:
        assert len(load_profiles(tmp_path / "none")) == len(BUILT_IN_PROFILES)

    def test_bad_value_names_the_file_and_setting(self, tmp_path: Path) -> None:
        data = idp_smart51_cr80().to_dict() | {"orientation": "sideways"}
        (tmp_path / "bad.json").write_text(json.dumps(data))
        with pytest.raises(ProfileError) as caught:
            load_profiles(tmp_path)
        assert caught.value.field == "bad.json: orientation"

    def test_unknown_setting_is_refused(self) -> None:
        with pytest.raises(ProfileError, match="colour_mode"):
            PrinterProfile.from_dict(generic_a4().to_dict() | {"colour_mode": "mono"})

    def test_copies_must_be_a_whole_number(self) -> None:
        with pytest.raises(ProfileError, match="copies"):
            PrinterProfile.from_dict(generic_a4().to_dict() | {"copies": "two"})

    def test_broken_json_reports_the_line(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.json"
        path.write_text('{"name": "x",\n "media": }')
        with pytest.raises(ProfileError, match="line 2"):
            load_profile(path)
