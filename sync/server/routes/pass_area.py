# SPDX-License-Identifier: AGPL-3.0-or-later
"""`GET`/`POST /pass/{token}`: the holder's pass area, where a fixed seat is put on resale for a date (P5).

The token is the pass id and a tag only the pass's secret gives (`pass_sales.area_token`), so the
link can be printed offline. The form is protected like the RSVP form: a signed double-submit
cookie bound to the link. The page speaks the language recorded with the pass, else English.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice import mutations
from boxoffice.model.events import BoxOffice
from boxoffice.model.passes import Pass, PassDefinition
from boxoffice.mutations import MutationContext, MutationRejected
from boxoffice.mutations.passes import ResaleOffer
from boxoffice.services.iban import IbanError
from boxoffice.services.pass_sales import pass_for_token
from boxoffice.services.resale import ResaleRefused, check_offer, resale_dates
from sync.server import replication
from sync.server.database import Database
from sync.server.deps import accepted_token_keys, database, session, token_key
from sync.server.routes.pass_area_page import CSRF_FIELD, PassView, message_page, pass_page
from sync.server.rsvp import csrf
from sync.server.rsvp.layout import Look, language_of, security_headers, translations
from sync.server.rsvp.routes import Posted, posted_form, too_many_submissions
from sync.server.tables import ChangeCounter, RowChange

router = APIRouter(tags=["pass area"], include_in_schema=False)
COOKIE = "pass_csrf"
TOKEN = re.compile(r"^[0-9a-f-]{36}\.[a-z2-7]{24}$")


def _csrf_value(key: bytes, cookie: str, token: str) -> str:
    return hmac.new(key, f"pass-area|{cookie}|{token}".encode(), hashlib.sha256).hexdigest()


def _opened_pass(opened: Session, token: str) -> tuple[Pass, PassDefinition, str] | None:
    """The pass, its definition and its organizer; None for a malformed, unknown or forged token."""
    held = pass_for_token(opened, token) if TOKEN.match(token) else None
    definition = opened.get(PassDefinition, held.definition_id) if held is not None else None
    owner = opened.scalar(select(RowChange.organizer_id).where(
        RowChange.entity == "passes", RowChange.entity_id == held.id)) if held is not None else None
    if held is None or definition is None or owner is None:
        return None
    return held, definition, owner


def _look(opened: Session, held: Pass, definition: PassDefinition) -> Look:
    office = opened.get(BoxOffice, definition.box_office_id) if definition.box_office_id else None
    language = str((held.holder or {}).get("language") or "en")
    return Look(language if language in ("en", "fr", "de", "it", "es") else "en",
                timezone=office.timezone if office else "UTC")


def _not_found(request: Request) -> Response:
    look = Look(language_of(request.headers.get("accept-language")))
    _ = translations(look.language).gettext
    return message_page(look, _("This link does not work"),
                        _("Check that you opened the whole link to your pass area."), 404)


def _render(request: Request, opened: Session, token: str, view: PassView, look: Look, status: int = 200
            ) -> Response:
    cookie = csrf.usable_cookie(request.cookies.get(COOKIE)) or csrf.new_cookie()
    response = pass_page(view, look, _csrf_value(token_key(request, opened), cookie, token), status)
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", path="/pass/",
                        secure=request.url.scheme == "https")
    return response


@router.get("/pass/{token}")
def show(token: str, request: Request, opened: Annotated[Session, Depends(session)],
         saved: str | None = None) -> Response:
    """The pass, its seats date by date with their resale status, and the resale form."""
    found = _opened_pass(opened, token)
    if found is None:
        return _not_found(request)
    held, definition, _owner = found
    view = PassView(held, definition, resale_dates(opened, held.id), saved=saved is not None)
    return _render(request, opened, token, view, _look(opened, held, definition))


def _first(posted: Posted, name: str) -> str:
    return (posted.get(name) or [""])[0].strip()


@router.post("/pass/{token}")
def put_on_resale(token: str, request: Request, opened: Annotated[Session, Depends(session)],
                  db: Annotated[Database, Depends(database)],
                  posted: Annotated[Posted | None, Depends(posted_form)]) -> Response:
    """Check the form's origin and content, record the resale in one transaction (POST-redirect-GET)."""
    slowed = too_many_submissions(request, f"pass:{token}")
    if slowed is not None:
        return slowed
    found = _opened_pass(opened, token)
    if found is None:
        return _not_found(request)
    keys = accepted_token_keys(request, opened)
    look = _look(opened, found[0], found[1])
    _ = look.gettext
    if posted is None or not _csrf_ok(keys, request.cookies.get(COOKIE), token, _first(posted, CSRF_FIELD)):
        return message_page(look, _("This form has expired"),
                            _("Please open your pass area again and send the form once more."), 403)
    form = {name: _first(posted, name) for name in ("date_id", "payout_kind", "iban", "account_holder")}
    opened.rollback()  # end the read transaction before taking the writer's turn, as a push does
    with db.writing():
        opened.execute(select(ChangeCounter.value).where(ChangeCounter.organizer_id == found[2]).with_for_update())
        held, definition, owner = found
        opened.refresh(held)
        try:
            args = check_offer(opened, held.id, form["date_id"], form["payout_kind"], form["iban"],
                               form["account_holder"], datetime.now(UTC))
            _offer_on_server(opened, owner, args)
            opened.commit()
        except (IbanError, ResaleRefused, MutationRejected) as exc:
            opened.rollback()
            problem = exc.message(look.gettext) if isinstance(exc, IbanError | ResaleRefused) else _(
                "Your seat could not be put on resale: please open your pass area again.")
            view = PassView(held, definition, resale_dates(opened, held.id), form, problem)
            return _render(request, opened, token, view, look, 422)
    return RedirectResponse(f"/pass/{token}?saved=1", status_code=303, headers=security_headers("none"))


def _csrf_ok(keys: tuple[bytes, ...], cookie: str | None, token: str, sent: str) -> bool:
    # Any accepted key: a page served just before rotate-key can still be sent once.
    usable = csrf.usable_cookie(cookie)
    return usable is not None and bool(sent) and any(hmac.compare_digest(
        _csrf_value(key, usable, token).encode(), sent.encode()) for key in keys)  # bytes: non-ASCII str raises


def _offer_on_server(opened: Session, organizer_id: str, args: ResaleOffer) -> None:
    """Run `resale.offer` as the server and number its rows, so the desks pull the seat back on sale."""
    ctx = MutationContext(opened, replication.server_hlc(), "server", "pass area", on_server=True,
                          role="organizer")
    mutations.lookup(args.mutation).run(ctx, args)
    opened.flush()
    # replication's own numbering, so these rows reach devices exactly as pushed changes do.
    replication.number_changes(opened, organizer_id, ctx.touched)
