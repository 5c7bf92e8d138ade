"""The RSVP pages other than the form: the event header, the answer as recorded, the guest list, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.responses import HTMLResponse

from sync.server.rsvp.answers import field_label
from sync.server.rsvp.layout import Look, esc, page
from sync.server.rsvp.visit import Visit

Gettext = Callable[[str], str]


def event_header(visit: Visit, look: Look) -> str:
    _ = look.gettext
    event = visit.event
    name = event.name if event is not None else visit.invitation.name
    facts = [look.when(event.starts_at)] if event is not None and event.starts_at is not None else []
    facts += [event.location] if event is not None and event.location else []
    organizer = str((event.sending or {}).get("organizer", "")) if event is not None else ""
    guest = f"{visit.guest.first_name} {visit.guest.last_name}".strip()
    greeting = _("Hello {name},").format(name=guest) if guest else _("Hello,")
    invites = _("{organizer} invites you.").format(organizer=organizer) if organizer else ""
    return (f"<h1>{esc(name)}</h1><p>{' · '.join(esc(f) for f in facts)}</p>"
            f"<p>{esc(greeting)} {esc(invites)}</p>")


def guest_list(visit: Visit, look: Look, names: list[tuple[str, str]] | None = None) -> str:
    """Who is coming, only when the organizer chose to show it (G7); `names` come from the caller's query."""
    if not visit.invitation.show_guest_list or not names:
        return ""
    _ = look.gettext
    items = "".join(f"<li>{esc(f'{first} {last}'.strip())}</li>" for first, last in names)
    title = _("Who is coming")
    return f'<section id="guest-list"><h2>{esc(title)}</h2><ul>{items}</ul></section>'


def _shown(value: Any, _: Gettext) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _answer_list(visit: Visit, _: Gettext) -> str:
    answers = visit.guest.answers or {}
    rows = "".join(f"<dt>{esc(field_label(spec, _))}</dt><dd>{esc(_shown(answers.get(spec['key']), _))}</dd>"
                   for spec in visit.invitation.form if answers.get(spec["key"]) not in (None, "", []))
    companions = "".join(f"<li>{esc(c.name)}</li>" for c in visit.companions)
    out = f"<dl>{rows}</dl>" if rows else ""
    if companions:
        title = _("Your companions")
        out += f'<h3>{esc(title)}</h3><ul id="companions">{companions}</ul>'
    return out


def _editing(visit: Visit, look: Look) -> str:
    _ = look.gettext
    if not visit.is_open:
        assert visit.closes_at is not None
        text = _("Registration closed on {date}: your answer can no longer change.").format(
            date=look.when(visit.closes_at))
        return f'<p class="notice" id="closed">{esc(text)}</p>'
    until = (_("You can change your answer until {date}.").format(date=look.when(visit.closes_at))
             if visit.closes_at is not None else _("You can change your answer until the event."))
    change = _("Change my answer")
    return (f"<p>{esc(until)}</p>"
            f'<a class="button" href="/rsvp/{esc(visit.guest.token)}?edit=1">{esc(change)}</a>')


def answer_page(visit: Visit, look: Look, saved: bool, names: list[tuple[str, str]] | None) -> HTMLResponse:
    """The answer as recorded: the confirmation after sending, and what the link shows afterwards."""
    _ = look.gettext
    thanks = _("Thank you: your answer is saved.")
    thanks = f'<p class="notice" id="saved">{esc(thanks)}</p>' if saved else ""
    if visit.guest.status == "accepted":
        verdict = _("You accepted the invitation.")
        details = _answer_list(visit, _)
        if saved:
            details += "<p>" + esc(_("A confirmation email is on its way to {email}.").format(
                email=visit.guest.answers.get("email") or visit.guest.email)) + "</p>"
    else:
        verdict, details = _("You declined the invitation."), ""
    body = (f'{event_header(visit, look)}{thanks}<h2 id="verdict">{esc(verdict)}</h2>{details}'
            f"{_editing(visit, look)}{guest_list(visit, look, names)}")
    return page(look, verdict, body)


def error_page(look: Look, title: str, message: str, status: int) -> HTMLResponse:
    """A plain page that says what went wrong and what to do; `title` and `message` are translated text."""
    return page(look, title, f'<h1 id="error">{esc(title)}</h1><p>{esc(message)}</p>', status)
