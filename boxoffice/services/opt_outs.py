"""Addresses that asked for no more invitations (#14): which they are, and recording it by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.contacts import Contact, OptOut
from boxoffice.model.devices import LocalDevice
from boxoffice.mutations.contacts import OptIn, OptOutRecord, opt_out_id
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services.email_addresses import is_valid_email


class OptOutError(ValueError):
    """A message for the organizer: why the address cannot be marked."""


def opted_out(session: Session) -> set[str]:
    """Every address (lower case) that gets no more invitations of this organizer."""
    return set(session.scalars(select(OptOut.email).where(OptOut.deleted.is_(False))))


def opted_out_in(session: Session, list_ids: list[str]) -> int:
    """How many distinct addresses of these lists an invitation to them leaves out for having opted out."""
    if not list_ids:
        return 0
    emails = session.scalars(select(func.lower(Contact.email)).distinct().where(
        Contact.list_id.in_(list_ids), Contact.cl % 2 == 1, Contact.deleted.is_(False)))
    # Lowered again in Python: SQLite's lower() leaves non-ASCII capitals as they are.
    return len({e.lower() for e in emails} & opted_out(session))


def mark_opted_out(work: UnitOfWork, email: str) -> None:
    """The organizer records that this address asked (by phone, by letter) to receive no more invitations."""
    address = email.strip().lower()
    if not is_valid_email(address):
        raise OptOutError(_("“{email}” is not a valid email address.").format(email=email))
    device = work.session.get(LocalDevice, work.device_id)
    organizer = device.organizer_id if device is not None and device.organizer_id else ""
    work.run(OptOutRecord(id=opt_out_id(organizer, address), email=address, source="organizer",
                          at=datetime.now(UTC).isoformat()))


def withdraw(work: UnitOfWork, email: str) -> None:
    """The address asked to be invited again: its opt-out goes (it is kept in the change history)."""
    row = work.session.scalars(select(OptOut).where(OptOut.email == email.strip().lower(),
                                                    OptOut.deleted.is_(False))).first()
    if row is not None:
        work.run(OptIn(id=row.id))
