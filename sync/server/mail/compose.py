"""What each message says: subject and bodies per guest, in the invitation's language, by the preview's code."""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from boxoffice import i18n
from boxoffice.i18n import N_
from boxoffice.model.invitations import Guest
from boxoffice.services.invitations import (
    InvitationDraft,
    Recipient,
    event_date,
    invitation_notes,
    load_draft,
    rsvp_link,
    values_for,
)
from boxoffice.services.message_template import ANSWER_BUTTON, RenderedMessage, render

Translate = Callable[[str], str]
# A test send has no guest: its link points at this token, which the RSVP pages do not know.
TEST_TOKEN = "test-send"
DEFAULT_CONFIRMATION_SUBJECT = N_("Your registration for {event_name}")
DEFAULT_CONFIRMATION_BODY = N_("Hello {first_name},\n\nThank you for your answer: we look forward to seeing you "
                               "at {event_name} on {event_date}, {location}.\n\n"
                               "You can change your answer here: {rsvp_link}")
# The confirmation's link leads to the answer given, to change it: it is not an invitation to answer.
CHANGE_BUTTON = N_("Change your answer")


@functools.lru_cache(maxsize=8)
def _catalog(language: str) -> gettext.NullTranslations:
    # boxoffice.i18n keeps one current language per process; the sender needs several at once.
    return i18n.catalog(language) if language in i18n.LANGUAGES else gettext.NullTranslations()


def translator(language: str) -> Translate:
    """gettext for `language`, whatever the process's own language is."""
    return _catalog(language).gettext


def plural_translator(language: str) -> Callable[[str, str, int], str]:
    """ngettext for `language`, whatever the process's own language is."""
    return _catalog(language).ngettext


@dataclass(frozen=True)
class Letter:
    """An invitation ready to render for many guests: its draft, link base and language."""

    draft: InvitationDraft
    base: str
    language: str

    @property
    def tr(self) -> Translate:
        return translator(self.language)

    @property
    def organizer(self) -> str:
        return self.draft.event.sending.organizer

    @property
    def sender_email(self) -> str:
        return self.draft.event.sending.sender_email


def letter_for(session: Session, invitation_id: str, rsvp_base: str) -> Letter:
    draft = load_draft(session, invitation_id)
    return Letter(draft, rsvp_base, draft.event.sending.language or "en")


def recipient_of(guest: Guest) -> Recipient:
    return Recipient(guest.contact_id, guest.email, guest.first_name, guest.last_name,
                     {k: str(v) for k, v in (guest.fields or {}).items()})


def _render(letter: Letter, subject: str, body: str, recipient: Recipient, token: str, *,
            button: str = ANSWER_BUTTON, notes: Sequence[str] | None = None) -> RenderedMessage:
    # Exactly services.invitations.render_for (what the wizard previews), with the invitation's language.
    values = values_for(recipient, letter.draft.event, rsvp_link(token, letter.base))
    return render(subject, body, values, letter.draft.event.appearance.as_json(), gettext=letter.tr,
                  language=letter.language, button=button,
                  notes=invitation_notes(letter.draft, plural_translator(letter.language)) if notes is None else notes)


def invitation(letter: Letter, guest: Guest) -> RenderedMessage:
    return _render(letter, letter.draft.subject, letter.draft.body, recipient_of(guest), guest.token)


def reminder(letter: Letter, guest: Guest) -> RenderedMessage:
    message = invitation(letter, guest)
    return replace(message, subject=letter.tr(N_("Reminder: {subject}")).format(subject=message.subject))


def test_send(letter: Letter, sample: Recipient | None, address: str) -> RenderedMessage:
    """The invitation as the first guest would get it, marked as a test in its subject."""
    recipient = sample or Recipient(None, address, "", "", {})
    message = _render(letter, letter.draft.subject, letter.draft.body, recipient, TEST_TOKEN)
    return replace(message, subject=letter.tr(N_("[Test] {subject}")).format(subject=message.subject))


def confirmation(letter: Letter, guest: Guest) -> RenderedMessage:
    """The registration confirmation (G5): the organizer's text, else ours in the invitation's language."""
    subject = letter.draft.confirmation_subject.strip() or letter.tr(DEFAULT_CONFIRMATION_SUBJECT)
    body = letter.draft.confirmation_body.strip() or letter.tr(DEFAULT_CONFIRMATION_BODY)
    return _render(letter, subject, body, recipient_of(guest), guest.token, button=CHANGE_BUTTON,
                   notes=confirmation_notes(letter, guest))


def confirmation_notes(letter: Letter, guest: Guest) -> list[str]:
    """What the guest answered, when and where, whatever the organizer's own text says (it may say neither)."""
    tr, event = letter.tr, letter.draft.event
    answer = tr(N_("You accepted the invitation.")) if guest.status == "accepted" else tr(
        N_("You declined the invitation."))
    notes = [tr(N_("Your answer: {answer}")).format(answer=answer)]
    when = event_date(event)
    if when:
        notes.append(tr(N_("When: {date}")).format(date=when))
    if event.location.strip():
        notes.append(tr(N_("Where: {location}")).format(location=event.location.strip()))
    return notes
