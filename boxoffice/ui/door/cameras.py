# SPDX-License-Identifier: AGPL-3.0-or-later
"""The system's cameras by name (QtMultimedia's device list) and the camera permission macOS asks for."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt

from boxoffice.i18n import _
from scanning.cameras import SystemCamera, linux_video_nodes, opencv_index

#: Where the door's cameras come from: (name, OpenCV index) pairs. Tests give a list of their own.
CameraLister = Callable[[], list[SystemCamera]]


def system_cameras() -> list[SystemCamera]:
    """The cameras QtMultimedia lists, by their names, with the OpenCV index each opens with.

    Runs on the UI thread (QtMultimedia's device list is kept there; reading it is quick). Without a
    multimedia backend, Linux's cameras are read from sysfs (opening each to probe it would block).
    """
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:  # a Qt without its multimedia module
        return linux_video_nodes() if sys.platform.startswith("linux") else []
    devices = QMediaDevices.videoInputs()
    if not devices:
        return linux_video_nodes() if sys.platform.startswith("linux") else []
    return [(device.description(), opencv_index(bytes(device.id().data()).decode("utf-8", "replace"), position))
            for position, device in enumerate(devices)]


def watch_cameras(parent: QObject, changed: Callable[[], None]) -> QObject | None:
    """Calls ``changed`` when a camera is plugged in or out (QtMultimedia's notice); None without it."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return None
    devices = QMediaDevices(parent)
    devices.videoInputsChanged.connect(changed)
    return devices


def refused_message() -> str:
    return _("The camera is not allowed for this app. Allow it in System Settings, Privacy and Security, "
             "Camera, then start scanning again.")


def with_camera_permission(context: QObject, granted: Callable[[], None], refused: Callable[[str], None]) -> None:
    """Runs ``granted`` once the system lets the app use the camera, else ``refused(message)``.

    macOS asks the user the first time (the answer arrives later, on the UI thread); where Qt has no
    permission API, or the platform has no camera permission, it is granted at once.
    """
    app = QCoreApplication.instance()
    try:
        from PySide6.QtCore import QCameraPermission
    except ImportError:  # Qt before 6.5
        granted()
        return
    if app is None or not hasattr(app, "checkPermission"):
        granted()
        return
    permission = QCameraPermission()
    status = app.checkPermission(permission)
    if status == Qt.PermissionStatus.Granted:
        granted()
    elif status == Qt.PermissionStatus.Denied:
        refused(refused_message())
    else:
        def answered(_permission: object) -> None:
            if app.checkPermission(QCameraPermission()) == Qt.PermissionStatus.Granted:
                granted()
            else:
                refused(refused_message())

        app.requestPermission(permission, context, answered)
