"""`POST /v1/push` and `POST /v1/pull` (DESIGN: Sync protocol)."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Response
from sqlalchemy.orm import Session

from sync.protocol import PullRequest, PullResponse, PushRequest, PushResponse, RowsRequest, RowsResponse, scopes_for
from sync.server import replication
from sync.server.database import Database
from sync.server.deps import Refused, current_device, database, session
from sync.server.tables import Device

router = APIRouter(prefix="/v1", tags=["sync"])


@router.post("/push", response_model=PushResponse)
def push(body: PushRequest, device: Annotated[Device, Depends(current_device)],
         opened: Annotated[Session, Depends(session)], db: Annotated[Database, Depends(database)]) -> PushResponse:
    seqs = [m.seq for m in body.mutations]
    if seqs != sorted(set(seqs)):
        raise Refused(400, "mutations must come in increasing seq order without repeats")
    problem = replication.refusal(device, body.mutations) or replication.clock_problem(body.mutations)
    if problem:
        reason, seq = problem
        raise Refused(403 if "may not" in reason else 400, reason, seq=seq)
    device_id = device.id
    opened.rollback()  # end the read transaction the token check opened, before taking the writer's turn
    with db.writing():
        # Lock the device row: two pushes of the same device never interleave, on any server process.
        locked = opened.get(Device, device_id, with_for_update=True)
        assert locked is not None
        results = replication.push(opened, locked, body.mutations)
        opened.commit()
    return PushResponse(results=results, server_hlc=replication.server_hlc())


@router.post("/rows", response_model=RowsResponse)
def rows(body: RowsRequest, device: Annotated[Device, Depends(current_device)],
         opened: Annotated[Session, Depends(session)]) -> Response:
    """Rows as the server has them now: a device repairs what a refused change made it believe."""
    changes, missing = replication.current_rows(opened, device.organizer_id, [(e, i) for e, i in body.rows])
    return Response(orjson.dumps({"changes": changes, "missing": missing}), media_type="application/json")


@router.post("/pull", response_model=PullResponse)
def pull(body: PullRequest, device: Annotated[Device, Depends(current_device)],
         opened: Annotated[Session, Depends(session)]) -> Response:
    allowed = set(scopes_for(device.role, device.id, list(device.dates)))
    refused = sorted(set(body.cursors) - allowed)
    if refused:
        raise Refused(403, f"this device may not pull: {', '.join(refused)}")
    if any(cursor < 0 for cursor in body.cursors.values()):
        raise Refused(400, "cursors cannot be negative")
    # Serialised with orjson directly: the documented shape is PullResponse.
    return Response(orjson.dumps(replication.pull(opened, device.organizer_id, body.cursors)),
                    media_type="application/json")
