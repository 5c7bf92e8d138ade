"""The frame of every RSVP page: language, event colours and logo, escaping, security headers."""

from __future__ import annotations

import functools
import gettext
import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.core import negotiate_locale
from fastapi.responses import HTMLResponse

from boxoffice import i18n
from boxoffice.model.events import Event
from boxoffice.services.event_dates import event_when
from boxoffice.services.message_template import is_colour

DEFAULT_PRIMARY, DEFAULT_BACKGROUND = "#1f4e79", "#ffffff"
# An image the page can show without fetching anything: an inline PNG, JPEG or GIF.
_INLINE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=]+$")
IMAGES = ("logo", "banner")


def esc(value: object) -> str:
    """Everything a guest or an organizer typed goes through here before it reaches the page."""
    return html.escape(str(value), quote=True)


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of `language` (English when unknown); pages are served in many languages at once,
    so each request uses its own translator instead of the process-wide one."""
    return i18n.catalog(language if language in i18n.LANGUAGES else "en")


def language_of(accept_language: str | None) -> str:
    """The browser's most preferred supported language (Babel matches fr-CH to fr), for pages that belong
    to no invitation (a wrong link) and the pass area."""
    found = negotiate_locale(_preferred(accept_language or ""), list(i18n.LANGUAGES), sep="-")
    return found.lower() if found else "en"


def _preferred(accept_language: str) -> list[str]:
    """An Accept-Language header's tags, most preferred first (RFC 9110 weights, q=0 meaning "not this")."""
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, *parameters = (piece.strip() for piece in part.split(";"))
        weight = next((value for name, _eq, value in (p.partition("=") for p in parameters) if name == "q"), "1")
        try:
            quality = float(weight)
        except ValueError:
            continue
        if tag and tag != "*" and quality > 0:
            weighted.append((quality, tag))
    return [tag for _quality, tag in sorted(weighted, key=lambda pair: -pair[0])]


@dataclass(frozen=True)
class Look:
    """The page's language and the event's appearance, checked before they reach the style sheet."""

    language: str
    primary: str = DEFAULT_PRIMARY
    background: str = DEFAULT_BACKGROUND
    logo: str = ""
    banner: str = ""
    timezone: str = "UTC"

    @property
    def gettext(self) -> Callable[[str], str]:
        return translations(self.language).gettext

    @property
    def ngettext(self) -> Callable[[str, str, int], str]:
        return translations(self.language).ngettext

    def when(self, moment: datetime) -> str:
        # The same words as the e-mails (invitations.event_date): one function, the venue's zone.
        return event_when(moment, self.language, self.timezone)


def _image_src(appearance: dict[str, Any], name: str, token: str) -> str:
    """Where the page finds the event's logo or banner: this link's image route, which the browser caches
    (an image embedded in the event would otherwise weigh on every page), or inline on a page without a link."""
    ref = str(appearance.get(name) or "")
    if not ref:
        return ""
    if token:
        return f"/rsvp/{token}/{name}"
    return ref if _INLINE_IMAGE.match(ref) else ""


def look_of(language: str, event: Event | None, token: str = "") -> Look:
    appearance: dict[str, Any] = dict(event.appearance or {}) if event is not None else {}
    sending: dict[str, Any] = dict(event.sending or {}) if event is not None else {}
    primary, background = str(appearance.get("primary_colour", "")), str(appearance.get("background_colour", ""))
    return Look(language if language in i18n.LANGUAGES else "en",
                primary if is_colour(primary) else DEFAULT_PRIMARY,
                background if is_colour(background) else DEFAULT_BACKGROUND,
                _image_src(appearance, "logo", token), _image_src(appearance, "banner", token),
                str(sending.get("timezone") or "UTC"))


_CSS = """
body {{ margin: 0; font-family: system-ui, sans-serif; background: {background}; color: #1b1b1b; }}
* {{ box-sizing: border-box; }}
main {{ max-width: 40rem; margin: 0 auto; padding: 1.5rem; background: #ffffff; }}
header {{ border-bottom: 4px solid {primary}; margin-bottom: 1.5rem; }}
header img.logo {{ max-height: 5rem; }}
header img.banner {{ display: block; width: 100%; max-height: 12rem; object-fit: cover; }}
h1 {{ color: {primary}; }}
fieldset {{ border: 1px solid #c8c8c8; margin: 1rem 0; padding: 0.75rem 1rem; }}
label {{ display: block; margin: 0.4rem 0; }}
input[type=text], input[type=email], input[type=number], input[type=date] {{ width: 100%; padding: 0.4rem; }}
button, a.button {{ background: {primary}; color: #ffffff; border: 0; padding: 0.6rem 1.2rem; margin: 0.3rem 0.3rem 0 0;
  font-size: 1rem; text-decoration: none; display: inline-block; }}
button.secondary {{ background: #6b6b6b; }}
dt {{ font-weight: bold; margin-top: 0.4rem; }}
dd {{ margin-left: 0; }}
.problems {{ border-left: 4px solid #b00020; padding-left: 1rem; color: #b00020; }}
.notice {{ border-left: 4px solid {primary}; padding-left: 1rem; }}
"""


def page(look: Look, title: str, body: str, status: int = 200) -> HTMLResponse:
    """A whole page; `title` is plain text, `body` is HTML already escaped by its maker."""
    nonce = secrets.token_urlsafe(16)
    logo = "".join(f'<img class="{name}" src="{esc(src)}" alt="">'
                   for name, src in (("logo", look.logo), ("banner", look.banner)) if src)
    document = (
        f'<!doctype html><html lang="{esc(look.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f'<title>{esc(title)}</title><style nonce="{nonce}">'
        f'{_CSS.format(primary=look.primary, background=look.background)}</style></head>'
        f'<body><main><header>{logo}</header>{body}</main></body></html>')
    return HTMLResponse(document, status_code=status, headers=security_headers(nonce))


def security_headers(nonce: str) -> dict[str, str]:
    # No script at all; the link's token is in the URL, so no Referer may carry it elsewhere.
    return {
        "Content-Security-Policy": (f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
                                    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
