"""Images a message carries inline: the event's logo and banner, and entry QR codes."""

from __future__ import annotations

import base64
import binascii
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M

log = logging.getLogger(__name__)
SUBTYPES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".svg": "svg+xml"}
MAX_IMAGE_BYTES = 2_000_000


@dataclass(frozen=True)
class InlineImage:
    """An image/<subtype> part the HTML shows through `cid:<cid>`."""

    cid: str
    data: bytes
    subtype: str


def load_image(ref: str, cid: str) -> InlineImage | None:
    """The image behind an appearance value: a `data:image/...;base64,` URI or a file the server can read.

    A value the server cannot read (a path on the organizer's laptop) is left out with a warning
    rather than holding back the invitation.
    """
    if not ref:
        return None
    if ref.startswith("data:image/"):
        header, _comma, payload = ref.partition(",")
        subtype = header.removeprefix("data:image/").split(";")[0]
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            log.warning("the %s image is not valid base64: left out", cid)
            return None
        return InlineImage(cid, data, subtype) if 0 < len(data) <= MAX_IMAGE_BYTES else None
    path = Path(ref)
    known = SUBTYPES.get(path.suffix.lower())
    try:
        if known is None or path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return InlineImage(cid, path.read_bytes(), known)
    except OSError:
        log.warning("the %s image %s cannot be read on the server: left out", cid, ref)
        return None


def qr_png(code: str) -> bytes:
    """A PNG QR code of `code` that phone screens and door scanners read (error correction M)."""
    maker = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    maker.add_data(code)
    maker.make(fit=True)
    out = io.BytesIO()
    maker.make_image().save(out)
    return out.getvalue()
