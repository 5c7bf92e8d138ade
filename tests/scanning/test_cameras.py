# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for scanning.cameras and scanning.camera_controls: cameras by name, found again when indexes move."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanning.camera import CameraInfo
from scanning.camera_controls import parse_resolution, resolution_text
from scanning.cameras import find_camera, linux_video_nodes, named_cameras, opencv_index


class TestCamerasByName:
    def test_each_camera_keeps_the_name_the_system_gives_it(self) -> None:
        cameras = named_cameras([("Integrated Camera", 0), ("Logitech C920", 2)])
        assert cameras == [CameraInfo(0, "Integrated Camera"), CameraInfo(2, "Logitech C920")]

    def test_the_remembered_camera_is_found_at_its_new_index_after_another_is_plugged_in(self) -> None:
        before = named_cameras([("Integrated Camera", 0), ("Logitech C920", 2)])
        assert find_camera(before, "Logitech C920") == CameraInfo(2, "Logitech C920")
        # A second webcam plugged in before it takes index 0: the names, not the indexes, are what stay.
        after = named_cameras([("Microsoft LifeCam", 0), ("Integrated Camera", 1), ("Logitech C920", 3)])
        assert find_camera(after, "Logitech C920") == CameraInfo(3, "Logitech C920")

    def test_a_camera_not_connected_is_not_found(self) -> None:
        assert find_camera(named_cameras([("Integrated Camera", 0)]), "Logitech C920") is None
        assert find_camera([], "Logitech C920") is None

    def test_without_a_remembered_name_the_first_camera_is_chosen(self) -> None:
        assert find_camera(named_cameras([("B", 1), ("A", 4)]), "") == CameraInfo(1, "B")
        assert find_camera([], "") is None

    def test_two_cameras_of_one_model_are_told_apart_in_index_order(self) -> None:
        cameras = named_cameras([("HD Webcam", 3), ("HD Webcam", 1), ("", 5)])
        assert cameras == [CameraInfo(3, "HD Webcam (2)"), CameraInfo(1, "HD Webcam"), CameraInfo(5, "Camera 6")]
        # A third camera ahead of both moves their indexes, not their names.
        moved = named_cameras([("Integrated Camera", 0), ("HD Webcam", 2), ("HD Webcam", 4)])
        assert find_camera(moved, "HD Webcam (2)") == CameraInfo(4, "HD Webcam (2)")


class TestOpenCvIndex:
    def test_linux_takes_the_number_of_the_video_node_not_the_position_in_the_list(self) -> None:
        # A webcam's metadata node (/dev/video1) is not listed: the second camera is /dev/video2.
        assert opencv_index("/dev/video2", 1, platform="linux") == 2

    @pytest.mark.parametrize("platform", ["win32", "darwin"])
    def test_elsewhere_the_position_in_the_system_list_is_the_index(self, platform: str) -> None:
        assert opencv_index(r"\\?\usb#vid_046d&pid_082d", 1, platform=platform) == 1
        assert opencv_index("0x14200000046d082d", 0, platform=platform) == 0


class TestResolutionText:
    def test_a_resolution_reads_back_from_its_text(self) -> None:
        assert parse_resolution(resolution_text((1280, 720))) == (1280, 720)
        assert parse_resolution("") is None and resolution_text(None) == ""

    def test_anything_else_is_refused_naming_the_text(self) -> None:
        with pytest.raises(ValueError, match="'big'"):
            parse_resolution("big")


class TestLinuxVideoNodes:
    def test_each_webcam_is_listed_once_by_its_driver_name_without_opening_it(self, tmp_path: Path) -> None:
        # sysfs as Linux lays it out: a webcam gives a capture node (index 0) and a metadata node (index 1).
        for node, name, index in (("video0", "Integrated Camera: Integrated C", "0"),
                                  ("video1", "Integrated Camera: Integrated C", "1"),
                                  ("video2", "HD Pro Webcam C920", "0"), ("video10", "HD Pro Webcam C920", "1")):
            (tmp_path / node).mkdir()
            (tmp_path / node / "name").write_text(name + "\n", encoding="utf-8")
            (tmp_path / node / "index").write_text(index + "\n", encoding="utf-8")
        (tmp_path / "video3").mkdir()  # a node whose files cannot be read is skipped
        assert linux_video_nodes(tmp_path) == [("Integrated Camera: Integrated C", 0), ("HD Pro Webcam C920", 2)]

    def test_a_machine_without_video4linux_has_no_camera(self, tmp_path: Path) -> None:
        assert linux_video_nodes(tmp_path / "missing") == []
