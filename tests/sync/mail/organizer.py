"""An organizer's invitation made on a real device store and pushed to the real server, for the mail tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter
from sqlalchemy import select

from boxoffice.model.invitations import Guest, Invitation
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, invitations
from boxoffice.services.invitations import InvitationDraft
from sync.client import SyncClient

GUESTS = [("ann@example.ch", "Ann", "Favre"), ("bob@example.ch", "Bob", "Meier"), ("cleo@example.ch", "Cléo", "Rossi")]


@dataclass
class Scheduled:
    draft: InvitationDraft
    tokens: dict[str, str]
    codes: dict[str, str]

    @property
    def id(self) -> str:
        return self.draft.id


def picture(path: Path, colour: str, size: tuple[int, int]) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def photo(path: Path, size: tuple[int, int]) -> Path:
    """A camera-like JPEG: soft shapes with grain, as large in bytes as a real photo of that size."""
    rng = np.random.default_rng(7)
    width, height = size
    shapes = Image.fromarray(rng.integers(0, 256, (height // 4, width // 4, 3), dtype=np.uint8))
    soft = np.asarray(shapes.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1.2)))
    grain = soft.astype(np.int16) + rng.integers(-12, 12, (height, width, 3))
    Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8)).save(path, "JPEG", quality=90)
    return path


def draft_for(list_id: str, sender_email: str, language: str, companions: int) -> InvitationDraft:
    now = datetime.now(UTC)
    draft = InvitationDraft()
    event = draft.event
    event.name, event.location, event.event_type = "Vernissage Hodler", "Musée Jenisch, Vevey", "inauguration"
    event.starts_at = now + timedelta(days=30)
    event.sending.organizer, event.sending.sender_email = "Musée Jenisch", sender_email
    event.sending.language = language
    draft.subject = "Invitation {event_name}"
    draft.body = "Bonjour {first_name} ({field:Ville}),\n\nVotre lien : {rsvp_link}"
    draft.list_ids, draft.companions = [list_id], companions
    return draft


def schedule(writer: Writer, sync: SyncClient, *, guests: list[tuple[str, str, str]] | None = None,
             companions: int = 1, language: str = "fr", sender_email: str = "info@ecole.ch",
             images: tuple[Path, Path] | None = None, access_control: bool = True,
             reminders: list[datetime] | None = None, push: bool = True, draft_only: bool = False,
             body: str | None = None, timezone: str | None = None) -> Scheduled:
    """Make a list and an invitation on the device, schedule it (at once, unless `draft_only`) and sync."""
    with writer.transaction() as work:
        list_id = contacts.create_list(work, f"Invités {datetime.now(UTC).timestamp()}", ["Ville"])
        for email, first, last in guests or GUESTS:
            contacts.add_contact(work, list_id, email, first, last, {"Ville": "Vevey"})
    draft = draft_for(list_id, sender_email, language, companions)
    draft.event.access_control = access_control
    draft.body = body or draft.body
    draft.event.sending.timezone = timezone or draft.event.sending.timezone
    if images:
        draft.event.appearance.banner, draft.event.appearance.logo = str(images[0]), str(images[1])
    draft.reminders = reminders or []
    with writer.transaction() as work:
        invitations.save_draft(work, draft)
    if not draft_only:
        with writer.transaction() as work:
            invitations.schedule(work, draft.id)
    if push:
        report = sync.sync_once()
        assert report.pending == 0 and report.rejected == 0, report
    with writer.store.session() as session:
        guests_rows = list(session.scalars(select(Guest).where(Guest.invitation_id == draft.id)))
    return Scheduled(draft, {g.email: g.token for g in guests_rows}, {g.email: g.code for g in guests_rows})


def guests_on(writer: Writer, invitation_id: str) -> dict[str, Guest]:
    with writer.store.session() as session:
        rows = list(session.scalars(select(Guest).where(Guest.invitation_id == invitation_id)))
        session.expunge_all()
    return {g.email: g for g in rows}


def invitation_on(writer: Writer, invitation_id: str) -> Invitation:
    with writer.store.session() as session:
        row = session.get(Invitation, invitation_id)
        assert row is not None
        session.expunge(row)
    return row
