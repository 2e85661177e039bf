"""The ASGI types the app's own middleware is written against (see the ASGI spec)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["ASGIApp", "Message", "Receive", "Scope", "Send", "send_detail"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def send_detail(send: Send, status: int, detail: str,
                      headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    """Answer ``{"detail": detail}`` with ``status``, as the API's own errors do."""
    body = json.dumps({"detail": detail}).encode()
    start = [(b"content-type", b"application/json"),
             (b"content-length", str(len(body)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": body})
