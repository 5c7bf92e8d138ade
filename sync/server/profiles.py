"""Profile codes: made with an expiry and a number of uses, listed, used up, revoked (D2, #13)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.store.ids import uuid7
from sync.server.auth import new_code
from sync.server.codes import hash_code, normalised
from sync.server.tables import Device, Organizer, ProfileCode

DEFAULT_HOURS = 24
ROLES = ("door", "desk", "organizer")
MAX_HOURS = 24 * 366
MAX_USES = 10_000


class CodeRefused(Exception):
    """A profile code that exists but may not enroll a device any more; says why."""


@dataclass(frozen=True)
class NewProfile:
    profile: ProfileCode
    code: str  # shown once, when it is made: the server keeps only its hash


def find_organizer(session: Session, organizer_code: str) -> Organizer:
    organizer = session.scalars(select(Organizer).where(Organizer.code_hash == hash_code(organizer_code))).first()
    if organizer is None:
        raise ValueError(_("no organizer has the code {code}").format(code=normalised(organizer_code)))
    return organizer


def create(session: Session, organizer_code: str, role: str, dates: list[str], hours: float = DEFAULT_HOURS,
           uses: int = 1, now: datetime | None = None) -> NewProfile:
    return make(session, find_organizer(session, organizer_code).id, role, dates, hours, uses, now)


def make(session: Session, organizer_id: str, role: str, dates: list[str], hours: float = DEFAULT_HOURS,
         uses: int = 1, now: datetime | None = None) -> NewProfile:
    """A new profile code of the organizer (the CLI finds it by its code, the app by its device)."""
    if role not in ROLES:
        raise ValueError(_("unknown role {role}: choose door, desk or organizer").format(role=role))
    if not 0 < hours <= MAX_HOURS or not 0 < uses <= MAX_USES:
        raise ValueError(_("a profile code needs a validity above 0 hours and up to a year, and at least one use"))
    made = now or datetime.now(UTC)
    code = new_code()
    profile = ProfileCode(id=uuid7(), code_hash=hash_code(code), organizer_id=organizer_id, role=role, dates=dates,
                          created_at=made, expires_at=made + timedelta(hours=hours), max_uses=uses, uses=0)
    session.add(profile)
    session.flush()
    return NewProfile(profile, code)


def listed(session: Session, organizer_code: str) -> list[ProfileCode]:
    return of_organizer(session, find_organizer(session, organizer_code).id)


def of_organizer(session: Session, organizer_id: str) -> list[ProfileCode]:
    query = select(ProfileCode).where(ProfileCode.organizer_id == organizer_id).order_by(ProfileCode.created_at)
    return list(session.scalars(query))


def enrolled_by(session: Session, profile_ids: list[str]) -> dict[str, list[Device]]:
    """The devices each profile code enrolled, oldest first (revoked ones included)."""
    found: dict[str, list[Device]] = {profile_id: [] for profile_id in profile_ids}
    if profile_ids:
        query = select(Device).where(Device.profile_id.in_(profile_ids)).order_by(Device.created_at)
        for device in session.scalars(query):
            found[str(device.profile_id)].append(device)
    return found


def status(profile: ProfileCode, now: datetime | None = None) -> str:
    """Whether the code still enrolls devices: "active", or why not ("revoked", "expired", "used_up")."""
    if profile.revoked_at is not None:
        return "revoked"
    if profile.expires_at <= (now or datetime.now(UTC)):
        return "expired"
    return "used_up" if profile.uses >= profile.max_uses else "active"


def state(profile: ProfileCode, now: datetime | None = None) -> str:
    """In the user's words: why the code enrolls no device any more, or how many it still may."""
    found = status(profile, now)
    if found == "revoked":
        return _("revoked")
    if found == "expired":
        return _("expired")
    if found == "used_up":
        return _("used up")
    left = profile.max_uses - profile.uses
    return ngettext("{n} use left", "{n} uses left", left).format(n=left)


def revoke(session: Session, organizer_code: str, key: str, now: datetime | None = None) -> list[str]:
    """Revoke the profile code (by its listed id or the code itself) and every device it enrolled.

    Returns the ids of the devices locked out; their next token request is refused."""
    return [device.id for device in withdraw(session, find_organizer(session, organizer_code).id, key, now)]


def withdraw(session: Session, organizer_id: str, key: str, now: datetime | None = None,
             lock_out: bool = True) -> list[Device]:
    """Revoke the organizer's profile code `key` (its id or the code itself); with `lock_out`, also
    every device it enrolled that is not revoked yet. Returns the devices locked out."""
    profile = session.get(ProfileCode, key.strip()) or session.scalars(
        select(ProfileCode).where(ProfileCode.code_hash == hash_code(key))).first()
    if profile is None or profile.organizer_id != organizer_id:
        raise ValueError(_("no profile code {key} for this organizer: see profile --list").format(key=key.strip()))
    when = now or datetime.now(UTC)
    profile.revoked_at = profile.revoked_at or when
    devices = list(session.scalars(select(Device).where(Device.profile_id == profile.id,
                                                        Device.revoked_at.is_(None)))) if lock_out else []
    for device in devices:
        device.revoked_at = when
    session.flush()
    return devices


def usable(session: Session, code: str, now: datetime | None = None) -> ProfileCode | None:
    """The profile code typed, if there is one; CodeRefused when it may not enroll any more."""
    profile = session.scalars(select(ProfileCode).where(ProfileCode.code_hash == hash_code(code))).first()
    if profile is None:
        return None
    when = now or datetime.now(UTC)
    if profile.revoked_at is not None:
        raise CodeRefused(_("this code was revoked: ask the organizer for a new one"))
    if profile.expires_at <= when:
        raise CodeRefused(_("this code expired on {when} UTC: ask the organizer for a new one").format(
            when=profile.expires_at.strftime("%Y-%m-%d %H:%M")))
    if profile.uses >= profile.max_uses:
        raise CodeRefused(_used_up(profile.max_uses))
    return profile


def use(session: Session, profile: ProfileCode) -> None:
    """Count one enrollment; two devices racing for the last use cannot both have it."""
    counted = session.execute(update(ProfileCode).where(ProfileCode.id == profile.id,
                                                        ProfileCode.uses < ProfileCode.max_uses)
                              .values(uses=ProfileCode.uses + 1).execution_options(synchronize_session=False))
    if counted.rowcount != 1:  # type: ignore[attr-defined]
        raise CodeRefused(_used_up(profile.max_uses))


def spend(session: Session, device: Device, now: datetime | None = None) -> None:
    """A revoked device's profile code is revoked too: the device cannot come back under a new id with it."""
    if device.profile_id is not None:
        profile = session.get(ProfileCode, device.profile_id)
        if profile is not None and profile.revoked_at is None:
            profile.revoked_at = now or datetime.now(UTC)


def _used_up(max_uses: int) -> str:
    return ngettext("this code has already enrolled its {n} device: ask the organizer for a new one",
                    "this code has already enrolled its {n} devices: ask the organizer for a new one",
                    max_uses).format(n=max_uses)
