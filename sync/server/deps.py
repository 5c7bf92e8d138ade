"""Request dependencies: the database session, the schema version check, the calling device."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.auth import Claims, TokenError, verify_token
from sync.server.database import Database
from sync.server.replication import DeviceRow, load_device
from sync.server.tables import Device
from sync.server.token_keys import TokenKeys, load_keys


class Refused(Exception):
    """An answer in the 4xx range with a reason in plain words."""

    def __init__(self, status: int, detail: str, revoked: bool = False, seq: int | None = None,
                 retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.revoked, self.seq = status, detail, revoked, seq
        self.retry_after = retry_after


def refused_answer(exc: Refused) -> JSONResponse:
    body: dict[str, object] = {"detail": exc.detail, "revoked": exc.revoked}
    if exc.seq is not None:
        body["seq"] = exc.seq  # the mutation the device must set aside to go on
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return JSONResponse(body, status_code=exc.status, headers=headers)


def busy_answer() -> JSONResponse:
    # A locked or unreachable database is transient: the client retries later, changes nothing.
    return JSONResponse({"detail": "the server is busy, try again shortly"}, status_code=503,
                        headers={"Retry-After": "2"})


def database_of(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


async def database(request: Request) -> Database:
    # async: FastAPI runs a plain function in a worker thread, a round trip for a field read.
    return database_of(request)


def session(db: Annotated[Database, Depends(database)]) -> Iterator[Session]:
    with db.session() as opened:
        yield opened


async def schema_version(version: Annotated[str | None, Header(alias=SCHEMA_HEADER)] = None) -> int:
    return checked_schema(version)


def checked_schema(version: str | None) -> int:
    """The protocol version a call speaks, refused unless it is this server's."""
    if version is None:
        raise Refused(400, f"the {SCHEMA_HEADER} header is missing (this server speaks {SCHEMA_VERSION})")
    if version != str(SCHEMA_VERSION):
        raise Refused(426, f"schema version {version} is not supported: this server speaks {SCHEMA_VERSION}; "
                           "update the app")
    return SCHEMA_VERSION


def _keys(request: Request, opened: Session) -> TokenKeys:
    # The keys live in the secrets file (token_keys.py), read once per process: restart after rotate-key.
    cached: TokenKeys | None = getattr(request.app.state, "token_keys", None)
    if cached is None:
        cached = load_keys(opened)
        opened.commit()
        request.app.state.token_keys = cached
        request.app.state.token_key = cached.current
    return cached


def _key(request: Request, opened: Session) -> bytes:
    return _keys(request, opened).current


def _claims(key: Callable[[], TokenKeys], authorization: str | None) -> Claims:
    if not authorization or not authorization.startswith("Bearer "):
        raise Refused(401, "an access token is required (Authorization: Bearer …)")
    try:
        return verify_token(key().accepted, authorization.removeprefix("Bearer "))
    except TokenError as exc:
        raise Refused(401, str(exc)) from exc


def _usable(device: Device | DeviceRow | None) -> None:
    if device is None:
        raise Refused(401, "this device is not enrolled")
    if (device.revoked if isinstance(device, DeviceRow) else device.revoked_at is not None):
        raise Refused(403, "this device was revoked: its copy must be wiped", revoked=True)


def current_device(request: Request, opened: Annotated[Session, Depends(session)],
                   _schema: Annotated[int, Depends(schema_version)],
                   authorization: Annotated[str | None, Header()] = None) -> Device:
    claims = _claims(lambda: _keys(request, opened), authorization)
    device = opened.get(Device, claims.device_id, with_for_update=False)
    _usable(device)
    assert device is not None
    return device


def token_claims(request: Request, authorization: str | None) -> Claims:
    """The caller's verified access token (push and pull: no session is open yet)."""
    def key() -> TokenKeys:
        cached: TokenKeys | None = getattr(request.app.state, "token_keys", None)
        if cached is not None:
            return cached
        with database_of(request).session() as opened:
            return _keys(request, opened)

    return _claims(key, authorization)


def calling_device(connection: Connection, claims: Claims, lock: bool = False) -> DeviceRow:
    """The device behind the access token, read without the ORM (push and pull, once per call).

    `lock` holds its row until commit: two pushes of one device never interleave, on any process.
    """
    device = load_device(connection, claims.device_id, lock=lock)
    _usable(device)
    assert device is not None
    return device


def token_key(request: Request, opened: Session) -> bytes:
    return _key(request, opened)


def accepted_token_keys(request: Request, opened: Session) -> tuple[bytes, ...]:
    """The current key, then the one before rotate-key: a form opened before a rotation still posts once."""
    return _keys(request, opened).accepted
