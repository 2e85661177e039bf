"""Request body limits: no request may make the server hold more than a set number of bytes.

The API's largest legitimate body (a save with 100 edits, 20 sources and 20 new source
records) is well under 100 KB, so bodies are capped, by default at 256 KiB
(:attr:`zopa.web.Settings.max_body_bytes`). A request that declares a larger
``Content-Length`` is answered 413 before a byte of it is read; one that streams more
than the limit (chunked, or lying about its length) is cut off as soon as the limit is
passed, also with 413. Within the limit the body is read whole and handed to the
application, which therefore never sees a partial body.
"""

from __future__ import annotations

from zopa.web.asgi import ASGIApp, Message, Receive, Scope, Send, send_detail

__all__ = ["BodyLimit"]


class BodyTooLarge(Exception):
    """Raised while reading a body that goes past the limit."""


class BodyLimit:
    """ASGI middleware refusing request bodies larger than ``max_bytes`` with 413.

    Parameters
    ----------
    app
        The application to protect.
    max_bytes
        The largest body accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send, f"the request body has {declared:,} bytes")
            return
        try:
            body, disconnected = await self._read(receive)
        except BodyTooLarge:
            await self._refuse(send, "the request body is longer")
            return
        await self.app(scope, _replay(body, disconnected, receive), send)

    async def _read(self, receive: Receive) -> tuple[bytes, bool]:
        """The whole body, read up to the limit; and whether the client went away."""
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"".join(parts), True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyTooLarge
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts), False

    async def _refuse(self, send: Send, what: str) -> None:
        detail = (f"{what}, above the limit of {self.max_bytes:,} bytes for one request; "
                  "send fewer edits at a time")
        await send_detail(send, 413, detail, ((b"connection", b"close"),))


def _declared_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server itself rejects a malformed length
    return None


def _replay(body: bytes, disconnected: bool, receive: Receive) -> Receive:
    """A ``receive`` that hands over the buffered body once, then waits on the client."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            if disconnected:
                return {"type": "http.disconnect"}
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
