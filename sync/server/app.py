"""The FastAPI application factory of the sync server."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from sync.protocol import SCHEMA_VERSION
from sync.server.database import Database, upgrade
from sync.server.deps import Refused, busy_answer, refused_answer
from sync.server.lane import SyncLane
from sync.server.mail import routes as mail_routes
from sync.server.mail import sender as mail_sender
from sync.server.request_log import RequestLog
from sync.server.routes import devices, pass_area, replication
from sync.server.rsvp import routes as rsvp


def create_app(database_url: str, migrate: bool = True, send_mail: bool = False) -> FastAPI:
    """An app on `database_url`; all state that matters is in the database, so several
    processes on one PostgreSQL behave as one."""
    db = Database(database_url)
    if migrate:
        upgrade(db.engine)
    # send_mail: this process also runs the mail sender (several may: each message is claimed once).
    app = FastAPI(title="boxoffice sync server", version=str(SCHEMA_VERSION),
                  lifespan=mail_sender.lifespan(db) if send_mail else None)
    app.state.database = db
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.include_router(devices.router)
    app.include_router(replication.router)
    app.include_router(rsvp.router)
    app.include_router(pass_area.router)
    app.include_router(mail_routes.router)

    # Outermost: push and pull leave here, before the middleware and routing the other calls go through.
    app.add_middleware(SyncLane)
    app.add_middleware(RequestLog)  # outside the lane: push and pull are logged too

    @app.exception_handler(Refused)
    def refused(_request: Request, exc: Refused) -> JSONResponse:
        return refused_answer(exc)

    @app.exception_handler(OperationalError)
    def busy(_request: Request, _exc: OperationalError) -> JSONResponse:
        return busy_answer()

    @app.get("/v1/health")
    def health() -> dict[str, int]:
        return {"schema": SCHEMA_VERSION}

    return app
