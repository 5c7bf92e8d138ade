"""Reading a JSON request body: bounded in size and depth, plain text only, validated by its model.

`read_body(request, Model)` is the one way push and pull read their bodies (routes/replication.py),
and its checks are the ones every other route gets (app.py: the size limit as middleware, the
422's short excerpts as the validation handler). The order: the size before a byte is read
(limits.py), the content type, the JSON, the protocol version, the body's shape.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from sync.protocol import SCHEMA_HEADER
from sync.server.deps import Refused, checked_schema
from sync.server.limits import body_limit

M = TypeVar("M", bound=BaseModel)
MAX_DEPTH = 32
EXCERPT = 80
INT64 = (-(2**63), 2**63 - 1)
# C0 controls other than tab, line feed and carriage return, DEL, and lone surrogates.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class Invalid(Exception):
    """The body does not fit its model: a 422 listing each problem and where it is."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("the request body is not valid")
        self.errors = errors


def excerpt(value: Any) -> Any:
    """At most EXCERPT characters of what was sent: an error never echoes a whole body back."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else orjson.dumps(value, default=str,
                                                                 option=orjson.OPT_PASSTHROUGH_SUBCLASS).decode()
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def invalid_answer(errors: list[dict[str, Any]]) -> Response:
    """422 in FastAPI's shape (`detail`: type, loc, msg, input), inputs cut to a short excerpt."""
    detail = [{"type": e.get("type", "value_error"), "loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
               "input": excerpt(e.get("input"))} for e in errors[:20]]
    return Response(orjson.dumps({"detail": detail}, default=str), status_code=422, media_type="application/json")


def is_json(content_type: str) -> bool:
    """application/json or application/*+json, parameters aside; no type at all is read as JSON too."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return not kind or kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


async def read_bytes(request: Request) -> bytes:
    """The body, never more than the route's limit (limits.py refuses a longer one with 413 as it comes)."""
    limit = body_limit(request.scope["path"])
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Refused(413, f"the request body is larger than this call takes ({limit:,} bytes)")
            chunks.append(chunk)
    except ClientDisconnect:
        raise Refused(400, "the request body was cut short") from None
    return b"".join(chunks)


async def read_body(request: Request, model: type[M]) -> M:
    """The body as `model`, after the checks every JSON call gets; raises Refused or Invalid."""
    if not is_json(request.headers.get("content-type", "")):
        raise Refused(415, "send the body as JSON (Content-Type: application/json)")
    body = await read_bytes(request)
    parsed = parse_json(body)
    checked_schema(request.headers.get(SCHEMA_HEADER))
    return validated(model, parsed)


def parse_json(body: bytes) -> Any:
    """JSON with bounded depth, 64-bit integers and no control characters or lone surrogates."""
    if not body:
        raise Invalid([{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}])
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise Invalid([{"type": "json_invalid", "loc": ["body", exc.pos], "msg": f"JSON decode error: {exc.msg}",
                        "input": None}]) from None
    problem = plain_problem(parsed)
    if problem is not None:
        where, message, value = problem
        raise Invalid([{"type": "value_error", "loc": ["body", *where], "msg": message, "input": value}])
    return parsed


def plain_problem(value: Any) -> tuple[list[str | int], str, Any] | None:
    """The first place in parsed JSON that is too deep, an integer beyond 64 bits, or text with a
    control character or a lone surrogate: (where, what, the value), or None.

    A first pass without paths (a push's body is walked on every call), a second to name the place.
    """
    return _walk(value, with_paths=True) if _walk(value, with_paths=False) else None


def _walk(value: Any, with_paths: bool) -> tuple[list[str | int], str, Any] | None:
    stack: list[tuple[Any, int, list[str | int]]] = [(value, 0, [])]
    no_path: list[str | int] = []
    while stack:
        item, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            return where[:MAX_DEPTH], f"the body is nested deeper than {MAX_DEPTH} levels", None
        if isinstance(item, dict):
            for key, inner in item.items():
                if _FORBIDDEN.search(key):
                    return [*where, key], "a name holds a control character or a lone surrogate", key
                if not isinstance(inner, bool | None):
                    stack.append((inner, depth + 1, [*where, key] if with_paths else no_path))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1, [*where, n] if with_paths else no_path) for n, inner in enumerate(item)
                         if not isinstance(inner, bool | None))
        elif isinstance(item, str):
            if _FORBIDDEN.search(item):
                return where, "the text holds a control character or a lone surrogate", item
        elif isinstance(item, float):
            # orjson reads an integer beyond 64 bits as a float: a number no column can hold exactly.
            if item.is_integer() and not INT64[0] <= item <= INT64[1]:
                return where, "the number is beyond 64 bits", item
        elif not INT64[0] <= item <= INT64[1]:
            return where, "the number is beyond 64 bits", item
    return None


def validated(model: type[M], parsed: Any) -> M:
    try:
        return model.model_validate(parsed)
    except ValidationError as exc:
        raise Invalid([{**e, "loc": ["body", *e["loc"]]} for e in exc.errors(include_url=False)]) from None
