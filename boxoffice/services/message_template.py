"""Invitation subject and body with per-recipient variables (G5): check, then render as text and HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
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


def _linkify(escaped: str) -> str:
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)


def render(subject: str, body: str, values: Mapping[str, str], appearance: Mapping[str, str] | None = None,
           gettext: Callable[[str], str] | None = None) -> RenderedMessage:
    """The message one recipient gets: the subject (one line), plain text and simple HTML.

    Values and the organizer's own text are escaped in the HTML, so a name like `<script>` shows
    as text; only links we recognise become anchors. `gettext` translates the fixed texts into the
    invitation's language (the server's sender passes one); by default the current language.
    """
    tr = gettext or _  # N_ below keeps the msgid extracted whichever translator runs
    look = appearance or {}
    colour = _colour(look.get("primary_colour", ""), "#1f4e79")
    background = _colour(look.get("background_colour", ""), "#ffffff")
    one_line = " ".join(fill(subject, values).split())
    paragraphs = [p for p in fill(body, values, escape=True).split("\n\n")]
    body_html = "\n".join(f"<p>{_linkify(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    link = html.escape(values.get("rsvp_link", ""), quote=True)
    label = html.escape(tr(N_("Answer the invitation")))  # outside the f-string, where pybabel finds it
    button = (f'<p><a href="{link}" style="background:{colour};color:#ffffff;padding:10px 18px;'
              f'text-decoration:none;border-radius:4px">{label}</a></p>' if link else "")
    page = (f'<html><body style="background:{background};font-family:sans-serif">'
            f'<h2 style="color:{colour}">{html.escape(one_line)}</h2>\n{body_html}\n{button}</body></html>')
    return RenderedMessage(one_line, fill(body, values), page)


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _colour(value: str, default: str) -> str:
    return value if _COLOUR.match(value or "") else default


def is_colour(value: str) -> bool:
    return bool(_COLOUR.match(value))
