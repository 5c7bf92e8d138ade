# SPDX-License-Identifier: AGPL-3.0-or-later
"""The holder's photo: from a picture file, or one frame taken with the webcam (a video file stands in for it).

Both run off the UI thread (a camera takes about a second to open): the page calls them through a ReadOp.
"""

from __future__ import annotations

from pathlib import Path

import cv2

from boxoffice.i18n import _
from boxoffice.services.passes import MAX_PHOTO_BYTES, PassError, check_photo
from scanning.camera import CameraError, open_capture

# A pass photo is printed about 25 x 32 mm: 480 pixels high is plenty at 300 dpi and stays small.
PHOTO_HEIGHT = 480
# The first frames of many webcams are dark while the exposure settles.
WARM_UP_FRAMES = 5


def _portrait_jpeg(frame: object) -> bytes:
    """The middle of the frame cut to a 3:4 portrait, scaled down and encoded as JPEG."""
    height, width = frame.shape[:2]  # type: ignore[attr-defined]
    crop_width = min(width, height * 3 // 4)
    left = (width - crop_width) // 2
    portrait = frame[:, left:left + crop_width]  # type: ignore[index]
    if height > PHOTO_HEIGHT:
        portrait = cv2.resize(portrait, (crop_width * PHOTO_HEIGHT // height, PHOTO_HEIGHT),
                              interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", portrait, [cv2.IMWRITE_JPEG_QUALITY, 88])
    if not ok:
        raise PassError(_("The photo could not be encoded."))
    return bytes(encoded.tobytes())


def take_photo(source: int | str | Path) -> bytes:
    """One picture from a camera (OpenCV index) or a video file, as a portrait JPEG."""
    try:
        capture = open_capture(source, None)
    except CameraError as exc:
        raise PassError(str(exc)) from None
    try:
        frame = None
        for _i in range(WARM_UP_FRAMES if isinstance(source, int) else 1):
            ok, grabbed = capture.read()
            if ok:
                frame = grabbed
    finally:
        capture.release()
    if frame is None:
        raise PassError(_("The camera gave no picture: is another program using it?"))
    return _portrait_jpeg(frame)


def photo_from_file(path: Path) -> bytes:
    """A JPEG or PNG file as it is when small enough, else re-encoded as a smaller portrait JPEG."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PassError(_("Cannot read {file}: {error}").format(file=path, error=exc.strerror)) from None
    if len(data) <= MAX_PHOTO_BYTES:
        try:
            return check_photo(data) or b""
        except PassError:
            pass  # another format (or a mislabelled file): let OpenCV read and re-encode it
    image = cv2.imread(str(path))
    if image is None:
        raise PassError(_("{file} is not a picture this app can read.").format(file=path.name))
    return _portrait_jpeg(image)
