"""Profile codes from the organizer's app: list them, make one, revoke one (#13), as `boxoffice-server profile` does.

Only organizer devices may: a door or desk holding a code-making call could enroll more of itself.
The code itself is never listed, since the server keeps only its hash: it is answered once, when made.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import Field
from sqlalchemy.orm import Session

from sync.protocol import Role, RowId, Strict
from sync.server import profiles
from sync.server.deps import Refused, current_device, session
from sync.server.tables import Device, ProfileCode

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])


class EnrolledDevice(Strict):
    id: str
    name: str
    role: str
    revoked: bool


class ProfileListing(Strict):
    id: str
    role: str
    dates: list[str] = Field(description="the dates its devices replicate; empty: every date")
    created_at: datetime
    expires_at: datetime
    uses: int
    max_uses: int
    revoked_at: datetime | None
    status: str = Field(description="active, revoked, expired or used_up")
    devices: list[EnrolledDevice] = Field(description="the devices it enrolled")


class NewProfileRequest(Strict):
    role: Role
    dates: list[RowId] = Field(default_factory=list, max_length=500)
    hours: float = Field(default=profiles.DEFAULT_HOURS, gt=0, le=profiles.MAX_HOURS)
    uses: int = Field(default=1, ge=1, le=profiles.MAX_USES)


class NewProfileResponse(Strict):
    profile: ProfileListing
    code: str = Field(description="the code to type or scan: shown this once, the server keeps only its hash")


class RevokeRequest(Strict):
    lock_out: bool = Field(default=True, description="also revoke the devices it enrolled")


class RevokeResponse(Strict):
    profile: ProfileListing
    locked_out: list[EnrolledDevice]


def _organizer_device(caller: Annotated[Device, Depends(current_device)]) -> Device:
    if caller.role != "organizer":
        raise Refused(403, f"only an organizer device may see, make or revoke profile codes, not a {caller.role}")
    return caller


Organizer = Annotated[Device, Depends(_organizer_device)]
Opened = Annotated[Session, Depends(session)]


def _enrolled(device: Device) -> EnrolledDevice:
    return EnrolledDevice(id=device.id, name=device.name, role=device.role, revoked=device.revoked_at is not None)


def _listing(profile: ProfileCode, devices: list[Device]) -> ProfileListing:
    return ProfileListing(id=profile.id, role=profile.role, dates=list(profile.dates), created_at=profile.created_at,
                          expires_at=profile.expires_at, uses=profile.uses, max_uses=profile.max_uses,
                          revoked_at=profile.revoked_at, status=profiles.status(profile),
                          devices=[_enrolled(device) for device in devices])


@router.get("", response_model=list[ProfileListing], responses={403: {"description": "not an organizer device"}})
def list_profiles(caller: Organizer, opened: Opened) -> list[ProfileListing]:
    found = profiles.of_organizer(opened, caller.organizer_id)
    devices = profiles.enrolled_by(opened, [profile.id for profile in found])
    return [_listing(profile, devices[profile.id]) for profile in found]


@router.post("", response_model=NewProfileResponse, status_code=201,
             responses={403: {"description": "not an organizer device"}})
def create_profile(body: NewProfileRequest, caller: Organizer, opened: Opened) -> NewProfileResponse:
    made = profiles.make(opened, caller.organizer_id, body.role, list(body.dates), body.hours, body.uses)
    answer = NewProfileResponse(profile=_listing(made.profile, []), code=made.code)
    opened.commit()
    return answer


@router.post("/{profile_id}/revoke", response_model=RevokeResponse,
             responses={403: {"description": "not an organizer device"}, 404: {"description": "no such code"}})
def revoke_profile(profile_id: Annotated[str, Path(max_length=80)], caller: Organizer, opened: Opened,
                   body: RevokeRequest | None = None) -> RevokeResponse:
    found = opened.get(ProfileCode, profile_id)
    if found is None or found.organizer_id != caller.organizer_id:
        raise Refused(404, "this organizer has no such profile code")
    locked = profiles.withdraw(opened, caller.organizer_id, profile_id, lock_out=(body or RevokeRequest()).lock_out)
    answer = RevokeResponse(profile=_listing(found, profiles.enrolled_by(opened, [found.id])[found.id]),
                            locked_out=[_enrolled(device) for device in locked])
    opened.commit()
    return answer
