"""``zopa serve``: refuses to expose the app without a token; serves and prints the address."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from zopa.cli.serve_cmd import serve
from zopa.errors import ZopaError

RUN_SERVE = "import typer; from zopa.cli.serve_cmd import serve; typer.run(serve)"


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(serve)
    return app


def test_a_non_loopback_host_without_a_token_is_refused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZOPA_TOKEN", raising=False)
    result = CliRunner().invoke(_app(), ["--host", "0.0.0.0", "--db", str(tmp_path / "z.db")])
    assert isinstance(result.exception, ZopaError)
    message = str(result.exception)
    assert "\n" not in message
    assert message.startswith("refusing to serve on 0.0.0.0 (not a loopback address) without a "
                              "token: set ZOPA_TOKEN")
    assert not (tmp_path / "z.db").exists()  # refused before touching anything


def test_serve_prints_the_address_and_serves_the_app(tmp_path: Path, port: int) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("ZOPA_TOKEN", "ZOPA_DATABASE_URL")}
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_SERVE, "--port", str(port), "--db", str(tmp_path / "z.db")],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        assert first.strip() == f"zopa web app: open http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=30)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
        assert answer.status_code == 200
        assert "<h1>Ending the war in Ukraine" in answer.text
    finally:
        process.terminate()
        process.wait(30)
    assert process.stdout is not None and process.stdout.read() == ""  # data only on stdout
