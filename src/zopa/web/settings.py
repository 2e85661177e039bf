"""How the web app is configured: the database, the address it serves on, the access token.

A frozen :class:`Settings` is passed to :func:`zopa.web.create_app`; nothing is read
from the environment behind its back. :meth:`Settings.from_environment` is the one
place that reads ``ZOPA_TOKEN`` and ``ZOPA_DATABASE_URL``.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from dataclasses import dataclass
from typing import Any

from zopa.catalog import DEFAULT_SCENARIO
from zopa.errors import ZopaError

__all__ = ["MAX_BODY_BYTES", "MAX_CONCURRENT_JOBS", "MAX_RUNS", "TOKEN_VARIABLE", "Settings",
           "is_loopback"]

TOKEN_VARIABLE = "ZOPA_TOKEN"
DATABASE_VARIABLE = "ZOPA_DATABASE_URL"
MAX_RUNS = 20_000
MAX_BODY_BYTES = 256 * 1024
MAX_CONCURRENT_JOBS = 2
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost")
    (True, True, True)
    >>> is_loopback("0.0.0.0"), is_loopback("192.168.1.5"), is_loopback("example.org")
    (False, False, False)
    """
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the web app needs to start.

    Attributes
    ----------
    database_url
        Database URL or SQLite file; ``None`` for the default store
        (``$ZOPA_DATABASE_URL``, else ``zopa.db`` in the user's data directory).
    host, port
        Where the server listens (used to decide whether a token is required and to
        print the address).
    token
        When set, every request must present it (``Authorization: Bearer TOKEN``, the
        ``zopa_token`` cookie, or ``?token=TOKEN`` once, which sets the cookie).
        Required when ``host`` is not a loopback address.
    scenario
        The scenario the home page opens (a name in the store; the catalog's
        ``ukraine-2025`` is saved as version 1 on first use).
    max_runs
        The largest Monte Carlo experiment a request may start.
    max_jobs
        How many Monte Carlo experiments may run at once.
    author
        Author recorded for saves that name none (default: the store's default author).
    trusted_hosts
        Host names accepted in the ``Host`` header without a token, besides loopback
        ones (tests use ``testserver``).
    max_body_bytes
        The largest request body accepted (larger ones get 413 before they are read).
    """

    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    scenario: str = DEFAULT_SCENARIO
    max_runs: int = MAX_RUNS
    max_jobs: int = MAX_CONCURRENT_JOBS
    author: str | None = None
    trusted_hosts: tuple[str, ...] = ()
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        if self.token is not None and not self.token.strip():
            object.__setattr__(self, "token", None)

    @classmethod
    def from_environment(cls, **overrides: Any) -> Settings:
        """Settings from ``ZOPA_TOKEN`` and ``ZOPA_DATABASE_URL``, then ``overrides``.

        Overrides that are ``None`` are ignored, so command-line options that were
        not given keep the environment's values.
        """
        found: dict[str, Any] = {"token": os.environ.get(TOKEN_VARIABLE) or None,
                                 "database_url": os.environ.get(DATABASE_VARIABLE) or None}
        found.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**found)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def check(self) -> None:
        """Refuse settings that would expose the app without a token.

        Raises
        ------
        ZopaError
            When ``host`` is not a loopback address and no token is set, or a limit
            is not positive.
        """
        if not is_loopback(self.host) and self.token is None:
            raise ZopaError(f"refusing to serve on {self.host} (not a loopback address) "
                            f"without a token: set {TOKEN_VARIABLE} to a secret, or use "
                            "--host 127.0.0.1")
        if not 1 <= self.port <= 65535:
            raise ZopaError(f"expected a port between 1 and 65535, got {self.port}")
        if self.max_runs < 1 or self.max_jobs < 1 or self.max_body_bytes < 1:
            raise ZopaError("expected max_runs, max_jobs and max_body_bytes of at least 1")

    @property
    def address(self) -> str:
        """The URL to open in a browser (with the token, if one is set)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if host in ("0.0.0.0", "[::]"):
            host = "127.0.0.1" if host == "0.0.0.0" else "[::1]"
        query = f"?token={self.token}" if self.token else ""
        return f"http://{host}:{self.port}/{query}"
