# SPDX-License-Identifier: AGPL-3.0-or-later
"""Pass definitions (P1), their holder fields switched on one by one (P2) and their resale campaign (P5).

Definitions are catalogue rows: every write goes through `catalogue.create` / `catalogue.update`
in the caller's unit of work (last writer wins per field); nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _
from boxoffice.model.events import BoxOffice, Event
from boxoffice.model.passes import HOLDER_FIELDS, PassDefinition
from boxoffice.mutations.catalogue import CatalogueCreate, CatalogueUpdate
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services.email_addresses import is_valid_email
from boxoffice.store.ids import uuid7

FIELD_LABELS = {
    "civility": N_("Civility"), "last_name": N_("Last name"), "first_name": N_("First name"),
    "company": N_("Company"), "email": N_("Email"), "street": N_("Street and number"), "city": N_("City"),
    "country": N_("Country"), "postal_code": N_("Postal code"), "mobile": N_("Mobile phone"),
    "birth_date": N_("Birth date"), "photo": N_("Photo"), "free_field": N_("Free field"),
}
SUPPORTS = {"card": N_("PVC card (CR80)"), "ticket": N_("ticket")}
CIVILITIES = {"mr": N_("Mr"), "ms": N_("Ms")}
PAYOUT_KINDS = {"transfer": N_("bank transfer"), "credit": N_("credit on the pass"), "donation": N_("donation")}
DEFAULT_FIELDS = (("civility", False), ("last_name", True), ("first_name", True), ("email", False))
MAX_PHOTO_BYTES = 2_000_000


class PassError(ValueError):
    """A pass definition, a holder or a resale was refused; the message says why in plain words."""


@dataclass(frozen=True)
class HolderField:
    """One switched-on holder field and whether selling a pass needs it filled in."""

    name: str
    required: bool = False

    @property
    def label(self) -> str:
        return _(FIELD_LABELS[self.name])

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "required": self.required}


def holder_fields_of(definition: PassDefinition) -> list[HolderField]:
    """The definition's fields in HOLDER_FIELDS order; a bare name (older rows) is an optional field."""
    found: dict[str, HolderField] = {}
    for entry in definition.holder_fields or []:
        field = HolderField(entry) if isinstance(entry, str) else HolderField(entry["name"], bool(entry["required"]))
        if field.name in FIELD_LABELS:
            found[field.name] = field
    return [found[name] for name in HOLDER_FIELDS if name in found]


def _check_fields(fields: Iterable[HolderField | tuple[str, bool]]) -> list[dict[str, Any]]:
    out = []
    for entry in fields:
        field = entry if isinstance(entry, HolderField) else HolderField(*entry)
        if field.name not in FIELD_LABELS:
            raise PassError(_("“{field}” is not a holder field; choose among: {fields}.").format(
                field=field.name, fields=", ".join(_(label) for label in FIELD_LABELS.values())))
        out.append(field.to_json())
    return sorted(out, key=lambda f: HOLDER_FIELDS.index(f["name"]))


def _check_events(session: Session, event_ids: Sequence[str]) -> list[str]:
    if not event_ids:
        raise PassError(_("A pass admits to at least one event."))
    for event_id in event_ids:
        event = session.get(Event, event_id)
        if event is None or event.deleted or event.kind != "ticketing":
            raise PassError(_("The event {id} does not exist or is not a ticketed event.").format(id=event_id))
    return list(dict.fromkeys(event_ids))


def _check_values(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "name" in out:
        out["name"] = str(out["name"]).strip()
        if not out["name"]:
            raise PassError(_("A pass needs a name."))
    if "support" in out and out["support"] not in SUPPORTS:
        raise PassError(_("“{support}” is not a support; choose a PVC card (CR80) or a ticket.").format(
            support=out["support"]))
    if "price_minor" in out and int(out["price_minor"]) < 0:
        raise PassError(_("A price cannot be negative."))
    if "event_ids" in out:
        out["event_ids"] = _check_events(session, out["event_ids"])
    if "holder_fields" in out:
        out["holder_fields"] = _check_fields(out["holder_fields"])
    return out


def create_definition(work: UnitOfWork, name: str, event_ids: Sequence[str], support: str = "card",
                      price_minor: int = 0, fixed_seats: bool = False,
                      holder_fields: Iterable[HolderField | tuple[str, bool]] = DEFAULT_FIELDS,
                      box_office_id: str | None = None) -> str:
    """A pass that admits to `event_ids`; holder fields as (name, required) pairs."""
    values = _check_values(work.session, {"name": name, "event_ids": list(event_ids), "support": support,
                                          "price_minor": price_minor, "holder_fields": list(holder_fields)})
    first = work.session.get(Event, values["event_ids"][0])
    office_id = box_office_id or (first.box_office_id if first else None)
    office = work.session.get(BoxOffice, office_id) if office_id else None
    definition_id = uuid7()
    work.run(CatalogueCreate(entity="pass_definitions", id=definition_id, values={
        **values, "fixed_seats": bool(fixed_seats), "box_office_id": office_id,
        "currency": office.currency if office else "CHF"}))
    return definition_id


def update_definition(work: UnitOfWork, definition_id: str, **changes: Any) -> None:
    """Change a definition's name, events, support, price, fixed seats or holder fields."""
    get_definition(work.session, definition_id)
    allowed = {"name", "event_ids", "support", "price_minor", "fixed_seats", "holder_fields", "appearance"}
    unknown = set(changes) - allowed
    if unknown:
        raise PassError(_("These cannot be changed on a pass: {fields}.").format(fields=", ".join(sorted(unknown))))
    checked = _check_values(work.session, changes)
    if checked:
        work.run(CatalogueUpdate(entity="pass_definitions", id=definition_id, changes=checked))


def get_definition(session: Session, definition_id: str) -> PassDefinition:
    definition = session.get(PassDefinition, definition_id)
    if definition is None or definition.deleted:
        raise PassError(_("This pass no longer exists."))
    return definition


def definitions(session: Session) -> list[PassDefinition]:
    return list(session.scalars(select(PassDefinition).where(PassDefinition.deleted.is_(False))
                                .order_by(PassDefinition.name, PassDefinition.id)))


def set_resale_campaign(work: UnitOfWork, definition_id: str, percentage: int, payout_kinds: Sequence[str],
                        donation_to: str = "", active: bool = True) -> None:
    """P5: what share of a resold seat's price goes back to the holder, and how it may be paid out."""
    definition = get_definition(work.session, definition_id)
    if active and not definition.fixed_seats:
        raise PassError(_("Only passes with fixed numbered seats can have their seats resold."))
    if not 0 <= int(percentage) <= 100:
        raise PassError(_("The percentage refunded must be between 0 and 100, not {n}.").format(n=percentage))
    kinds = [k for k in PAYOUT_KINDS if k in payout_kinds]
    unknown = set(payout_kinds) - set(PAYOUT_KINDS)
    if unknown or (active and not kinds):
        raise PassError(_("Choose how holders are paid out: bank transfer, credit on the pass or donation."))
    if active and "donation" in kinds and not donation_to.strip():
        raise PassError(_("Say who receives the donations."))
    campaign = {"active": bool(active), "percentage": int(percentage), "payout_kinds": kinds,
                "donation_to": donation_to.strip()}
    work.run(CatalogueUpdate(entity="pass_definitions", id=definition_id, changes={"resale": campaign}))


def resale_campaign(definition: PassDefinition) -> dict[str, Any] | None:
    """The active campaign of a definition, or None."""
    campaign = definition.resale or {}
    return campaign if campaign.get("active") and definition.fixed_seats else None


# Holders ---------------------------------------------------------------------------------------

def _check_birth_date(text: str) -> str:
    try:
        born = date.fromisoformat(text)
    except ValueError:
        raise PassError(_("The birth date “{value}” is not a date like 1990-04-25.").format(value=text)) from None
    if born > datetime.now(UTC).date():
        raise PassError(_("The birth date cannot be in the future."))
    return born.isoformat()


def _check_value(name: str, value: str) -> str:
    if name == "email" and not is_valid_email(value):
        raise PassError(_("“{value}” is not an email address.").format(value=value))
    if name == "civility" and value not in CIVILITIES:
        raise PassError(_("Civility must be one of: {choices}.").format(
            choices=", ".join(_(c) for c in CIVILITIES.values())))
    if name == "birth_date":
        return _check_birth_date(value)
    return value


def check_photo(photo: bytes | None) -> bytes | None:
    if photo is None:
        return None
    if not (photo.startswith(b"\xff\xd8\xff") or photo.startswith(b"\x89PNG\r\n\x1a\n")):
        raise PassError(_("The photo must be a JPEG or PNG picture."))
    if len(photo) > MAX_PHOTO_BYTES:
        raise PassError(_("The photo is too large: at most {n} MB.").format(n=MAX_PHOTO_BYTES // 1_000_000))
    return photo


def check_holder(definition: PassDefinition, holder: dict[str, Any], photo: bytes | None) -> dict[str, str]:
    """The holder's switched-on fields, cleaned; the first missing or wrong one is named in the error."""
    cleaned: dict[str, str] = {}
    for field in holder_fields_of(definition):
        if field.name == "photo":
            if field.required and not photo:
                raise PassError(_("Please add the holder's photo."))
            continue
        value = str(holder.get(field.name) or "").strip()
        if not value:
            if field.required:
                raise PassError(_("Please fill in: {field}.").format(field=field.label))
            continue
        cleaned[field.name] = _check_value(field.name, value)
    language = str(holder.get("language") or "")
    if language:
        cleaned["language"] = language  # the pass area speaks the holder's language (P5)
    check_photo(photo if any(f.name == "photo" for f in holder_fields_of(definition)) else None)
    return cleaned


def holder_name(holder: dict[str, Any]) -> str:
    return f"{holder.get('first_name', '')} {holder.get('last_name', '')}".strip() or str(holder.get("company", ""))
