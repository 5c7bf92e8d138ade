# SPDX-License-Identifier: AGPL-3.0-or-later
"""The door's webcams: listed by name in the set-up (again when one is plugged in or out), the one chosen
remembered in the settings by its name, the set-up's live preview while it is on screen, macOS's permission."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from boxoffice import settings
from boxoffice.i18n import _
from boxoffice.ui.door.cameras import CameraLister, system_cameras, watch_cameras, with_camera_permission
from boxoffice.ui.door.inputs import CAMERA, KINDS, WEDGE, InputChoice
from boxoffice.ui.door.scanners_panel import ScannersPanel
from boxoffice.ui.door.setup_panel import SetupPanel
from scanning.camera_controls import CameraSettings, parse_resolution, resolution_text
from scanning.cameras import named_cameras


def _number(text: str) -> int | None:
    return int(text) if text else None


def remembered_settings(current: settings.Settings) -> CameraSettings:
    """The webcam's settings as the settings file has them (checked when it was read)."""
    return CameraSettings(parse_resolution(current.camera_resolution), _number(current.camera_focus),
                          _number(current.camera_exposure))


class DoorCameras(QObject):
    """Keeps the set-up's camera list, the settings and the preview in step. ``lister`` gives the
    system's cameras as (name, OpenCV index) pairs: QtMultimedia's list unless a test gives its own.
    `listed(cameras)` after each listing (a list of scanning.camera.CameraInfo)."""

    listed = Signal(object)

    def __init__(self, panel: SetupPanel, scanners: ScannersPanel, data_dir: Path | None,
                 current: settings.Settings, lister: CameraLister | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel, self.scanners, self.data_dir, self.current = panel, scanners, data_dir, current
        self.lister = lister or system_cameras
        # A camera plugged in or out: the list again, the chosen one found at its new index.
        self.watcher = watch_cameras(self, self.refresh) if lister is None else None
        self._listed_once = False
        setup = panel.camera_setup
        setup.show_settings(remembered_settings(current))
        panel.choose_input(current.door_scanner if current.door_scanner in KINDS else WEDGE)
        setup.camera_changed.connect(self.update_preview)
        panel.input.currentIndexChanged.connect(lambda _i: self.update_preview())

    def refresh(self) -> None:
        """Lists the cameras connected now; the first time, the remembered camera is chosen by its name."""
        cameras = named_cameras(self.lister())
        self.panel.camera_setup.show_cameras(cameras, None if self._listed_once else self.current.camera)
        self._listed_once = True
        self.scanners.show_cameras([(camera.index, camera.name) for camera in cameras])
        self.listed.emit(cameras)

    def update_preview(self) -> None:
        """The preview runs while the set-up is on screen with the webcam chosen, and only then."""
        setup = self.panel.camera_setup
        wanted = self.panel.isVisible() and self.panel.input.currentData() == CAMERA
        if not wanted or setup.chosen_camera() is None:
            setup.stop_preview()
            if wanted:
                setup.preview.clear(_("No picture"))
            return
        self.when_allowed(setup.start_preview, setup.status.setText)

    def stop_preview(self) -> None:
        self.panel.camera_setup.stop_preview()

    def when_allowed(self, start: Callable[[], None], refused: Callable[[str], None]) -> None:
        with_camera_permission(self, start, refused)

    def remember(self, choice: InputChoice) -> None:
        """The scanner chosen at Start, and for a webcam its name and settings, kept for the next start."""
        current = self.current
        current.door_scanner = choice.kind
        if choice.kind == CAMERA and not isinstance(choice.camera, (str, Path)):
            chosen = choice.camera_settings
            current.camera = self.panel.camera_setup.chosen_name()
            current.camera_resolution = resolution_text(chosen.resolution)
            current.camera_focus = "" if chosen.focus is None else str(chosen.focus)
            current.camera_exposure = "" if chosen.exposure is None else str(chosen.exposure)
        if self.data_dir is not None:
            try:
                settings.save(self.data_dir, current)
            except OSError as error:  # the door still opens; it is only not remembered
                self.panel.problem.setText(_("The scanner chosen cannot be remembered: {error}").format(error=error))
