"""Access control: the token every request must carry when one is set, and Host checks.

With a token (required off loopback), a request is let through if it carries it as
``Authorization: Bearer TOKEN``, as the ``zopa_token`` cookie, or as ``?token=TOKEN``
(which answers with a redirect that sets the cookie and drops the token from the
address, so that a browser can open the printed link). The cookie holds a SHA-256
digest of the token, not the token itself. Anything else gets 401.

Without a token (loopback only), requests must name a loopback host in their
``Host`` header: a web page elsewhere cannot reach the app through DNS rebinding.
"""

from __future__ import annotations

import hashlib
import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode

from zopa.web.asgi import ASGIApp, Receive, Scope, Send, send_detail
from zopa.web.settings import is_loopback

__all__ = ["COOKIE", "AccessControl"]

COOKIE = "zopa_token"


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class AccessControl:
    """ASGI middleware enforcing the token (if any) and loopback Host headers (if none).

    Parameters
    ----------
    app
        The application to protect.
    token
        The secret; ``None`` when the app only listens on loopback.
    extra_hosts
        Further Host names accepted without a token (``testserver`` for tests).
    """

    def __init__(self, app: ASGIApp, *, token: str | None,
                 extra_hosts: tuple[str, ...] = ()) -> None:
        self.app = app
        self.token = token
        self.extra_hosts = extra_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if self.token is None:
            host = _host_name(headers.get("host", ""))
            if is_loopback(host) or host in self.extra_hosts:
                await self.app(scope, receive, send)
            else:
                await _deny(send, 403, f"this server only answers requests for a loopback host, "
                                       f"not {host!r}")
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if self._matches(query.get("token")):
            await _set_cookie(scope, send, _digest(self.token), query)
        elif self._accepts(headers):
            await self.app(scope, receive, send)
        else:
            await _deny(send, 401, "this server needs its access token: open the address it "
                                   "printed (with ?token=...), or send 'Authorization: Bearer "
                                   "TOKEN'")

    def _matches(self, offered: str | None) -> bool:
        return (offered is not None and self.token is not None
                and hmac.compare_digest(offered.encode(), self.token.encode()))

    def _accepts(self, headers: dict[str, str]) -> bool:
        authorization = headers.get("authorization", "")
        if authorization.lower().startswith("bearer "):
            return self._matches(authorization[7:].strip())
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header counts as no cookie
            return False
        return (COOKIE in cookie and self.token is not None
                and hmac.compare_digest(cookie[COOKIE].value, _digest(self.token)))


def _digest(token: str) -> str:
    return hashlib.sha256(f"zopa-web:{token}".encode()).hexdigest()


async def _deny(send: Send, status: int, detail: str) -> None:
    challenge = ((b"www-authenticate", b"Bearer"),) if status == 401 else ()
    await send_detail(send, status, detail, challenge)


async def _set_cookie(scope: Scope, send: Send, digest: str, query: dict[str, str]) -> None:
    rest = urlencode({k: v for k, v in query.items() if k != "token"})
    location = quote(scope.get("root_path", "") + scope["path"]) + (f"?{rest}" if rest else "")
    cookie = f"{COOKIE}={digest}; Path=/; HttpOnly; SameSite=Strict"
    headers = [(b"location", location.encode("latin-1")),
               (b"set-cookie", cookie.encode("latin-1")), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
