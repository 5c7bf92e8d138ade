"""Images for e-mail, scaled and compressed once when the organizer picks them (#14): a banner a phone shows at
600 px needs no more than 1200 px (for sharp screens), and a photo as JPEG, not as the camera's 2 MB file."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# The widest each image is kept: twice the width the message shows it at (mime.py: banner 600, logo 160).
MAX_WIDTH = {"banner": 1200, "logo": 320}
JPEG_QUALITY = 82  # past ~85 the bytes grow fast and the eye sees no difference at these sizes
# What each image may weigh once encoded: base64 adds a third, and an invitation with its banner should
# stay under 200 KB (#14). A photo over budget is encoded at lower qualities, then narrower, down to
# the width the message shows it at; only an image still over budget there is sent as it came out.
BUDGET = {"banner": 130_000, "logo": 40_000}
LOWER_QUALITIES = (75, 68, 60)
# A file larger than this is not an image an organizer means to mail; decoding it would take the
# memory of a photo of 100 megapixels.
MAX_SOURCE_BYTES = 40_000_000


class ImageProblem(ValueError):
    """The file cannot be read as an image."""


@dataclass(frozen=True)
class Prepared:
    data: bytes
    subtype: str  # as data:image/<subtype> names it
    width: int
    height: int


def prepare(path: Path, kind: str) -> Prepared:
    """The image as it will travel: at most MAX_WIDTH[kind] wide, re-encoded when that makes it smaller.

    Cached on the file's path, size and modification time: the wizard checks and previews at every step."""
    stat = path.stat()
    return _prepare(str(path), stat.st_size, stat.st_mtime_ns, kind)


@functools.lru_cache(maxsize=16)
def _prepare(path: str, size: int, _mtime: int, kind: str) -> Prepared:
    original = Path(path).read_bytes() if size <= MAX_SOURCE_BYTES else b""
    if not original:
        raise ImageProblem(path)
    try:
        image = Image.open(io.BytesIO(original))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ImageProblem(path) from exc
    subtype = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif"}.get(image.format or "", "")
    if getattr(image, "is_animated", False) and subtype:
        return Prepared(original, subtype, image.width, image.height)  # re-encoding would stop it moving
    upright = ImageOps.exif_transpose(image)
    widest = MAX_WIDTH.get(kind, MAX_WIDTH["banner"])
    budget = BUDGET.get(kind, BUDGET["banner"])
    if subtype and upright.size == image.size and image.width <= widest and len(original) <= budget:
        return Prepared(original, subtype, image.width, image.height)  # already fit for e-mail
    width = min(upright.width, widest)
    while True:
        scaled = _scaled(upright, width)
        for quality in (JPEG_QUALITY, *LOWER_QUALITIES):
            encoded, encoded_subtype = _encode(scaled, quality)
            if len(encoded) <= budget or encoded_subtype == "png":
                break
        if len(encoded) <= budget or width <= widest // 2:
            return Prepared(encoded, encoded_subtype, scaled.width, scaled.height)
        width = max(widest // 2, int(width * 0.8))


def _scaled(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    return image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)


def _encode(image: Image.Image, quality: int) -> tuple[bytes, str]:
    """PNG when the image has transparency (a logo on any background), else JPEG; no metadata either way."""
    out = io.BytesIO()
    transparent = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    if transparent:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue(), "jpeg"
