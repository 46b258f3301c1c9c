"""Bounded requests: an ASGI middleware that answers oversized requests itself, before any route runs.

414 for a query string over ``MAX_QUERY`` bytes, 431 for headers over ``MAX_HEADER`` bytes (one) or
``MAX_HEADERS`` bytes (all), 413 for a body over ``MAX_BODY`` bytes (declared or streamed). Each answer is
the API's one-line JSON error. (``whoholds serve`` raises uvicorn's own header limit above these, so the
client gets these statuses rather than a reset connection.)
"""

from __future__ import annotations

import json
from typing import Any

MAX_QUERY = 4096
MAX_HEADER = 8192
MAX_HEADERS = 32768
MAX_BODY = 64 * 1024


async def _reply(send: Any, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass


class RequestLimits:
    def __init__(self, app: Any, max_query: int = MAX_QUERY, max_header: int = MAX_HEADER,
                 max_headers: int = MAX_HEADERS, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_query, self.max_header, self.max_headers, self.max_body = max_query, max_header, max_headers, max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if len(query) > self.max_query:
            await _reply(send, 414, f"query string: {len(query)} bytes, more than the {self.max_query} allowed")
            return
        sizes = [len(k) + len(v) for k, v in scope.get("headers", [])]
        if sizes and (max(sizes) > self.max_header or sum(sizes) > self.max_headers):
            await _reply(send, 431, f"request headers: too large (at most {self.max_header} bytes each, "
                                    f"{self.max_headers} in all)")
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _reply(send, 413, f"request body: {int(declared)} bytes, more than the {self.max_body} allowed")
            return
        seen = 0
        started = False

        async def counted_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if not started:
                await _reply(send, 413, f"request body: more than the {self.max_body} bytes allowed")
