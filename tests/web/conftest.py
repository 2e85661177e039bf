"""Web fixtures: an app on a fresh SQLite store, a client for its API, a live server."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the 'web' extra")

from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from zopa.web import Settings, create_app  # noqa: E402

SCENARIO = "ukraine-2025"
LOCAL = "http://127.0.0.1"


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., FastAPI]:
    """``make_app(**settings)``: an app on a SQLite store in the test's folder."""

    def build(warm: bool = False, **changes: Any) -> FastAPI:
        settings = Settings(database_url=f"sqlite:///{tmp_path / 'zopa.db'}", **changes)
        return create_app(settings, warm=warm)

    return build


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    """A client of a fresh app (Host 127.0.0.1, as a browser on this machine sends)."""
    with TestClient(make_app(), base_url=LOCAL) as opened:
        yield opened


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """uvicorn serving an app on a free loopback port, in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="zopa-test-server",
                                       daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture
def live_server(make_app: Callable[..., FastAPI]) -> Iterator[LiveServer]:
    """A real uvicorn server on a free loopback port, its results warmed in the background."""
    with LiveServer(make_app(warm=True)) as server:
        yield server


@pytest.fixture
def serve() -> Callable[[FastAPI], LiveServer]:
    """``with serve(app) as server``: any app on a real server (for apps with settings)."""
    return LiveServer


@pytest.fixture
def port() -> int:
    """A free TCP port on the loopback interface."""
    return free_port()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh PostgreSQL database on ``postgres_server``, dropped afterwards."""
    base = postgres_server
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from zopa.store import resolve_url

    server = make_url(resolve_url(base))
    name = f"zopa_web_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
