"""Push and pull straight from ASGI: the two calls every device makes all day skip the framework.

Under fifty doors, FastAPI's routing, dependency solving, body parsing and middleware stack cost
about as much as the pushes and pulls themselves (~0.5 ms a call on the event loop, which every
call shares). This lane answers `POST /v1/push` and `POST /v1/pull` with the same functions as
the documented FastAPI routes (routes/replication.py, which the OpenAPI schema describes), the
same checks in the same order and the same errors; every other call goes on to the app.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import OperationalError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sync.protocol import SCHEMA_HEADER, PullRequest, PushRequest
from sync.server.deps import Refused, busy_answer, checked_schema, refused_answer
from sync.server.routes.replication import pull_answer, push_answer

Answer = Callable[[Request, Any, str | None], Awaitable[Response]]
_CALLS: dict[str, tuple[type[BaseModel], Answer]] = {"/v1/push": (PushRequest, push_answer),
                                                      "/v1/pull": (PullRequest, pull_answer)}


class SyncLane:
    """ASGI middleware: push and pull answered here, everything else passed to `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        call = _CALLS.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" else None
        if call is None:
            await self.app(scope, receive, send)
            return
        model, answer = call
        request = Request(scope, receive)
        try:
            body = await request.body()
            response = await self._answer(request, body, model, answer)
        except ClientDisconnect:
            response = refused_answer(Refused(400, "the request body was cut short"))
        except Refused as exc:
            response = refused_answer(exc)
        except OperationalError:
            response = busy_answer()
        await response(scope, receive, send)

    @staticmethod
    async def _answer(request: Request, body: bytes, model: type[BaseModel], answer: Answer) -> Response:
        # FastAPI's order: JSON that cannot be read first, then the schema version, then the body's shape.
        headers = request.headers
        parsed: Any = body or None
        if body and _is_json(headers.get("content-type", "")):
            try:
                parsed = orjson.loads(body)
            except orjson.JSONDecodeError:
                parsed = _read_as_fastapi_does(body)
                if isinstance(parsed, Response):
                    return parsed
        checked_schema(headers.get(SCHEMA_HEADER))
        if parsed is None:
            return _invalid([{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}])
        if isinstance(parsed, bytes):
            text = parsed.decode("utf-8", "replace")
            return _invalid([{"type": "model_attributes_type", "loc": ["body"], "input": text,
                              "msg": "the body must be JSON, sent as Content-Type: application/json"}])
        try:
            validated = model.model_validate(parsed)
        except ValidationError as exc:
            return _invalid([{"type": e["type"], "loc": ["body", *e["loc"]], "msg": e["msg"], "input": e["input"]}
                             for e in exc.errors(include_url=False)])
        return await answer(request, validated, headers.get("authorization"))


def _read_as_fastapi_does(body: bytes) -> Any:
    """What orjson refuses and the standard parser takes (NaN, huge integers, UTF-16), or FastAPI's refusal."""
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        return _invalid([{"type": "json_invalid", "loc": ["body", exc.pos], "msg": "JSON decode error",
                          "input": {}, "ctx": {"error": exc.msg}}])
    except ValueError as exc:  # not UTF-8/16/32 at all
        raise Refused(400, "There was an error parsing the body") from exc


def _is_json(content_type: str) -> bool:
    """application/json or application/*+json, parameters aside (FastAPI reads no other body as JSON)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def _invalid(errors: list[dict[str, Any]]) -> Response:
    """422 with FastAPI's shape of a request validation error."""
    return Response(orjson.dumps({"detail": errors}, default=str), status_code=422, media_type="application/json")
