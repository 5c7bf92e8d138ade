"""The FastAPI application factory of the sync server."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.responses import Response
from starlette.routing import Route

from sync.protocol import SCHEMA_VERSION
from sync.server import openapi
from sync.server.body import Invalid, invalid_answer
from sync.server.database import Database, upgrade
from sync.server.deps import Refused, busy_answer, refused_answer
from sync.server.limits import BodyLimit
from sync.server.mail import routes as mail_routes
from sync.server.mail import sender as mail_sender
from sync.server.request_log import RequestLog
from sync.server.routes import devices, pass_area, profiles, replication
from sync.server.rsvp import routes as rsvp
from sync.server.rsvp import unsubscribe
from sync.server.throttle import Throttles


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
    app.state.throttles = Throttles.default()
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    # Outermost: a body larger than its route takes is refused before any of it is read.
    app.add_middleware(BodyLimit)
    app.add_middleware(RequestLog)  # outside the limit: refused bodies are logged too
    # Push and pull first: every device calls them all day, and routes are matched in order.
    for call in replication.FRONT_DOOR:
        app.router.routes.insert(0, Route(call.path, call.endpoint, methods=["POST"], include_in_schema=False))
    openapi.document(app, replication.FRONT_DOOR)
    app.include_router(devices.router)
    app.include_router(profiles.router)
    app.include_router(replication.router)
    app.include_router(rsvp.router)
    app.include_router(unsubscribe.router)
    app.include_router(pass_area.router)
    app.include_router(mail_routes.router)

    @app.exception_handler(Refused)
    def refused(_request: Request, exc: Refused) -> JSONResponse:
        return refused_answer(exc)

    @app.exception_handler(Invalid)
    def invalid(_request: Request, exc: Invalid) -> Response:
        return invalid_answer(exc.errors)

    @app.exception_handler(RequestValidationError)
    def not_valid(_request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's own 422 echoes every input whole: a large body came back in full.
        return invalid_answer(list(exc.errors()))

    @app.exception_handler(OperationalError)
    def busy(_request: Request, _exc: OperationalError) -> JSONResponse:
        return busy_answer()

    @app.get("/v1/health")
    def health() -> dict[str, int]:
        return {"schema": SCHEMA_VERSION}

    return app
