# SPDX-License-Identifier: AGPL-3.0-or-later
"""The door's webcams by name: a device list given at the edge (as QtMultimedia would list cameras), the
one chosen remembered in settings.json by name, the live preview outlining the code read from a video file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from boxoffice import i18n, settings
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import Store
from boxoffice.ui.door.camera_preview import OUTLINE, CameraPreview
from boxoffice.ui.door.inputs import CAMERA, InputChoice
from boxoffice.ui.door.page import DoorPage
from scanning.camera_controls import CameraControls, CameraSettings
from scanning.decode import FrameDecoder
from tests.boxoffice.ui.conftest import screenshot
from tests.scanning.images import qr_image, ticket_frame

CODE = "TICKET-PREVIEW-42"


class Devices:
    """The system's camera list at the edge: (name, OpenCV index) pairs a test changes as if plugging."""

    def __init__(self, *cameras: tuple[str, int]) -> None:
        self.cameras = list(cameras)

    def __call__(self) -> list[tuple[str, int]]:
        return list(self.cameras)


def door(qtbot, store: Store, writer: Writer, data_dir: Path, devices: Devices, **remembered: str) -> DoorPage:
    from boxoffice.ui import ops

    ops.install(store, writer)
    page = DoorPage(data_dir=data_dir, current=settings.Settings(**remembered), cameras=devices)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    with qtbot.waitSignal(page.choices_loaded, timeout=10_000):
        page.show()
    return page


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """A webcam's view as a video file: an empty desk, then a ticket held up."""
    path = tmp_path / "webcam.avi"
    out = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30, (640, 480))
    blank = ticket_frame(np.full((4, 4), 170, np.uint8), (640, 480))
    shown = ticket_frame(qr_image(CODE, box_size=5), (640, 480))
    for frame in [blank] * 2 + [shown] * 40:
        out.write(frame)
    out.release()
    return path


@pytest.fixture
def idle(store: Store) -> Iterator[None]:
    from boxoffice.ui import ops

    yield
    ops.wait_for_idle()


@pytest.mark.usefixtures("idle")
class TestCamerasByName:
    def test_cameras_are_listed_by_name_and_the_remembered_one_is_chosen(self, qtbot, store, demo_writer, data_dir):
        devices = Devices(("Integrated Camera", 0), ("Logitech C920", 2))
        page = door(qtbot, store, demo_writer, data_dir, devices, camera="Logitech C920", door_scanner=CAMERA)
        setup = page.setup_panel.camera_setup
        assert [setup.camera.itemText(i) for i in range(setup.camera.count())] == ["Integrated Camera",
                                                                                  "Logitech C920"]
        assert setup.camera.currentText() == "Logitech C920"
        assert page.setup_panel.input_choice().camera == 2
        assert setup.isVisible() and page.scanners.camera.itemText(1) == "Logitech C920"

    def test_the_remembered_camera_is_found_at_its_new_index_when_another_camera_is_plugged_in(
            self, qtbot, store, demo_writer, data_dir):
        devices = Devices(("Integrated Camera", 0), ("Logitech C920", 2))
        page = door(qtbot, store, demo_writer, data_dir, devices, camera="Logitech C920", door_scanner=CAMERA)
        devices.cameras = [("Microsoft LifeCam", 0), ("Integrated Camera", 1), ("Logitech C920", 4)]
        page.cameras.refresh()  # what QtMultimedia's videoInputsChanged calls
        assert page.setup_panel.camera_setup.camera.currentText() == "Logitech C920"
        assert page.setup_panel.input_choice().camera == 4

    def test_a_remembered_camera_not_connected_is_said_on_the_status_line_and_start_waits_for_it(
            self, qtbot, store, demo_writer, data_dir):
        devices = Devices(("Integrated Camera", 0))
        page = door(qtbot, store, demo_writer, data_dir, devices, camera="Logitech C920", door_scanner=CAMERA)
        setup = page.setup_panel.camera_setup
        assert setup.camera.currentText() == "Logitech C920 (not connected)"
        assert "“Logitech C920” is not connected" in setup.status.text()
        page.setup_panel.start.click()
        assert "“Logitech C920” is not connected" in page.setup_panel.problem.text()
        assert page.screens.currentWidget() is page.setup_panel and QApplication.activeModalWidget() is None
        screenshot(page, "door-camera-missing-en")
        devices.cameras.append(("Logitech C920", 1))
        page.cameras.refresh()
        assert setup.camera.currentText() == "Logitech C920" and page.setup_panel.input_choice().camera == 1
        assert "not connected" not in setup.status.text()

    def test_start_remembers_the_camera_by_name_and_says_its_problems_with_that_name(
            self, qtbot, store, demo_writer, data_dir):
        devices = Devices(("Integrated Camera", 0), ("Logitech C920", 7))
        page = door(qtbot, store, demo_writer, data_dir, devices)
        panel = page.setup_panel
        panel.choose_input(CAMERA)
        panel.camera_setup.camera.setCurrentIndex(1)
        panel.camera_setup.resolution.setCurrentIndex(panel.camera_setup.resolution.findData("1280x720"))
        with qtbot.waitSignal(page.scanning_started, timeout=10_000):
            panel.start.click()
        # No /dev/video7 here: the problem is said where the verdict shows, with the camera's name.
        qtbot.waitUntil(lambda: "Logitech C920" in page.scan_view.verdict.reason.text(), timeout=10_000)
        assert QApplication.activeModalWidget() is None
        page.stop_scanning()
        saved = json.loads((data_dir / settings.SETTINGS_FILE).read_text(encoding="utf-8"))
        assert (saved["door_scanner"], saved["camera"], saved["camera_resolution"]) == (
            CAMERA, "Logitech C920", "1280x720")
        assert settings.load(data_dir).camera == "Logitech C920"

    def test_a_webcam_lost_while_scanning_is_taken_up_again_at_its_new_index_when_it_is_listed(
            self, qtbot, store, demo_writer, data_dir):
        devices = Devices(("Integrated Camera", 0), ("Logitech C920", 7))
        page = door(qtbot, store, demo_writer, data_dir, devices, camera="Logitech C920", door_scanner=CAMERA)
        with qtbot.waitSignal(page.scanning_started, timeout=10_000):
            page.setup_panel.start.click()
        qtbot.waitUntil(lambda: "Logitech C920" in page.scan_view.verdict.reason.text(), timeout=10_000)
        lost = page.source
        devices.cameras = [("Integrated Camera", 0), ("Logitech C920", 9)]  # plugged into another port
        page.cameras.refresh()
        assert page.source is not lost and page.source is not None
        assert (page.source.choice.camera, page.source.choice.camera_name) == (9, "Logitech C920")
        page.stop_scanning()

    def test_a_hand_edited_camera_setting_is_refused_naming_the_file_and_the_setting(self, data_dir):
        (data_dir / settings.SETTINGS_FILE).write_text(json.dumps({"camera_resolution": "big"}), encoding="utf-8")
        with pytest.raises(settings.SettingsError, match=r"settings\.json.*camera_resolution"):
            settings.load(data_dir)

    def test_focus_is_offered_where_the_open_camera_has_it_and_a_fixed_value_is_applied(
            self, qtbot, store, demo_writer, data_dir):
        page = door(qtbot, store, demo_writer, data_dir, Devices(("Logitech C920", 0)), door_scanner=CAMERA,
                    camera_focus="", camera_exposure="120")
        setup = page.setup_panel.camera_setup
        assert not setup.focus.isVisible() and not setup.exposure.isVisible()  # until the camera says
        setup.show_controls(CameraControls((1280, 720), focus=35, exposure=None))
        assert setup.focus.isVisible() and not setup.exposure.isVisible()
        assert setup.focus.automatic.isChecked() and setup.focus.value.value() == 35
        with qtbot.waitSignal(setup.adjusted, timeout=1000):
            setup.focus.automatic.setChecked(False)
        setup.focus.value.setValue(60)
        assert setup.camera_settings() == CameraSettings(None, 60, 120)


class TestPreview:
    def test_the_code_read_in_a_video_frame_is_outlined_where_it_is(self, qtbot, video: Path):
        capture = cv2.VideoCapture(str(video))
        for _i in range(10):
            ok, frame = capture.read()
        capture.release()
        assert ok
        codes = FrameDecoder().decode(frame)
        assert [code.text for code in codes] == [CODE]
        preview = CameraPreview()
        qtbot.addWidget(preview)
        preview.resize(480, 360)
        preview.show_frame(frame)
        preview.show_codes(codes)
        image = preview.grab().toImage()
        (outline,) = preview.outlines()
        corner = outline[0]
        assert QColor(image.pixel(int(corner.x()), int(corner.y()))).green() > 200
        green = [QColor(image.pixel(int(p.x()), int(p.y()))) == OUTLINE for p in outline]
        assert all(green)
        centre = outline.boundingRect().center()
        assert QColor(image.pixel(int(centre.x()), int(centre.y()))) != OUTLINE

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_the_set_up_shows_the_webcam_live_and_outlines_the_ticket_held_up(
            self, qtbot, store, demo_writer, data_dir, video: Path, idle, language: str):
        i18n.set_language(language)
        try:
            page = door(qtbot, store, demo_writer, data_dir, Devices(("Integrated Camera", 0)), door_scanner=CAMERA)
        finally:
            i18n.set_language("en")
        setup = page.setup_panel.camera_setup
        setup.start_preview(str(video))
        qtbot.waitUntil(lambda: bool(setup.preview.outlines()), timeout=10_000)
        screenshot(page, f"door-camera-setup-{language}")
        setup.stop_preview()
        assert setup.source is None

    def test_scanning_with_the_webcam_shows_its_picture_beside_the_verdict(
            self, qtbot, store, demo_writer, data_dir, video: Path, idle):
        page = door(qtbot, store, demo_writer, data_dir, Devices())
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000):
            page.start_scanning(InputChoice(CAMERA, video))
        qtbot.waitUntil(lambda: bool(page.scan_view.preview.outlines()), timeout=10_000)
        assert page.scan_view.preview.isVisible()
        screenshot(page, "door-camera-scanning-en")
        page.stop_scanning()
