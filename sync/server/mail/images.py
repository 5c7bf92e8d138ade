"""Images a message carries inline: the event's logo and banner, and entry QR codes."""

from __future__ import annotations

import base64
import binascii
import io
import logging
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

log = logging.getLogger(__name__)
# The image types a message or the RSVP page carries, as `data:image/<subtype>` names them.
SUBTYPES = frozenset({"png", "jpeg", "gif", "svg+xml"})
MAX_IMAGE_BYTES = 2_000_000


@dataclass(frozen=True)
class InlineImage:
    """An image/<subtype> part the HTML shows through `cid:<cid>`."""

    cid: str
    data: bytes
    subtype: str


def load_image(ref: str, cid: str) -> InlineImage | None:
    """The image behind an appearance value, which the devices send as a `data:image/...;base64,` URI.

    Nothing else is read: a file path would let an organizer have the server read (and the RSVP
    page serve) any of its files. A value that is not a usable image is left out with a warning
    rather than holding back the invitation.
    """
    if not ref:
        return None
    header, comma, payload = ref.partition(",")
    if not (header.startswith("data:image/") and header.endswith(";base64") and comma):
        log.warning("the %s image is not an embedded image: left out", cid)
        return None
    subtype = header.removeprefix("data:image/").removesuffix(";base64").split(";")[0]
    if subtype not in SUBTYPES:
        log.warning("the %s image is of an unknown type %r: left out", cid, subtype)
        return None
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        log.warning("the %s image is not valid base64: left out", cid)
        return None
    return InlineImage(cid, data, subtype) if 0 < len(data) <= MAX_IMAGE_BYTES else None


def qr_png(code: str) -> bytes:
    """A PNG QR code of `code` that phone screens and door scanners read (error correction M)."""
    maker = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    maker.add_data(code)
    maker.make(fit=True)
    out = io.BytesIO()
    maker.make_image().save(out)
    return out.getvalue()
