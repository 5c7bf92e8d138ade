"""How large a request body each route takes, refused with 413 before it is read.

The limit is checked against Content-Length when the request says it, and counted as the body
arrives when it does not (chunked): a 100 MB body never reaches a parser or the memory. The
limits are far above what the app sends: a push is at most 500 mutations (sync/client.py).
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KB, MB = 1024, 1024 * 1024
PUSH_LIMIT = 64 * MB  # an organizer's first push of a 100,000-ticket demo is 38 MB
PULL_LIMIT = 1 * MB
SMALL_LIMIT = 8 * KB  # enrollment, tokens, revocation
FORM_LIMIT = 16 * KB  # an RSVP answer or a pass-area form
_BY_PATH = {"/v1/push": PUSH_LIMIT, "/v1/pull": PULL_LIMIT, "/v1/rows": 2 * MB}
_BY_PREFIX = (("/v1/devices/", SMALL_LIMIT), ("/rsvp/", FORM_LIMIT), ("/pass/", FORM_LIMIT),
              ("/unsubscribe/", SMALL_LIMIT))


def body_limit(path: str) -> int:
    """The most bytes a body sent to `path` may have."""
    found = _BY_PATH.get(path)
    if found is not None:
        return found
    for prefix, limit in _BY_PREFIX:
        if path.startswith(prefix):
            return limit
    return SMALL_LIMIT


def too_large_body(limit: int) -> bytes:
    return orjson.dumps({"detail": f"the request body is larger than this call takes ({limit:,} bytes)",
                         "revoked": False})


class BodyLimit:
    """ASGI middleware: a body longer than its route's limit gets 413, read no further."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        length = _declared_length(scope)
        if length is not None and length > limit:
            await _refuse(send, limit)
            return
        if length is not None:
            await self.app(scope, receive, send)  # the server reads no more than it declared
            return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and not refused:
                    refused = True
                    if not started:
                        await _refuse(send, limit)
                    # To the app the client has gone: whatever it answers is not sent.
                    return {"type": "http.disconnect"}
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counting_receive, watching_send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0  # the HTTP server refuses a malformed one first
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = too_large_body(limit)
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
