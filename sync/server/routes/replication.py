"""`POST /v1/push` and `POST /v1/pull` (DESIGN: Sync protocol).

These two are every device's steady traffic; sync/server/lane.py serves them straight from ASGI
with the functions here, and the routes document them. A push goes to the database's writer (one
thread and one commit for many pushes on SQLite); a pull runs on the event loop on SQLite and in
ONE worker-thread call on PostgreSQL (FastAPI runs every plain dependency in a thread of its own,
and those round trips cost more than the SQL). The answers are orjson bytes.
"""

from __future__ import annotations

import gzip
from typing import Annotated, Any

import anyio
import anyio.to_thread
import orjson
from fastapi import APIRouter, Depends, Header, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sync.protocol import (
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
from sync.server.deps import Refused, calling_device, current_device, database_of, schema_version, session, token_claims
from sync.server.mail import queue as mail_queue
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


@router.post("/push", response_model=PushResponse)
async def push(body: PushRequest, request: Request, _schema: Annotated[int, Depends(schema_version)],
               authorization: Annotated[str | None, Header()] = None) -> Response:
    return await push_answer(request, body, authorization)


async def push_answer(request: Request, body: PushRequest, authorization: str | None) -> Response:
    """Apply a device's batch (the schema version already checked); also served by sync/server/lane.py."""
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
        results = replication.push(opened, device, batch)
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
                                                database_of(request).fragments)
    return Response(orjson.dumps({"changes": changes, "missing": missing}), media_type="application/json")


@router.post("/pull", response_model=PullResponse)
async def pull(body: PullRequest, request: Request, _schema: Annotated[int, Depends(schema_version)],
               authorization: Annotated[str | None, Header()] = None) -> Response:
    return await pull_answer(request, body, authorization)


async def pull_answer(request: Request, body: PullRequest, authorization: str | None) -> Response:
    """A page of changes for the device (the schema version already checked); also served by sync/server/lane.py."""
    claims = await _claims(request, authorization)
    if database_of(request).is_sqlite:
        # On the event loop itself: a pull of the unread tail reads a few index pages and cached
        # texts (~0.3 ms), less than the hand-off to a thread and back, and no reader waits for a
        # lock in WAL mode. Threads only contend for the GIL with the writer thread.
        return _pull(request, claims, body.cursors)
    return await anyio.to_thread.run_sync(_pull, request, claims, body.cursors, limiter=_readers(request))


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
        refused = sorted(set(cursors) - allowed)
        if refused:
            raise Refused(403, f"this device may not pull: {', '.join(refused)}")
        if any(cursor < 0 for cursor in cursors.values()):
            raise Refused(400, "cursors cannot be negative")
        page = replication.pull(connection, device.organizer_id, cursors, db.fragments)
    # Serialised with orjson directly: the documented shape is PullResponse.
    return _json(request, page)
