"""The plain Starlette routes (push and pull) in the app's OpenAPI schema, beside FastAPI's own routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION, Problem

REF = "#/components/schemas/{model}"


@dataclass(frozen=True)
class SyncCall:
    """A POST route served by Starlette directly: its path, endpoint, body model and answer model."""

    path: str
    endpoint: Callable[[Request], Awaitable[Response]]
    body: type[BaseModel]
    answer: type[BaseModel]
    summary: str


def _schema_of(model: type[BaseModel], mode: str, components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
    components.update(schema.pop("$defs", {}))
    components.setdefault(model.__name__, schema)
    return {"$ref": REF.format(model=model.__name__)}


def _operation(call: SyncCall, components: dict[str, Any]) -> dict[str, Any]:
    problem = {"content": {"application/json": {"schema": _schema_of(Problem, "serialization", components)}}}
    header = {"name": SCHEMA_HEADER, "in": "header", "required": False,
              "description": f"the protocol version the device speaks (this server: {SCHEMA_VERSION})",
              "schema": {"type": "string"}}
    authorization = {"name": "authorization", "in": "header", "required": False,
                     "description": "Bearer and the device's access token", "schema": {"type": "string"}}
    return {"post": {
        "tags": ["sync"], "summary": call.summary, "operationId": call.path.strip("/").replace("/", "_"),
        "parameters": [header, authorization],
        "requestBody": {"required": True,
                        "content": {"application/json": {"schema": _schema_of(call.body, "validation", components)}}},
        "responses": {
            "200": {"description": "Successful Response",
                    "content": {"application/json": {"schema": _schema_of(call.answer, "serialization", components)}}},
            **{code: {"description": text, **problem} for code, text in (
                ("400", "a malformed call"), ("401", "no valid access token"), ("403", "not this device's to do"),
                ("409", "out of order"), ("413", "the body is too large"), ("415", "the body is not JSON"),
                ("426", "another protocol version"))},
            "422": {"description": "the body does not fit its model"}}}}


def document(app: FastAPI, calls: Sequence[SyncCall]) -> None:
    """Make `app.openapi()` describe `calls` too, built once like FastAPI's own schema."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for call in calls:
                schema.setdefault("paths", {})[call.path] = _operation(call, components)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
