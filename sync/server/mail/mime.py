"""Build the MIME message: plain text and HTML alternatives, the HTML with its images inline (cid:)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email.header import Header
from email.message import Message
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, make_msgid

from boxoffice.i18n import N_
from boxoffice.services.message_template import MESSAGE_END
from sync.server.mail.compose import Translate
from sync.server.mail.images import InlineImage, qr_png

CID_DOMAIN = "boxoffice"
# What goes over SMTP and what DKIM signs: the same bytes, with CRLF line ends.
WIRE = compat32.clone(linesep="\r\n")
# The message's column (message_template.render), else the body of a message queued by an older server.
# The images go at the top of the message's column (so they line up with its text), else after <body>.
_COLUMN_OPEN = re.compile(r'<div class="message"[^>]*>')
_BODY_OPEN = re.compile(r"<body[^>]*>")


@dataclass(frozen=True)
class Sender:
    """From, its display name and Reply-To, as the sender policy (G4) decided them."""

    address: str
    name: str
    reply_to: str


@dataclass(frozen=True)
class EntryCode:
    """A QR code a confirmation carries: the guest's or a companion's, with whose it is."""

    label: str
    code: str


@dataclass
class Extras:
    """What is added to the stored bodies when sent: the event's images, entry codes, the test mark."""

    banner: InlineImage | None = None
    logo: InlineImage | None = None
    codes: list[EntryCode] = field(default_factory=list)
    kind: str = "invitation"
    # An invitation or reminder: the guest's opt-out link (RFC 8058 headers and the footer).
    unsubscribe: str = ""
    # The guest's name, shown in To beside the address.
    to_name: str = ""
    # With a bounce mailbox, the address a mail client writes to for the guest (List-Unsubscribe's mailto).
    unsubscribe_mailto: str = ""
    # An invitation or reminder: its List-Id (RFC 2919), `<invitation id>.<server's host>`, named after the sender.
    list_id: str = ""


def cid(name: str) -> str:
    return f"{name}@{CID_DOMAIN}"


def _images_html(extras: Extras, logo_alt: str) -> str:
    parts = []
    if extras.banner is not None:
        # The width attribute for clients that ignore CSS; width:100% so that a 390 px phone shrinks it.
        parts.append(f'<p><img src="cid:{extras.banner.cid}" alt="" width="600" '
                     'style="display:block;max-width:100%;height:auto"></p>')
    if extras.logo is not None:
        # The logo says who invites: a screen reader says the organizer's name instead.
        parts.append(f'<p><img src="cid:{extras.logo.cid}" alt="{html.escape(logo_alt, quote=True)}" '
                     'style="max-width:160px;height:auto"></p>')
    return "".join(parts)


def _codes(extras: Extras, tr: Translate) -> tuple[str, str, list[InlineImage]]:
    if not extras.codes:
        return "", "", []
    title = tr(N_("Show these codes at the entrance:"))
    images = [InlineImage(cid(f"qr-{n}"), qr_png(entry.code), "png") for n, entry in enumerate(extras.codes)]
    blocks = "".join(f'<p><img src="cid:{image.cid}" alt="{html.escape(entry.code)}" width="220" height="220">'
                     f"<br>{html.escape(entry.label)}</p>" for entry, image in zip(extras.codes, images, strict=True))
    text = "\n".join(f"{entry.label}: {entry.code}" for entry in extras.codes)
    return f"<h2>{html.escape(title)}</h2>{blocks}", f"\n\n{title}\n{text}\n", images


def _footer(sender: Sender, extras: Extras, tr: Translate) -> tuple[str, str]:
    """Who sends this and why, and how to get no more of it: the text and the HTML."""
    why = tr(N_("You receive this invitation because {organizer} put your address on its guest list.")).format(
        organizer=sender.name or sender.reply_to or sender.address)
    stop = tr(N_("To receive no more of its invitations:"))
    label = tr(N_("unsubscribe"))
    link = html.escape(extras.unsubscribe, quote=True)
    return (f"\n\n--\n{why}\n{stop} {extras.unsubscribe}\n",
            f'<p style="font-size:12px;color:#555555">{html.escape(why)} {html.escape(stop)} '
            f'<a href="{link}" style="color:#555555">{html.escape(label)}</a></p>')


def _one_line(name: str) -> str:
    """A name fit for a header: control characters (a line break would start a new header) become spaces."""
    return " ".join("".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in name).split())


def _to(name: str, address: str) -> str:
    """`"Name" <address>`, the name RFC 2047-encoded; beside a non-ASCII address (sent only over SMTPUTF8,
    RFC 6532) the name stays UTF-8 too, as the encoded-word form cannot carry the address."""
    name = _one_line(name)
    if address.isascii():
        return formataddr((name, address), charset="utf-8")
    # formataddr refuses a non-ASCII address: quote the name as it would (RFC 5322 quoted-string).
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{address}>' if name else address


def build(subject: str, text: str, page: str, to: str, sender: Sender, extras: Extras, tr: Translate
          ) -> Message:
    """multipart/alternative of text/plain and (multipart/related: text/html + images).

    Built with the email package's MIME classes (compat32): they give the same message as
    EmailMessage's content manager at about a quarter of the cost (measured in benchmarks/invitations.py).
    """
    if "\r" in to or "\n" in to:
        raise ValueError(f"the address {to!r} has a line break")
    codes_html, codes_text, code_images = _codes(extras, tr)
    top = _images_html(extras, sender.name or sender.address)
    opened = _COLUMN_OPEN.search(page) or _BODY_OPEN.search(page)
    if top and opened:
        page = page[:opened.end()] + top + page[opened.end():]
    footer_text, footer_html = _footer(sender, extras, tr) if extras.unsubscribe else ("", "")
    end = MESSAGE_END if MESSAGE_END in page else "</body>"
    if codes_html or footer_html:
        page = page.replace(end, codes_html + footer_html + end, 1) if end in page else page + codes_html + footer_html
    message = MIMEMultipart("alternative")
    message["Subject"] = Header(subject, "utf-8").encode()
    message["From"] = formataddr((sender.name, sender.address), charset="utf-8")
    message["To"] = _to(extras.to_name, to)
    if sender.reply_to and sender.reply_to.lower() != sender.address.lower():
        message["Reply-To"] = sender.reply_to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.address.rpartition("@")[2] or None)
    if extras.kind == "test":
        message["X-Boxoffice-Test"] = "yes"
    if extras.unsubscribe:  # RFC 8058: the mail client offers the button and posts to the link itself
        mailto = f", <mailto:{extras.unsubscribe_mailto}?subject=unsubscribe>" if extras.unsubscribe_mailto else ""
        message["List-Unsubscribe"] = f"<{extras.unsubscribe}>{mailto}"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if extras.list_id:  # RFC 2919: mail clients and filters see one invitation's messages as one mailing
        name = _one_line(sender.name)
        message["List-Id"] = formataddr((name, extras.list_id), charset="utf-8") if name else f"<{extras.list_id}>"
    if extras.kind == "confirmation":  # RFC 3834: sent by a program, so no auto-reply answers it
        message["Auto-Submitted"] = "auto-generated"
    message.attach(MIMEText(text + codes_text + footer_text, "plain", "utf-8"))
    images = [i for i in (extras.banner, extras.logo) if i is not None] + code_images
    html_part = MIMEText(page, "html", "utf-8")
    if images:
        related = MIMEMultipart("related")
        related.attach(html_part)
        for image in images:
            part = MIMEImage(image.data, image.subtype)
            part["Content-ID"] = f"<{image.cid}>"
            part.add_header("Content-Disposition", "inline")
            related.attach(part)
        message.attach(related)
    else:
        message.attach(html_part)
    return message


def wire_bytes(message: Message) -> bytes:
    """The message as SMTP carries it (CRLF), which is also what its DKIM signature covers."""
    return message.as_bytes(policy=WIRE)
