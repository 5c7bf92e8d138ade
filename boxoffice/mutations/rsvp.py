"""A guest's answer from the RSVP page (G11): accepted or declined, the form's answers, the companions.

Only the server runs these (no device role may push them): the RSVP page calls them with the
server's stamp, and the organizer's devices get the rows on their next pull.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_
from boxoffice.model.events import Event
from boxoffice.model.invitations import Companion, Guest, Invitation
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import Id, MutationArgs, Name, Row, Time
from boxoffice.mutations.fields import set_fields

ANSWERS = ("accepted", "declined")
# An invitation in these states takes no more answers: its links are used up.
CLOSED_INVITATIONS = ("cancelled", "withdrawn", "archived")
GUEST_FIELDS = {"status", "answers", "answered_at"}
MAX_NAME = 200


def registration_closes_at(session: Session, invitation: Invitation) -> datetime | None:
    """The event's registration deadline, else its start: after that, answers no longer change."""
    event = session.get(Event, invitation.event_id) if invitation.event_id else None
    if event is None:
        return None
    deadline = (event.sending or {}).get("deadline")
    if deadline:
        parsed = datetime.fromisoformat(str(deadline))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return event.starts_at


def present_companions(session: Session, guest_id: str) -> list[Companion]:
    """The guest's companions in the order the guest gave them (removed ones have an even `cl`)."""
    rows = session.scalars(select(Companion).where(Companion.guest_id == guest_id, Companion.deleted.is_(False))
                           .order_by(Companion.created_at, Companion.id))
    return [c for c in rows if c.cl % 2 == 1]


def _guest(ctx: MutationContext, guest_id: str) -> tuple[Guest, Invitation]:
    guest = ctx.session.get(Guest, guest_id)
    invitation = ctx.session.get(Invitation, guest.invitation_id) if guest is not None else None
    if guest is None or guest.deleted or invitation is None or invitation.deleted:
        raise MutationRejected(N_("the guest {guest_id} does not exist"), guest_id=guest_id)
    if invitation.status in CLOSED_INVITATIONS or invitation.status == "draft":
        raise MutationRejected(N_("the invitation {id} is {status}: it takes no answers"),
                               id=invitation.id, status=invitation.status)
    return guest, invitation


class CompanionRow(Row):
    id: Id
    name: Annotated[str, StringConstraints(strict=True, max_length=MAX_NAME * 4)]
    code: Name


class RsvpAnswer(MutationArgs):
    """A guest's answer; `companions` is the whole wanted set, ids and codes made by the caller."""

    mutation = "rsvp.answer"
    guest_id: Id
    status: Name
    answers: dict[str, Any] = {}
    answered_at: Time
    companions: list[CompanionRow] = Field(default=[], max_length=1000)


def _check(ctx: MutationContext, invitation: Invitation, args: RsvpAnswer, answered_at: datetime) -> None:
    if args.status not in ANSWERS:
        raise MutationRejected(N_("an answer is accepted or declined, not {status}"), status=repr(args.status))
    closes = registration_closes_at(ctx.session, invitation)
    if closes is not None and answered_at > closes:
        raise MutationRejected(N_("registration closed at {closes}"), closes=closes.isoformat())
    companions = args.companions
    if args.status == "declined" and companions:
        raise MutationRejected(N_("a guest who declines brings no companions"))
    if len(companions) > invitation.companions:
        # The numbers stand apart from the noun: "1 companions" cannot happen in any language.
        raise MutationRejected(N_("too many companions: at most {most}, not {given}"),
                               most=invitation.companions, given=len(companions))
    if any(not c.name.strip() or len(c.name) > MAX_NAME for c in companions):
        raise MutationRejected(N_("every companion needs a name of 1 to {most} characters"), most=MAX_NAME)


def _set_companions(ctx: MutationContext, guest: Guest, wanted: list[CompanionRow]) -> None:
    """Causal length: removing makes `cl` even, adding back makes it odd again; names are LWW."""
    known = {c.id: c for c in ctx.session.scalars(select(Companion).where(Companion.guest_id == guest.id))}
    wanted_ids = {w.id for w in wanted}
    for companion in known.values():
        if companion.cl % 2 == 1 and companion.id not in wanted_ids:
            companion.cl += 1
            companion.hlc = max(companion.hlc, ctx.hlc)
            ctx.touch("companions", companion.id, "organizer")
    now = datetime.now(UTC)
    for item in wanted:
        found = known.get(item.id) or ctx.session.get(Companion, item.id)
        if found is None:
            ctx.session.add(Companion(id=item.id, guest_id=guest.id, name=item.name.strip(),
                                      code=item.code, cl=1, hlc=ctx.hlc, field_hlc={}, created_at=now))
        elif found.guest_id != guest.id or found.deleted:
            raise MutationRejected(N_("the companion {id} is not this guest's"), id=found.id)
        else:
            if found.cl % 2 == 0:
                found.cl += 1
                found.hlc = max(found.hlc, ctx.hlc)
            set_fields(ctx, found, {"name": item.name.strip()}, {"name"})
        ctx.touch("companions", item.id, "organizer")


@mutator(RsvpAnswer, roles=(), summary=lambda a: f"guest {a.guest_id} {a.status}")
def answer(ctx: MutationContext, args: RsvpAnswer) -> Result:
    """Record a guest's answer; `companions` is the whole wanted set as [{id, name, code}] made by the caller.

    The caller (the RSVP page) has checked the answers against the invitation's form: that check
    lives in boxoffice.services, a layer above the mutators.
    """
    guest, invitation = _guest(ctx, args.guest_id)
    answered_at = datetime.fromisoformat(args.answered_at).astimezone(UTC)
    _check(ctx, invitation, args, answered_at)
    answers = dict(args.answers) if args.status == "accepted" else {}
    written = set_fields(ctx, guest, {"status": args.status, "answers": answers, "answered_at": answered_at},
                         GUEST_FIELDS)
    _set_companions(ctx, guest, list(args.companions) if args.status == "accepted" else [])
    ctx.touch("guests", guest.id, "organizer")
    return {"written": written, "companions": len(args.companions)}
