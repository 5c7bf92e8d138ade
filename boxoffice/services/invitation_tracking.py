"""Tracking an invitation (G12): who is pending, accepted or declined, companions, checked in; CSV export."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _
from boxoffice.model.checkins import CheckIn
from boxoffice.model.invitations import Companion, Guest, Invitation
from boxoffice.services.contact_export import neutralise
from boxoffice.services.invitations import InvitationError

STATUS_LABELS = {"pending": N_("pending"), "accepted": N_("accepted"), "declined": N_("declined")}


@dataclass(frozen=True)
class Tracking:
    invited: int
    pending: int
    accepted: int
    declined: int
    companions: int
    checked_in: int


def _guests(session: Session, invitation_id: str) -> list[Guest]:
    if session.get(Invitation, invitation_id) is None:
        raise InvitationError(_("This invitation no longer exists."))
    return list(session.scalars(select(Guest).where(Guest.invitation_id == invitation_id, Guest.deleted.is_(False))
                                .order_by(func.lower(Guest.last_name), func.lower(Guest.first_name), Guest.id)))


def _companions(session: Session, guest_ids: list[str]) -> dict[str, int]:
    if not guest_ids:
        return {}
    rows = session.execute(select(Companion.guest_id, func.count()).where(
        Companion.guest_id.in_(guest_ids), Companion.cl % 2 == 1, Companion.deleted.is_(False))
        .group_by(Companion.guest_id))
    return {guest_id: n for guest_id, n in rows}


def _checked_in(session: Session, guest_ids: list[str]) -> set[str]:
    """Guests admitted at least once (a companion's scans are kept under its guest's id)."""
    if not guest_ids:
        return set()
    return set(session.scalars(select(CheckIn.guest_id).where(
        CheckIn.guest_id.in_(guest_ids), CheckIn.verdict == "admitted", CheckIn.direction == "in").distinct()))


def tracking(session: Session, invitation_id: str) -> Tracking:
    guests = _guests(session, invitation_id)
    ids = [g.id for g in guests]
    statuses = [g.status for g in guests]
    return Tracking(len(guests), statuses.count("pending"), statuses.count("accepted"), statuses.count("declined"),
                    sum(_companions(session, ids).values()), len(_checked_in(session, ids)))


def export_guests(session: Session, invitation_id: str, path: Path) -> int:
    """Write the guests with their answers as CSV a spreadsheet opens safely; returns the rows written."""
    guests = _guests(session, invitation_id)
    ids = [g.id for g in guests]
    companions, present = _companions(session, ids), _checked_in(session, ids)
    fields: list[str] = []
    answers: list[str] = []
    for guest in guests:
        fields += [k for k in guest.fields if k not in fields]
        answers += [k for k in guest.answers if k not in answers]
    header = [_("Email"), _("First name"), _("Last name"), *fields, _("Answer"), _("Answered"), _("Companions"),
              _("Checked in"), *answers]
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(h) for h in header])
            for g in guests:
                answered = g.answered_at.astimezone().isoformat(timespec="seconds") if g.answered_at else ""
                cells = [g.email, g.first_name, g.last_name, *(str(g.fields.get(k, "")) for k in fields),
                         _(STATUS_LABELS.get(g.status, g.status)), answered, str(companions.get(g.id, 0)),
                         _("yes") if g.id in present else _("no"), *(_cell(g.answers.get(k)) for k in answers)]
                writer.writerow([neutralise(c) for c in cells])
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvitationError(_("Cannot write {file}: {error}").format(file=path, error=exc.strerror)) from exc
    return len(guests)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)
