# SPDX-License-Identifier: AGPL-3.0-or-later
"""The webcam part of the door's set-up: the camera by its name, its resolution, focus and exposure, a live preview."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.ui import theme
from boxoffice.ui.door.camera_preview import CameraPreview, follow
from boxoffice.ui.door.inputs import CAMERA, InputChoice, ScanSource
from scanning.camera import CameraInfo
from scanning.camera_controls import RESOLUTIONS, CameraControls, CameraSettings, parse_resolution, resolution_text
from scanning.cameras import find_camera

#: The spin boxes' range: cameras count focus and exposure in their own units (V4L2 0-1023 and
#: 1-10000, DirectShow's exposure -13..0), and OpenCV does not say which.
_UNITS = 10_000


class _Manual(QWidget):
    """"Automatic" ticked, or a value of the camera's own."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.automatic = QCheckBox(_("Automatic"))
        self.automatic.setChecked(True)
        self.value = QSpinBox(minimum=-_UNITS, maximum=_UNITS)
        self.value.setEnabled(False)
        self.value.setMinimumWidth(90)
        self.automatic.toggled.connect(lambda on: self.value.setEnabled(not on))
        self.automatic.toggled.connect(lambda _on: self.changed.emit())
        self.value.valueChanged.connect(lambda _value: self.changed.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.automatic)
        row.addWidget(self.value)
        row.addStretch()

    def chosen(self) -> int | None:
        return None if self.automatic.isChecked() else self.value.value()

    def show_value(self, chosen: int | None, current: int | None) -> None:
        """The setting (None: automatic) and, while automatic, the camera's value now as a start."""
        for widget in (self.automatic, self.value):
            widget.blockSignals(True)
        self.automatic.setChecked(chosen is None)
        self.value.setEnabled(chosen is not None)
        if chosen is not None or current is not None:
            self.value.setValue(chosen if chosen is not None else current or 0)
        for widget in (self.automatic, self.value):
            widget.blockSignals(False)


class CameraSetup(QWidget):
    """`camera_changed()` when another camera or resolution is chosen (the preview opens it again),
    `adjusted()` when focus or exposure change (applied to the open camera at once)."""

    camera_changed = Signal()
    adjusted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cameras: list[CameraInfo] = []
        self.remembered = ""
        self.camera = QComboBox()
        self.camera.setAccessibleName(_("Camera"))
        self.resolution = QComboBox()
        self.resolution.addItem(_("As the camera gives it"), "")
        for width, height in RESOLUTIONS:
            self.resolution.addItem(f"{width} × {height}", resolution_text((width, height)))
        self.focus = _Manual()
        self.exposure = _Manual()
        self.preview = CameraPreview()
        self.status = QLabel(wordWrap=True)
        self.status.setStyleSheet(f"color: {theme.status_colour('error')}")
        self.source: ScanSource | None = None
        self.camera.currentIndexChanged.connect(lambda _i: self._on_camera_chosen())
        self.resolution.currentIndexChanged.connect(lambda _i: self.camera_changed.emit())
        self.focus.changed.connect(self.adjusted.emit)
        self.exposure.changed.connect(self.adjusted.emit)
        self.adjusted.connect(self._adjust_preview)
        self._layout()
        self.show_controls(None)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(_("Camera"), self.camera)
        form.addRow(_("Resolution"), self.resolution)
        self.focus_label, self.exposure_label = QLabel(_("Focus")), QLabel(_("Exposure"))
        form.addRow(self.focus_label, self.focus)
        form.addRow(self.exposure_label, self.exposure)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(self.status)
        column.addWidget(self.preview, 1)

    def show_cameras(self, cameras: Sequence[CameraInfo], remembered: str | None = None) -> None:
        """The cameras connected now; the one chosen (or ``remembered``) stays chosen by its name, at
        whatever index it has now. A remembered camera not connected is listed as such and said."""
        if remembered is not None:
            self.remembered = remembered
        keep = self.chosen_name() if self.camera.count() and remembered is None else self.remembered
        self.cameras = list(cameras)
        self.camera.blockSignals(True)
        self.camera.clear()
        for camera in self.cameras:
            self.camera.addItem(camera.name, camera.name)
        found = find_camera(self.cameras, keep)
        if found is None and keep:
            self.camera.addItem(_("{camera} (not connected)").format(camera=keep), keep)
            self.camera.setCurrentIndex(self.camera.count() - 1)
        elif found is not None:
            self.camera.setCurrentIndex(self.camera.findData(found.name))
        self.camera.blockSignals(False)
        self._on_camera_chosen()

    def chosen_name(self) -> str:
        data = self.camera.currentData()
        return str(data) if data is not None else ""

    def chosen_camera(self) -> CameraInfo | None:
        """The camera chosen, where it is connected now; None when it is not (or there is none)."""
        name = self.chosen_name()
        return find_camera(self.cameras, name) if name else None

    def problem(self) -> str:
        """Why the webcam cannot start, in the door staff's words; empty when it can."""
        if self.chosen_camera() is not None:
            return ""
        name = self.chosen_name()
        if name:
            return _("The camera “{camera}” is not connected: plug it in, or choose another camera.").format(
                camera=name)
        return _("No camera is connected: plug one in, or choose another scanner.")

    def _on_camera_chosen(self) -> None:
        self.status.setText(self.problem())
        self.show_controls(None)
        self.camera_changed.emit()

    def show_settings(self, settings: CameraSettings) -> None:
        self.resolution.blockSignals(True)
        text = resolution_text(settings.resolution)
        if self.resolution.findData(text) < 0 and settings.resolution:  # one set by hand in settings.json
            self.resolution.addItem(text.replace("x", " × "), text)
        index = self.resolution.findData(text)
        self.resolution.setCurrentIndex(max(0, index))
        self.resolution.blockSignals(False)
        self.focus.show_value(settings.focus, None)
        self.exposure.show_value(settings.exposure, None)

    def camera_settings(self) -> CameraSettings:
        return CameraSettings(parse_resolution(str(self.resolution.currentData() or "")),
                              self.focus.chosen(), self.exposure.chosen())

    def show_controls(self, controls: CameraControls | None) -> None:
        """Focus and exposure are offered where the open camera has them (hidden until it is open)."""
        chosen = self.camera_settings()
        focus, exposure = (controls.focus, controls.exposure) if controls is not None else (None, None)
        for label, row, current, setting in ((self.focus_label, self.focus, focus, chosen.focus),
                                             (self.exposure_label, self.exposure, exposure, chosen.exposure)):
            offered = current is not None
            label.setVisible(offered)
            row.setVisible(offered)
            if offered:
                row.show_value(setting, current)

    def start_preview(self, source: int | str | None = None) -> None:
        """Shows the chosen camera (or ``source``: a video file in tests) live, its codes outlined, and
        offers the focus and exposure it has once it is open. Opens off the UI thread."""
        self.stop_preview()
        camera = self.chosen_camera()
        if source is None and camera is None:
            self.preview.clear(_("No picture"))
            return
        chosen: int | str = camera.index if source is None and camera is not None else source or 0
        self.status.setText(self.problem() if source is None else "")
        self.preview.clear(_("Opening the camera…"))
        name = camera.name if source is None and camera is not None else ""
        running = ScanSource(InputChoice(CAMERA, chosen, camera_settings=self.camera_settings(), camera_name=name),
                             self, preview=True)
        follow(running, self.preview)
        running.started.connect(lambda: self._on_preview_started(running))
        running.stopped.connect(lambda problem: self._on_preview_stopped(running, problem))
        self.source = running
        running.start()

    def stop_preview(self) -> None:
        running, self.source = self.source, None
        if running is not None:
            running.stop()
        self.preview.clear(_("No picture yet"))

    def _on_preview_started(self, running: ScanSource) -> None:
        if running is self.source and running.camera is not None:
            self.show_controls(running.camera.controls)

    def _on_preview_stopped(self, running: ScanSource, problem: str) -> None:
        if running is self.source:
            self.source = None
            self.status.setText(problem)
            self.preview.clear(problem or _("No picture yet"))

    def _adjust_preview(self) -> None:
        if self.source is not None:
            self.source.adjust(self.camera_settings())
