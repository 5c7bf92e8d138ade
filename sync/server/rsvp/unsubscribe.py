"""`GET`/`POST /unsubscribe/{token}`: a guest's one-click opt-out (RFC 8058) from its organizer's invitations.

The mail client posts `List-Unsubscribe=One-Click` to the link in the header; a person opening the link
gets a page with one button, so a link checker that fetches it opts nobody out. The opt-out is
recorded for the organizer (contacts.opt_out) and reaches its devices at their next pull.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from boxoffice import mutations
from boxoffice.model.contacts import OptOut
from boxoffice.model.events import Event
from boxoffice.model.invitations import Guest
from boxoffice.mutations.contacts import opt_out_id
from sync.server.body import read_bytes
from sync.server.database import Database
from sync.server.deps import database, session
from sync.server.mail.writes import finish, server_context
from sync.server.rsvp.answers import lock_changes
from sync.server.rsvp.layout import Look, esc, look_of, page
from sync.server.rsvp.routes import link_refused, too_many_submissions
from sync.server.rsvp.visit import LinkNotFound, guest_of

router = APIRouter(tags=["rsvp"], include_in_schema=False)
PATH = "/unsubscribe/"
_MULTIPART_CLICK = re.compile(rb'name="List-Unsubscribe"\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n')


@dataclass(frozen=True)
class Unsubscriber:
    """Whose link it is: the guest, its organizer and how the pages should look."""

    guest: Guest
    organizer_id: str
    organizer: str
    look: Look


def _find(opened: Session, token: str) -> Unsubscriber:
    # Unlike the RSVP link, this one keeps working after registration closed or the invitation was withdrawn.
    guest, invitation, owner = guest_of(opened, token)
    event = opened.get(Event, invitation.event_id) if invitation.event_id else None
    organizer = str((event.sending or {}).get("organizer", "")) if event is not None else ""
    return Unsubscriber(guest, owner, organizer, look_of(invitation.language, event, token))


def _is_opted_out(opened: Session, who: Unsubscriber) -> bool:
    row = opened.get(OptOut, opt_out_id(who.organizer_id, who.guest.email))
    return row is not None and not row.deleted


def _done_page(who: Unsubscriber, status: int = 200) -> Response:
    _ = who.look.gettext
    title = _("You are unsubscribed")
    said = _("{email} will receive no more invitations from {organizer}.").format(
        email=who.guest.email, organizer=who.organizer or _("this organizer"))
    again = _("If this was a mistake, tell the organizer: only they can invite you again.")
    return page(who.look, title, f'<h1 id="done">{esc(title)}</h1><p>{esc(said)}</p><p>{esc(again)}</p>', status)


async def one_click(request: Request) -> bool:
    """Whether the body says `List-Unsubscribe=One-Click`, urlencoded or as multipart form data (RFC 8058 §3.1)."""
    body = await read_bytes(request)  # no more than the route's limit (limits.py)
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/x-www-form-urlencoded"):
        try:
            return parse_qs(body.decode(), max_num_fields=20).get("List-Unsubscribe") == ["One-Click"]
        except (UnicodeDecodeError, ValueError):
            return False
    if kind.startswith("multipart/form-data"):
        return _MULTIPART_CLICK.search(body) is not None
    return False


@router.get(PATH + "{token}")
def ask(token: str, request: Request, opened: Annotated[Session, Depends(session)]) -> Response:
    """One button, so that opening the link (or a scanner fetching it) opts nobody out."""
    try:
        who = _find(opened, token)
    except LinkNotFound as exc:
        return link_refused(request, exc)
    if _is_opted_out(opened, who):
        return _done_page(who)
    _ = who.look.gettext
    title = _("Unsubscribe")
    question = _("Receive no more invitations from {organizer} at {email}?").format(
        organizer=who.organizer or _("this organizer"), email=who.guest.email)
    button = _("Unsubscribe")
    body = (f'<h1>{esc(title)}</h1><p>{esc(question)}</p>'
            f'<form method="post" action="{PATH}{esc(token)}">'
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
            f'<button type="submit" id="unsubscribe">{esc(button)}</button></form>')
    return page(who.look, title, body)


@router.post(PATH + "{token}")
def unsubscribe(token: str, request: Request, opened: Annotated[Session, Depends(session)],
                db: Annotated[Database, Depends(database)],
                clicked: Annotated[bool, Depends(one_click)]) -> Response:
    """RFC 8058: the body is `List-Unsubscribe=One-Click`; the opt-out is recorded once, in one transaction."""
    slowed = too_many_submissions(request, f"unsubscribe:{token}")
    if slowed is not None:
        return slowed
    opened.rollback()  # end the read transaction before taking the writer's turn, as a push does
    with db.writing():
        try:
            who = _find(opened, token)
        except LinkNotFound as exc:
            return link_refused(request, exc)
        if not clicked:
            _ = who.look.gettext
            return page(who.look, _("Unsubscribe"), f"<p>{esc(_('Please use the button on the page.'))}</p>", 400)
        lock_changes(opened, who.organizer_id)
        ctx = server_context(opened, who.organizer_id)
        mutations.lookup("contacts.opt_out").run(ctx, {
            "id": opt_out_id(who.organizer_id, who.guest.email), "email": who.guest.email, "source": "link",
            "guest_id": who.guest.id})
        finish(ctx, who.organizer_id)
        opened.commit()
    return _done_page(who)
