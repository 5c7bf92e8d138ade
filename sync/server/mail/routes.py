"""`GET /v1/mail/dkim/{domain}`: an organizer's app asks for the DKIM record its sending domain publishes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from sync.server.deps import Refused, current_device
from sync.server.mail.dkim import DkimError, DkimKeys
from sync.server.tables import Device

router = APIRouter(prefix="/v1/mail", tags=["mail"])


class DkimAnswer(BaseModel):
    domain: str
    name: str
    value: str


def dkim_keys(request: Request) -> DkimKeys:
    keys: DkimKeys | None = getattr(request.app.state, "dkim_keys", None)
    if keys is None:
        keys = request.app.state.dkim_keys = DkimKeys()
    return keys


@router.get("/dkim/{domain}", response_model=DkimAnswer)
def dkim_record(domain: str, caller: Annotated[Device, Depends(current_device)],
                keys: Annotated[DkimKeys, Depends(dkim_keys)]) -> DkimAnswer:
    """The record to publish (the key is made on the first ask), for organizer devices only."""
    if caller.role != "organizer":
        raise Refused(403, "only an organizer's device may ask for a sending domain's DKIM record")
    try:
        record = keys.ensure(domain)
    except DkimError as exc:
        raise Refused(422, str(exc)) from exc
    return DkimAnswer(**record.as_json())
