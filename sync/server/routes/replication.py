"""`POST /v1/push` and `POST /v1/pull` (DESIGN: Sync protocol).

These two are every device's steady traffic: plain Starlette routes (no dependency solving, no
framework body parsing), their bodies read by `read_body` (sync/server/body.py). A push goes to
the database's writer (one thread and one commit for many pushes on SQLite); a pull runs on the
event loop on SQLite and in ONE worker-thread call on PostgreSQL. The answers are orjson bytes.
`/v1/rows` (rare) is a FastAPI route.
"""

from __future__ import annotations

import gzip
from typing import Annotated, Any

import anyio
import anyio.to_thread
import orjson
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sync.protocol import (
    PASS_SCOPE,
    MutationResult,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RowsRequest,
    RowsResponse,
    scopes_for,
)
from sync.server import replication
from sync.server.auth import Claims
from sync.server.body import read_body
from sync.server.deps import Refused, calling_device, current_device, database_of, session, token_claims
from sync.server.device_scopes import device_scopes, pass_scopes
from sync.server.mail import queue as mail_queue
from sync.server.openapi import SyncCall
from sync.server.tables import Device

router = APIRouter(prefix="/v1", tags=["sync"])
# Level 1, not the middleware's 9: an initial sync's pages compress to 77 bytes a ticket instead of 62
# (the target is 120), and gzip drops from 15 % of the server's time to 6 %.
GZIP_LEVEL = 1
GZIP_MINIMUM = 1024
PULL_THREADS = 8


def _json(request: Request, body: Any) -> Response:
    """`body` as JSON, gzipped here when the device accepts it (the middleware passes it through)."""
    data = orjson.dumps(body)
    if len(data) < GZIP_MINIMUM or "gzip" not in request.headers.get("accept-encoding", ""):
        return Response(data, media_type="application/json")
    return Response(gzip.compress(data, GZIP_LEVEL, mtime=0), media_type="application/json",
                    headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})


async def push(request: Request) -> Response:
    """`POST /v1/push`: apply a device's batch of mutations (the body is a PushRequest)."""
    body = await read_body(request, PushRequest)
    return await push_answer(request, body, request.headers.get("authorization"))


async def push_answer(request: Request, body: PushRequest, authorization: str | None) -> Response:
    """Apply a device's batch (the schema version already checked)."""
    batch = body.mutations
    claims = await _claims(request, authorization)
    seqs = [m.seq for m in batch]
    in_order = seqs == sorted(set(seqs))

    def apply(opened: Session) -> list[MutationResult]:
        # The device row is read in the write transaction, locked until commit: two pushes of
        # one device never interleave, on any server process.
        device = calling_device(opened.connection(), claims, lock=True)
        if not in_order:
            raise Refused(400, "mutations must come in increasing seq order without repeats")
        problem = replication.refusal(device, batch) or replication.clock_problem(batch)
        if problem:
            reason, seq = problem
            raise Refused(403 if "may not" in reason else 400, reason, seq=seq)
        try:
            results = replication.push(opened, device, batch)
        except replication.OutOfOrder as exc:
            raise Refused(409, str(exc)) from None
        mail_queue.after_push(opened, device.organizer_id, device.id, batch, results)
        return results

    results = await database_of(request).write(apply)
    return _json(request, {"results": [r.model_dump() for r in results], "server_hlc": replication.server_hlc()})


async def _claims(request: Request, authorization: str | None) -> Claims:
    """The verified token; only the first call of a process reads the signing key, in a thread."""
    if getattr(request.app.state, "token_key", None) is not None:
        return token_claims(request, authorization)
    return await run_in_threadpool(token_claims, request, authorization)


@router.post("/rows", response_model=RowsResponse)
def rows(body: RowsRequest, request: Request, device: Annotated[Device, Depends(current_device)],
         opened: Annotated[Session, Depends(session)]) -> Response:
    """Rows as the server has them now: a device repairs what a refused change made it believe."""
    changes, missing = replication.current_rows(opened.connection(), device.organizer_id,
                                                [(e, i) for e, i in body.rows],
                                                database_of(request).fragments, device.role,
                                                device_scopes(opened.connection(), device.organizer_id,
                                                              device.role, device.id, list(device.dates)))
    return Response(orjson.dumps({"changes": changes, "missing": missing}), media_type="application/json")


async def pull(request: Request) -> Response:
    """`POST /v1/pull`: a page of changes for the device (the body is a PullRequest)."""
    body = await read_body(request, PullRequest)
    claims = await _claims(request, request.headers.get("authorization"))
    if database_of(request).is_sqlite:
        # On the event loop itself: a pull of the unread tail reads a few index pages and cached
        # texts (~0.3 ms), less than the hand-off to a thread and back, and no reader waits for a
        # lock in WAL mode. Threads only contend for the GIL with the writer thread.
        return _pull(request, claims, body.cursors)
    return await anyio.to_thread.run_sync(_pull, request, claims, body.cursors, limiter=_readers(request))


# Served as plain Starlette routes, documented in the OpenAPI schema by sync/server/openapi.py.
FRONT_DOOR = (SyncCall("/v1/push", push, PushRequest, PushResponse, "Push a device's mutations"),
              SyncCall("/v1/pull", pull, PullRequest, PullResponse, "Pull a page of changes"))


def _readers(request: Request) -> anyio.CapacityLimiter:
    """PostgreSQL pulls run in a few threads, not one per waiting device: more only queue for the GIL and
    for pooled connections (which the pool then closes and opens again)."""
    limiter: anyio.CapacityLimiter | None = getattr(request.app.state, "pull_threads", None)
    if limiter is None:
        limiter = anyio.CapacityLimiter(PULL_THREADS)
        request.app.state.pull_threads = limiter
    return limiter


def _pull(request: Request, claims: Claims, cursors: dict[str, int]) -> Response:
    db = database_of(request)
    # A Core connection, no ORM session: the page, its cursors and the checkpoints come from one
    # snapshot (BEGIN on SQLite, REPEATABLE READ on PostgreSQL), even while others commit.
    with db.pull_engine.connect() as plain:
        connection = plain.execution_options(**db.snapshot_options)
        connection.begin()  # before any statement: the plain SQL below goes to the driver, past SQLAlchemy
        device = calling_device(connection, claims)
        allowed = set(scopes_for(device.role, device.id, device.dates))
        if set(cursors) - allowed and device.dates:
            # Pass scopes are read from the organizer's definitions, only when asked for (a pull
            # of the role's scopes alone costs no query more). One its token still names but no
            # longer granted (its definition left the device's events) gets nothing: the device
            # learns its scopes again with its next token (15 minutes at most) and drops its rows.
            allowed.update(pass_scopes(connection, device.organizer_id, device.dates))
            cursors = {scope: cursor for scope, cursor in cursors.items()
                       if scope in allowed or not scope.startswith(PASS_SCOPE)}
        refused = sorted(set(cursors) - allowed)
        if refused:
            raise Refused(403, f"this device may not pull: {', '.join(refused)}")
        if any(cursor < 0 for cursor in cursors.values()):
            raise Refused(400, "cursors cannot be negative")
        page = replication.pull(connection, device.organizer_id, cursors, db.fragments, device.role)
    # Serialised with orjson directly: the documented shape is PullResponse.
    return _json(request, page)
