"""`GET`/`POST /rsvp/{token}`: the page a guest's invitation link opens, and the answer it sends (G11)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from boxoffice.mutations import MutationRejected
from sync.server.body import read_bytes
from sync.server.database import Database
from sync.server.deps import accepted_token_keys, database, session, token_key
from sync.server.mail import queue as mail_queue
from sync.server.mail.images import load_image
from sync.server.rsvp import csrf
from sync.server.rsvp.answers import Posted, Reply, lock_changes, read_reply, save_reply
from sync.server.rsvp.form_page import form_page
from sync.server.rsvp.layout import IMAGES, Look, language_of, look_of, security_headers
from sync.server.rsvp.pages import answer_page, error_page
from sync.server.rsvp.visit import TOKEN, LinkGone, LinkNotFound, Visit, accepted_guests, open_link
from sync.server.throttle import Throttled, address_key, throttles

router = APIRouter(tags=["rsvp"], include_in_schema=False)
log = logging.getLogger(__name__)


class BadForm(Exception):
    """The POST body is not a form this page could have sent."""


async def posted_form(request: Request) -> Posted | None:
    """The urlencoded body (None when it is not one), read here so the endpoint can stay synchronous."""
    body = await read_bytes(request)  # no more than the route's limit (limits.py)
    if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"):
        return None
    try:
        return parse_qs(body.decode(), keep_blank_values=True, max_num_fields=500)
    except (UnicodeDecodeError, ValueError):
        return None


def _plain_look(request: Request) -> Look:
    return look_of(language_of(request.headers.get("accept-language")), None)


def link_refused(request: Request, exc: Exception) -> Response:
    """The page for a link that opens nothing: 404 for an unknown one, 410 for one that no longer works."""
    if isinstance(exc, LinkGone) and exc.visit is not None:
        look = look_of(exc.visit.invitation.language, exc.visit.event, exc.visit.guest.token)
        _ = look.gettext
        closes = exc.visit.closes_at
        message = _("Registration for this event closed on {date}.").format(date=look.when(closes)) if closes else ""
        return error_page(look, _("Registration is closed"), message, 410)
    look = _plain_look(request)
    _ = look.gettext
    if isinstance(exc, LinkGone):
        return error_page(look, _("This invitation is no longer valid"),
                          _("The organizer has withdrawn this invitation."), 410)
    if isinstance(exc, BadForm):
        return error_page(look, _("Your answer could not be read"), _(
            "Please open the link from your invitation again and send your answer from that page."), 400)
    return error_page(look, _("This link does not work"),
                      _("Check that you opened the whole link from your invitation email."), 404)


def too_many_submissions(request: Request, link: str) -> Response | None:
    """The page for a link or an address that sent too many forms lately (throttle.py), else None; counts this one."""
    limit = throttles(request).forms
    keys = (address_key(request), link)
    try:
        limit.check(*keys)
    except Throttled as exc:
        look = _plain_look(request)
        _ = look.gettext
        response = error_page(look, _("Too many tries"), _(
            "This form was sent too often in a short time. Please wait a few minutes and try again."), 429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    limit.count(*keys)
    return None


def _guests(opened: Session, visit: Visit) -> list[tuple[str, str]] | None:
    return accepted_guests(opened, visit.invitation.id) if visit.invitation.show_guest_list else None


def _with_form(request: Request, opened: Session, visit: Visit, reply: Reply | None = None, status: int = 200
               ) -> Response:
    cookie = csrf.usable_cookie(request.cookies.get(csrf.COOKIE)) or csrf.new_cookie()
    secret = csrf.form_value(token_key(request, opened), cookie, visit.guest.token)
    look = look_of(visit.invitation.language, visit.event, visit.guest.token)
    if reply is None:
        response = form_page(visit, look, secret, guests=_guests(opened, visit))
    else:
        response = form_page(visit, look, secret, reply.answers, reply.companions, reply.problems, status,
                             _guests(opened, visit))
    response.set_cookie(csrf.COOKIE, cookie, httponly=True, samesite="strict", path="/rsvp/",
                        secure=request.url.scheme == "https")
    return response


def _queue_confirmation(opened: Session, guest_id: str) -> None:
    """The confirmation email (with the QR codes when access control is on) goes out with the answer's commit."""
    try:
        mail_queue.queue_confirmation(opened, guest_id)
    except (LookupError, ValueError):
        # The answer matters more than its email: keep it, and leave the reason in the server's log.
        log.exception("the confirmation email of guest %s could not be queued", guest_id)


@router.get("/rsvp/{token}")
def show(token: str, request: Request, opened: Annotated[Session, Depends(session)],
         edit: str | None = None, saved: str | None = None) -> Response:
    """The form while the guest has not answered (or asks to change it), else the answer as recorded."""
    try:
        visit = open_link(opened, token, datetime.now(UTC))
    except (LinkNotFound, LinkGone) as exc:
        return link_refused(request, exc)
    if visit.answered and (edit is None or not visit.is_open):
        return answer_page(visit, look_of(visit.invitation.language, visit.event, visit.guest.token), saved is not None,
                           _guests(opened, visit))
    return _with_form(request, opened, visit)


@router.post("/rsvp/{token}")
def answer(token: str, request: Request, opened: Annotated[Session, Depends(session)],
           db: Annotated[Database, Depends(database)],
           posted: Annotated[Posted | None, Depends(posted_form)]) -> Response:
    """Check the form's origin and content, record the answer in one transaction, then show it (POST-redirect-GET)."""
    slowed = too_many_submissions(request, f"rsvp:{token}")
    if slowed is not None:
        return slowed
    if posted is None:
        return link_refused(request, BadForm())
    keys = accepted_token_keys(request, opened)
    opened.rollback()  # end the read transaction before taking the writer's turn, as a push does
    now = datetime.now(UTC)
    with db.writing():
        try:
            visit = open_link(opened, token, now)
            lock_changes(opened, visit.organizer_id)
            opened.expire_all()  # read the guest again now that no other answer can be half-way
            visit = open_link(opened, token, now)
        except (LinkNotFound, LinkGone) as exc:
            return link_refused(request, exc)
        look = look_of(visit.invitation.language, visit.event, visit.guest.token)
        if not visit.is_open:
            return link_refused(request, LinkGone("closed", visit))
        if not csrf.is_valid(keys, request.cookies.get(csrf.COOKIE), token, (posted.get(csrf.FIELD) or [""])[0]):
            _ = look.gettext
            return error_page(look, _("This form has expired"),
                              _("Please open the link from your invitation again and send your answer once more."),
                              403)
        reply = read_reply(visit, posted, look.gettext, look.ngettext)
        if reply.problems:
            return _with_form(request, opened, visit, reply, 422)
        try:
            save_reply(opened, visit, reply, now)
            if reply.status == "accepted":
                _queue_confirmation(opened, visit.guest.id)
            opened.commit()
        except MutationRejected:
            opened.rollback()
            _ = look.gettext
            return error_page(look, _("Your answer could not be saved"),
                              _("Please open the link from your invitation again and send your answer once more."),
                              409)
    return RedirectResponse(f"/rsvp/{token}?saved=1", status_code=303, headers=security_headers("none"))


@router.get("/rsvp/{token}/{name}")
def image(token: str, name: str, request: Request, opened: Annotated[Session, Depends(session)]) -> Response:
    """The event's logo or banner for the pages of this link (the embedded image the emails carry too)."""
    try:
        visit = open_link(opened, token, datetime.now(UTC))
    except LinkGone as exc:
        if exc.visit is None:
            return link_refused(request, exc)
        visit = exc.visit
    except LinkNotFound as exc:
        return link_refused(request, exc)
    appearance = dict(visit.event.appearance or {}) if visit.event is not None else {}
    found = load_image(str(appearance.get(name) or ""), name) if name in IMAGES else None
    if found is None:
        return link_refused(request, LinkNotFound(token))
    return Response(found.data, media_type=f"image/{found.subtype}",
                    headers={**security_headers("none"), "Cache-Control": "private, max-age=3600"})


@router.get("/r/{token}")
def short_link(token: str, request: Request) -> Response:
    """The short form of the link (`RSVP_BASE` on the devices) leads to the same page."""
    if not TOKEN.match(token):
        return link_refused(request, LinkNotFound(token))
    return RedirectResponse(f"/rsvp/{token}", status_code=307, headers=security_headers("none"))
