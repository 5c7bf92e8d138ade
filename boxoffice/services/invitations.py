"""Invitations (G5–G9): drafts saved at every step, recipients, preview, test send and scheduling.

Every function that writes takes the caller's unit of work and never commits; readers take a Session.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice import i18n
from boxoffice.i18n import N_, _, ngettext
from boxoffice.model.contacts import ContactList
from boxoffice.model.invitations import Guest, Invitation
from boxoffice.mutations.invitations import (
    GuestsAdd,
    InvitationCreate,
    InvitationRetry,
    InvitationSchedule,
    InvitationSendTest,
    InvitationUpdate,
)
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import credits, opt_outs
from boxoffice.services.contacts import contacts_of
from boxoffice.services.email_addresses import is_valid_email
from boxoffice.services.event_dates import event_when
from boxoffice.services.guest_events import (
    GuestEvent,
    appearance_problems,
    details_problems,
    load_guest_event,
    save_guest_event,
    sending_problems,
)
from boxoffice.services.invitation_form import default_form, form_problems
from boxoffice.services.message_template import RenderedMessage, TemplateError, check_template, render
from boxoffice.store.ids import new_secret, uuid7, uuid7_batch

STEPS = (N_("Event"), N_("Appearance"), N_("Sending"), N_("Content"), N_("Registration form"),
         N_("Recipients"), N_("Preview"), N_("Schedule"))
LAST_STEP = len(STEPS)
# The server puts its own public address in front of the token; the device shows this in previews.
RSVP_BASE = "https://rsvp.boxoffice.app/r/"
GUEST_BATCH = 5_000
MAX_REMINDERS = 5


class InvitationError(ValueError):
    """The invitation cannot go on as it is; the message says what to fix."""


@dataclass
class InvitationDraft:
    """Everything the wizard edits; `event.id` and `id` are fixed before the first save."""

    event: GuestEvent = field(default_factory=GuestEvent)
    id: str = field(default_factory=uuid7)
    step: int = 1
    status: str = "draft"
    subject: str = ""
    body: str = ""
    confirmation_subject: str = ""
    confirmation_body: str = ""
    form: list[dict[str, Any]] = field(default_factory=default_form)
    list_ids: list[str] = field(default_factory=list)
    companions: int = 0
    show_guest_list: bool = False
    scheduled_at: datetime | None = None
    reminders: list[datetime] = field(default_factory=list)
    sender: dict[str, Any] = field(default_factory=dict)

    def columns(self) -> dict[str, Any]:
        """The invitation row's values as JSON. The test address rides in `sender`."""
        return {"event_id": self.event.id, "name": self.event.name.strip(), "step": self.step,
                "language": self.event.sending.language, "subject": self.subject, "body": self.body,
                "confirmation_subject": self.confirmation_subject, "confirmation_body": self.confirmation_body,
                "form": self.form, "list_ids": self.list_ids, "companions": self.companions,
                "show_guest_list": self.show_guest_list,
                "scheduled_at": self.scheduled_at.isoformat() if self.scheduled_at else None,
                "reminders": [r.isoformat() for r in self.reminders], "sender": self.sender}


@dataclass(frozen=True)
class InvitationSummary:
    id: str
    name: str
    status: str
    step: int
    event_start: datetime | None
    guests: int
    scheduled_at: datetime | None


@dataclass(frozen=True)
class Recipient:
    contact_id: str | None
    email: str
    first_name: str
    last_name: str
    fields: dict[str, str]


def step_name(step: int) -> str:
    return _(STEPS[min(max(step, 1), LAST_STEP) - 1])


def header_problems(draft: InvitationDraft, step: int | None = None,
                    translate: Callable[[str], str] = _) -> list[str]:
    """Values that end up in a mail header (of step 3 or 4, or all): a line break or control character there
    would make every message of the invitation fail at sending time, after its credits are debited, so it is
    refused on save, and again by the server before it debits (a draft pushed by an older copy)."""
    sending = draft.event.sending
    values = {3: ((sending.organizer, N_("The organizer's name")), (sending.group_name, N_("The group name")),
                  (sending.sender_email, N_("The sender email address")),
                  (str(draft.sender.get("reply_to", "")), N_("The reply-to address"))),
              4: ((draft.subject, N_("The subject")), (draft.confirmation_subject, N_("The confirmation subject")))}
    checked = [pair for s, pairs in values.items() if step in (None, s) for pair in pairs]
    return [translate(N_("{what} cannot contain line breaks or control characters.")).format(what=translate(what))
            for value, what in checked if any(ord(c) < 32 or ord(c) == 127 for c in value)]


def save_draft(work: UnitOfWork, draft: InvitationDraft) -> None:
    """Save the event and the invitation as they are now; only changed fields are written.

    Header values are checked here, not at sending time (#13): a draft is saved at every step, so this
    refuses only what can never be sent, not what is merely unfinished.
    """
    problems = header_problems(draft)
    if problems:
        raise InvitationError(" ".join(problems))
    save_guest_event(work, draft.event)
    values = draft.columns()
    row = work.session.get(Invitation, draft.id)
    if row is None:
        work.run(InvitationCreate(id=draft.id, values=values))
        return
    if row.status != "draft":
        raise InvitationError(_("This invitation is {status} and can no longer change.").format(status=row.status))
    current = {k: getattr(row, k) for k in values}
    current["scheduled_at"] = row.scheduled_at.isoformat() if row.scheduled_at else None
    changes = {k: v for k, v in values.items() if current[k] != v}
    if changes:
        work.run(InvitationUpdate(id=draft.id, changes=changes))


def load_draft(session: Session, invitation_id: str) -> InvitationDraft:
    row = session.get(Invitation, invitation_id)
    if row is None or row.deleted or row.event_id is None:
        raise InvitationError(_("This invitation no longer exists."))
    return InvitationDraft(
        event=load_guest_event(session, row.event_id), id=row.id, step=row.step, status=row.status,
        subject=row.subject, body=row.body, confirmation_subject=row.confirmation_subject,
        confirmation_body=row.confirmation_body, form=list(row.form) or default_form(), list_ids=list(row.list_ids),
        companions=row.companions, show_guest_list=row.show_guest_list, scheduled_at=row.scheduled_at,
        reminders=[datetime.fromisoformat(r) for r in row.reminders], sender=dict(row.sender))


def list_invitations(session: Session) -> list[InvitationSummary]:
    """Drafts and sent invitations, newest first, with their guest counts."""
    counts: dict[str, int] = {inv: n for inv, n in session.execute(
        select(Guest.invitation_id, func.count()).where(Guest.deleted.is_(False)).group_by(Guest.invitation_id))}
    rows = session.scalars(select(Invitation).where(Invitation.deleted.is_(False))
                           .order_by(Invitation.created_at.desc(), Invitation.id.desc()))
    out = []
    for row in rows:
        event = load_guest_event(session, row.event_id) if row.event_id else None
        out.append(InvitationSummary(row.id, row.name, row.status, row.step, event.starts_at if event else None,
                                     counts.get(row.id, 0), row.scheduled_at))
    return out


def custom_fields_of(session: Session, list_ids: list[str] | None = None) -> list[str]:
    """Custom fields of the given lists (all active lists when None), in first-seen order."""
    query = select(ContactList).where(ContactList.deleted.is_(False))
    query = query.where(ContactList.id.in_(list_ids)) if list_ids is not None else query.where(
        ContactList.archived_at.is_(None))
    fields: list[str] = []
    for the_list in session.scalars(query.order_by(ContactList.created_at)):
        fields += [f for f in the_list.custom_fields if f not in fields]
    return fields


def step_problems(draft: InvitationDraft, step: int, custom_fields: list[str],
                  now: datetime | None = None) -> list[str]:
    """What blocks leaving `step` (1–8), every problem at once, in plain words."""
    event = draft.event
    checks = {
        1: lambda: details_problems(event),
        2: lambda: appearance_problems(event.appearance),
        3: lambda: sending_problems(event.sending, event.starts_at) + header_problems(draft, 3),
        4: lambda: header_problems(draft, 4) + _content_problems(draft, custom_fields),
        5: lambda: form_problems(draft.form),
        6: lambda: _recipient_problems(draft),
        8: lambda: _schedule_problems(draft, now or datetime.now(UTC)),
    }
    check = checks.get(step)
    return check() if check else []


def _content_problems(draft: InvitationDraft, custom_fields: list[str]) -> list[str]:
    problems = []
    if not draft.subject.strip():
        problems.append(_("The invitation needs a subject."))
    if not draft.body.strip():
        problems.append(_("The invitation needs a text."))
    for text, what in ((draft.subject, _("The subject")), (draft.body, _("The text")),
                       (draft.confirmation_subject, _("The confirmation subject")),
                       (draft.confirmation_body, _("The confirmation text"))):
        try:
            check_template(text, custom_fields, what)
        except TemplateError as exc:
            problems.append(str(exc))
    return problems


def _recipient_problems(draft: InvitationDraft) -> list[str]:
    problems = []
    if not draft.list_ids:
        problems.append(_("Choose at least one contact list."))
    if not 0 <= draft.companions <= credits.MAX_COMPANIONS:
        problems.append(_("Companions must be between 0 and {max}.").format(max=credits.MAX_COMPANIONS))
    return problems


def _schedule_problems(draft: InvitationDraft, now: datetime) -> list[str]:
    problems = []
    start = draft.scheduled_at or now
    if draft.scheduled_at is not None and draft.scheduled_at <= now:
        problems.append(_("The sending must be scheduled in the future."))
    if len(draft.reminders) > MAX_REMINDERS:
        problems.append(ngettext("At most {n} reminder.", "At most {n} reminders.",
                                 MAX_REMINDERS).format(n=MAX_REMINDERS))
    for reminder in draft.reminders:
        if reminder <= start:
            problems.append(_("A reminder must come after the sending."))
        elif draft.event.starts_at is not None and reminder >= draft.event.starts_at:
            problems.append(_("A reminder must come before the event starts."))
    test = str(draft.sender.get("test_address", "")).strip()
    if test and not is_valid_email(test):
        problems.append(_("“{email}” is not a valid email address.").format(email=test))
    return problems


def recipients(session: Session, list_ids: list[str]) -> list[Recipient]:
    """Contacts of the lists in order, each email once (case-insensitive; the first list wins), without
    the addresses that opted out of this organizer's invitations."""
    seen: set[str] = opt_outs.opted_out(session)
    out = []
    for list_id in list_ids:
        for contact in contacts_of(session, list_id):
            key = contact.email.strip().lower()
            if key not in seen:
                seen.add(key)
                out.append(Recipient(contact.id, contact.email, contact.first_name, contact.last_name,
                                     {k: str(v) for k, v in contact.fields.items()}))
    return out


def event_date(event: GuestEvent) -> str:
    """The start in the venue's zone, written as the RSVP pages write it (one function for both)."""
    if event.starts_at is None:
        return ""
    return event_when(event.starts_at, event.sending.language or "en", event.sending.timezone)


def rsvp_link(token: str, base: str = RSVP_BASE) -> str:
    return base + token


def values_for(recipient: Recipient, event: GuestEvent, link: str) -> dict[str, str]:
    """The variables of one message; custom fields a contact lacks are empty."""
    values = {"first_name": recipient.first_name, "last_name": recipient.last_name, "email": recipient.email,
              "event_name": event.name, "event_date": event_date(event), "location": event.location,
              "organizer": event.sending.organizer, "rsvp_link": link}
    values.update({f"field:{k}": v for k, v in recipient.fields.items()})
    return values


def invitation_notes(draft: InvitationDraft, ngettext: Callable[[str, str, int], str] = ngettext) -> list[str]:
    """What the invitation adds after the organizer's text: how many companions the guest may bring.
    The server passes the invitation's language's ngettext; the parameter keeps that name so pybabel finds it."""
    if draft.companions <= 0:
        return []
    return [ngettext("You may bring one companion.", "You may bring up to {n} companions.",
                   draft.companions).format(n=draft.companions)]


def render_for(draft: InvitationDraft, recipient: Recipient, token: str, base: str = RSVP_BASE) -> RenderedMessage:
    """The invitation exactly as `recipient` gets it, its fixed texts in the invitation's language as the
    server writes them (sync.server.mail.compose renders it by the same functions)."""
    values = values_for(recipient, draft.event, rsvp_link(token, base))
    language = draft.event.sending.language or "en"
    catalog = i18n.catalog(language) if language in i18n.LANGUAGES else None
    return render(draft.subject, draft.body, values, draft.event.appearance.as_json(),
                  gettext=catalog.gettext if catalog else None, language=language,
                  notes=invitation_notes(draft, catalog.ngettext) if catalog else invitation_notes(draft))


def preview(session: Session, draft: InvitationDraft) -> tuple[Recipient | None, RenderedMessage | None]:
    """The message for the first recipient of the chosen lists (its token is shown as `…`)."""
    found = recipients(session, draft.list_ids)
    if not found:
        return None, None
    return found[0], render_for(draft, found[0], "…")


def send_test(work: UnitOfWork, invitation_id: str, address: str) -> None:
    """A free test send to any address: queued for the server, no credits used (G8, G10)."""
    if not is_valid_email(address.strip()):
        raise InvitationError(_("“{email}” is not a valid email address.").format(email=address))
    work.run(InvitationSendTest(id=invitation_id, address=address.strip()))


def schedule(work: UnitOfWork, invitation_id: str, now: datetime | None = None) -> int:
    """Check everything, check the credits, create the guests and hand the invitation to the server.

    Nothing is written when a check fails. Returns the number of guests.
    """
    draft = load_draft(work.session, invitation_id)
    if draft.status != "draft":
        raise InvitationError(_("This invitation is already {status}.").format(status=draft.status))
    fields = custom_fields_of(work.session, draft.list_ids)
    problems = [p for step in range(1, LAST_STEP + 1) for p in step_problems(draft, step, fields, now)]
    if problems:
        raise InvitationError(" ".join(problems))
    found = recipients(work.session, draft.list_ids)
    if not found:
        raise InvitationError(_("The chosen lists have no contacts."))
    credits.ensure_free_credits(work)
    credits.check_can_send(work.session, credits.invitation_cost(len(found), draft.companions))
    _add_guests(work, invitation_id, found)
    work.run(InvitationUpdate(id=invitation_id, changes={"step": LAST_STEP}))
    work.run(InvitationSchedule(id=invitation_id, scheduled_at=draft.columns()["scheduled_at"]))
    return len(found)


def send_again(work: UnitOfWork, invitation_id: str) -> int:
    """Hand an invitation the server refused back to it, for the same guests; returns the credits it takes.

    Nothing is written while the credits still do not cover it (the same check as a first send).
    """
    cost = cost_to_send_again(work.session, invitation_id)
    credits.check_can_send(work.session, cost)
    work.run(InvitationRetry(id=invitation_id))
    return cost


def cost_to_send_again(session: Session, invitation_id: str) -> int:
    """What sending a refused invitation again takes (1 + companions a guest); refuses any other."""
    row = session.get(Invitation, invitation_id)
    if row is None or row.deleted:
        raise InvitationError(_("This invitation no longer exists."))
    if row.status != "refused":
        raise InvitationError(_("Only an invitation that was not sent can be sent again."))
    guests = session.scalar(select(func.count()).select_from(Guest).where(
        Guest.invitation_id == invitation_id, Guest.deleted.is_(False))) or 0
    return credits.invitation_cost(guests, row.companions)


def _add_guests(work: UnitOfWork, invitation_id: str, found: list[Recipient]) -> None:
    ids = uuid7_batch(len(found))
    # In boxoffice.mutations.invitations.GUEST_COLUMNS order.
    rows = [(ids[i], r.contact_id, r.email, r.first_name, r.last_name, r.fields, secrets.token_urlsafe(24),
             new_secret()) for i, r in enumerate(found)]
    for start in range(0, len(rows), GUEST_BATCH):
        work.run(GuestsAdd(invitation_id=invitation_id, rows=rows[start:start + GUEST_BATCH]))
