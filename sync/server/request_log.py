"""One log line per HTTP request: method, path, status and time taken, with tokens in paths hidden.

The path is written as its route's template where a route matched (`/rsvp/{token}`, not the guest's
token), and never with its query string.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("boxoffice.server.requests")


def logged_path(scope: Scope) -> str:
    """The request's path with each path parameter shown as {name}."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if isinstance(template, str):
        return scope.get("root_path", "") + template
    path = str(scope.get("path", ""))
    for name, value in (scope.get("path_params") or {}).items():
        if str(value):
            path = path.replace(str(value), "{" + name + "}")
    return path


class RequestLog:
    """ASGI middleware, outermost, so it times everything the server does for the call."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]
        logged = [False]

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                # Written before the last byte leaves, so a client that has its answer finds the line.
                logged[0] = True
                self._log(scope, status[0], (time.perf_counter() - started) * 1000)
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            if not logged[0]:
                self._log(scope, status[0], (time.perf_counter() - started) * 1000)

    @staticmethod
    def _log(scope: Scope, status: int, duration_ms: float) -> None:
        if not log.isEnabledFor(logging.INFO):
            return
        path = logged_path(scope)
        fields: dict[str, Any] = {"method": scope["method"], "path": path, "status": status,
                                  "duration_ms": round(duration_ms, 1)}
        log.info("%s %s %d %.1f ms", scope["method"], path, status, duration_ms, extra=fields)
