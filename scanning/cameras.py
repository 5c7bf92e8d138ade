# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cameras by the names people know them by: the system's list matched to OpenCV's indexes, found again by name."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from scanning.camera import CameraInfo

#: A camera as the system lists it: its name and the OpenCV index the pipeline opens it with.
SystemCamera = tuple[str, int]

_LINUX_DEVICE = re.compile(r"/dev/video(\d+)$")


def opencv_index(device_id: str, position: int, platform: str = sys.platform) -> int:
    """The OpenCV index of a camera the system lists at ``position`` with the id ``device_id``.

    On Linux the id is the V4L2 node (``/dev/video2``), whose number is OpenCV's index; the system's
    list skips the metadata nodes many webcams add, so its position would be wrong there. On Windows
    and macOS OpenCV's backends (Media Foundation, AVFoundation) number cameras in the order the
    system enumerates them, which is the order of the system's list.
    """
    if platform.startswith("linux"):
        match = _LINUX_DEVICE.search(device_id)
        if match:
            return int(match.group(1))
    return position


def linux_video_nodes(sysfs: Path = Path("/sys/class/video4linux")) -> list[SystemCamera]:
    """The V4L2 cameras by the names their drivers give, read from sysfs without opening any (opening
    one takes up to a second): a webcam's further nodes (its metadata, ``index`` 1 and up) are left out."""
    found = []
    for node in sorted(sysfs.glob("video*")):
        match = re.fullmatch(r"video(\d+)", node.name)
        try:
            first = (node / "index").read_text(encoding="utf-8").strip() in ("", "0")
            name = (node / "name").read_text(encoding="utf-8").strip()
        except OSError:
            continue
        if match and first:
            found.append((name, int(match.group(1))))
    return sorted(found, key=lambda camera: camera[1])


def named_cameras(devices: Iterable[SystemCamera]) -> list[CameraInfo]:
    """One entry per camera, in the system's order, each with a name of its own: two cameras of the
    same model are "HD Webcam" and "HD Webcam (2)", numbered in index order so the names stay put
    when a third camera moves their indexes."""
    listed = [(name.strip() or f"Camera {index + 1}", index) for name, index in devices]
    seen: dict[str, int] = {}
    numbered: dict[int, str] = {}
    for name, index in sorted(listed, key=lambda pair: pair[1]):
        seen[name] = seen.get(name, 0) + 1
        numbered[index] = name if seen[name] == 1 else f"{name} ({seen[name]})"
    return [CameraInfo(index, numbered[index]) for _name, index in listed]


def find_camera(cameras: Sequence[CameraInfo], name: str) -> CameraInfo | None:
    """The camera called ``name`` (as ``named_cameras`` names it), wherever its index is now; None
    when it is not connected. An empty name (never chosen) is the first camera."""
    if not name:
        return cameras[0] if cameras else None
    return next((camera for camera in cameras if camera.name == name), None)
