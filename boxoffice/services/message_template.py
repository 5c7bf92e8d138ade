"""Invitation subject and body with per-recipient variables (G5): check, then render as text and HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from boxoffice.i18n import N_, _

FIELD_PREFIX = "field:"
# The variables every recipient has, with what they mean (shown in the wizard's help).
VARIABLES: dict[str, str] = {
    "first_name": N_("the guest's first name"),
    "last_name": N_("the guest's last name"),
    "email": N_("the guest's email address"),
    "event_name": N_("the event's name"),
    "event_date": N_("the event's date and time"),
    "location": N_("the event's location"),
    "organizer": N_("the organizer's name"),
    "rsvp_link": N_("the guest's personal link to answer"),
}
# `{{` and `}}` are literal braces; anything else between braces is a variable.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_URL = re.compile(r"https?://[^\s<>\"']+")


class TemplateError(ValueError):
    """A subject or body uses a variable that does not exist; the message names it."""


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def variables_in(template: str) -> list[str]:
    """The variable names a template uses, in order of first use."""
    seen: list[str] = []
    for match in _TOKEN.finditer(template):
        name = match.group(1)
        if name is not None and name.strip() not in seen:
            seen.append(name.strip())
    return seen


def unknown_variables(template: str, custom_fields: Iterable[str]) -> list[str]:
    fields = set(custom_fields)
    return [name for name in variables_in(template)
            if name not in VARIABLES and not (name.startswith(FIELD_PREFIX) and name[len(FIELD_PREFIX):] in fields)]


def check_template(template: str, custom_fields: Iterable[str], what: str) -> None:
    """Raise TemplateError naming every unknown variable of `template`; `what` is e.g. "The subject"."""
    fields = list(custom_fields)
    unknown = unknown_variables(template, fields)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        raise TemplateError(_("{what} uses an unknown variable: {names}.").format(what=what, names=names) + " " + (
            _("Custom fields of the chosen lists: {fields}.").format(
                fields=", ".join("{field:" + f + "}" for f in fields)) if fields else
            _("The chosen lists have no custom fields.")))
    if template.count("{") - 2 * template.count("{{") != template.count("}") - 2 * template.count("}}"):
        raise TemplateError(_("{what} has an unmatched brace; write {{{{ or }}}} for a literal brace.").format(
            what=what))


def fill(template: str, values: Mapping[str, str], escape: bool = False) -> str:
    """Replace each variable by its value; with `escape`, text and values are HTML-escaped."""
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(template):
        out.append(_text(template[last:match.start()], escape))
        token = match.group(0)
        if token in ("{{", "}}"):
            out.append(token[0])
        else:
            out.append(_text(values.get(match.group(1).strip(), ""), escape))
        last = match.end()
    out.append(_text(template[last:], escape))
    return "".join(out)


def _text(value: str, escape: bool) -> str:
    return html.escape(value, quote=True) if escape else value


# Where the sender puts the event's images (after the opening) and the codes and footer (before the end).
MESSAGE_OPEN = '<div class="message"'
MESSAGE_END = "<!-- end of message -->"
ANSWER_BUTTON = N_("Answer the invitation")
# A URL the organizer typed wraps anywhere rather than widening a phone's screen.
_WRAP = "overflow-wrap:anywhere;word-break:break-all"


def _linkify(escaped: str, rsvp: str, button: str) -> str:
    """Links we recognise become anchors; the guest's own link becomes the button, never the bare URL."""
    def anchor(match: re.Match[str]) -> str:
        url = match.group(0)
        return button if rsvp and url == rsvp and button else f'<a href="{url}" style="{_WRAP}">{url}</a>'
    return _URL.sub(anchor, escaped)


def render(subject: str, body: str, values: Mapping[str, str], appearance: Mapping[str, str] | None = None,
           gettext: Callable[[str], str] | None = None, *, language: str = "en", button: str = ANSWER_BUTTON,
           notes: Sequence[str] = ()) -> RenderedMessage:
    """The message one recipient gets: the subject (one line), plain text and a whole HTML document.

    Values and the organizer's own text are escaped in the HTML, so a name like `<script>` shows
    as text; only links we recognise become anchors. `gettext` translates the fixed texts into the
    invitation's language (the server's sender passes one); by default the current language.
    The document is one fluid column at most 600 px wide in `language` (phones lay out a page without a
    viewport at 980 px); the RSVP link is a button labelled `button` (a msgid, "" for a plain link) and
    is written out in full in the text part. `notes` are paragraphs added after the body, already translated.
    """
    tr = gettext or _  # N_ below keeps the msgid extracted whichever translator runs
    look = appearance or {}
    colour = _colour(look.get("primary_colour", ""), "#1f4e79")
    background = _colour(look.get("background_colour", ""), "#ffffff")
    one_line = " ".join(fill(subject, values).split())
    rsvp = values.get("rsvp_link", "")
    link = html.escape(rsvp, quote=True)
    label = html.escape(tr(button)) if button else ""
    button_html = (f'<a href="{link}" style="display:inline-block;background:{colour};color:#ffffff;'
                   f'padding:12px 20px;text-decoration:none;border-radius:4px;font-weight:bold">{label}</a>'
                   if link and label else "")
    filled = fill(body, values, escape=True)
    paragraphs = filled.split("\n\n") + [html.escape(note) for note in notes]
    body_html = "\n".join(f"<p>{_linkify(p, link, button_html).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if button_html and link not in filled:
        body_html += f"\n<p>{button_html}</p>"
    text = fill(body, values) + "".join(f"\n\n{note}" for note in notes)
    if rsvp and rsvp not in text:
        text += f"\n\n{tr(button) if button else ''}\n{rsvp}".replace("\n\n\n", "\n\n")
    page = (f'<!doctype html><html lang="{html.escape(language, quote=True)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(one_line)}</title></head>'
            f'<body style="margin:0;padding:0;background:{background};font-family:sans-serif">'
            # One main landmark, so a screen reader can jump to the message (a page on its own, as some clients
            # show it; webmail keeps its own landmarks around it).
            f'<main>{MESSAGE_OPEN} style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff;color:#1b1b1b;'
            f'line-height:1.5;overflow-wrap:break-word">'
            f'<h1 style="color:{colour};font-size:22px">{html.escape(one_line)}</h1>\n{body_html}\n'
            f'{MESSAGE_END}</div></main></body></html>')
    return RenderedMessage(one_line, text, page)


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _colour(value: str, default: str) -> str:
    return value if _COLOUR.match(value or "") else default


def is_colour(value: str) -> bool:
    return bool(_COLOUR.match(value))
