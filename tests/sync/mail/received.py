"""Read back what the SMTP server received: both parts, the inline images, the links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass
class Parts:
    text: str
    html: str
    images: dict[str, bytes]


def parts_of(message: EmailMessage) -> Parts:
    text = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert text is not None and page is not None, "the message lacks a plain-text or an HTML part"
    images = {str(part["Content-ID"]).strip("<>"): part.get_payload(decode=True)
              for part in message.walk() if part.get_content_maintype() == "image"}
    # SMTP carries CRLF line ends; the rendered message has LF.
    return Parts(text.get_content().replace("\r\n", "\n"), page.get_content().replace("\r\n", "\n"),
                 images)  # type: ignore[arg-type]


def cids_in(page: str) -> list[str]:
    return re.findall(r'src="cid:([^"]+)"', page)
