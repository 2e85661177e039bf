"""Request bodies are bounded: a larger one is refused with 413 before or while it is read."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

LOCAL = "http://127.0.0.1"
BASE = "/api/scenarios/ukraine-2025"
LIMIT = 4096


def _save_body(padding: int) -> dict[str, object]:
    return {"parent": "@1", "message": "x" * 10 + " " * padding,
            "edits": [{"path": "parties[0].reservation", "value": 0.7}]}


def test_a_declared_length_above_the_limit_is_refused_unread(
        make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(max_body_bytes=LIMIT), base_url=LOCAL) as client:
        answer = client.post(f"{BASE}/versions", content=b"{" + b" " * LIMIT + b"}",
                             headers={"content-type": "application/json"})
        assert answer.status_code == 413
        detail = answer.json()["detail"]
        assert "4,098 bytes" in detail and "limit of 4,096 bytes" in detail
        assert [v["number"] for v in client.get(f"{BASE}/versions").json()] == [1]


def test_a_body_within_the_limit_reaches_the_app(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(max_body_bytes=LIMIT), base_url=LOCAL) as client:
        answer = client.post(f"{BASE}/versions", json=_save_body(padding=100))
        assert answer.status_code == 201, answer.text
        assert len(client.get(f"{BASE}/versions").json()) == 2


def test_the_default_limit_admits_the_largest_save_the_schema_allows(
        make_app: Callable[..., FastAPI]) -> None:
    sources = {f"s{i}": {"title": "t" * 300, "url": "https://example.org/" + "p" * 400,
                         "notes": "n" * 1000} for i in range(20)}
    body = {"parent": "@1", "message": "m" * 2000, "author": "a" * 100,
            "sources": ["https://example.org/" + "q" * 480] * 20,
            "edits": [{"path": "parties[0].reservation", "value": 0.7}] * 100,
            "new_sources": sources}
    size = len(json.dumps(body).encode())
    with TestClient(make_app(), base_url=LOCAL) as client:
        answer = client.post(f"{BASE}/versions", json=body)
    assert size > 50_000
    assert answer.status_code != 413, (size, answer.text)


def test_without_the_token_a_large_body_is_not_even_read(
        make_app: Callable[..., FastAPI]) -> None:
    app = make_app(host="0.0.0.0", token="s3cret", max_body_bytes=LIMIT)
    with TestClient(app, base_url=LOCAL) as client:
        answer = client.post(f"{BASE}/versions", content=b" " * (10 * LIMIT))
    assert answer.status_code == 401


def _chunked_upload(url_port: int, chunks: int, chunk: bytes) -> tuple[bytes, int]:
    """POST a chunked body over a raw socket; the answer and how many chunks went out."""
    sent = 0
    with socket.create_connection(("127.0.0.1", url_port), timeout=10) as conn:
        conn.sendall(f"POST {BASE}/versions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                     .encode())
        try:
            for _ in range(chunks):
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += 1
                time.sleep(0.001)
            conn.sendall(b"0\r\n\r\n")
        except OSError:  # the server answered and closed: stop sending
            pass
        answer = b""
        while b"\r\n\r\n" not in answer:
            part = conn.recv(65536)
            if not part:
                break
            answer += part
    return answer, sent


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(
        make_app: Callable[..., FastAPI], serve: Callable[[FastAPI], Any]) -> None:
    with serve(make_app(max_body_bytes=LIMIT)) as server:
        answer, sent = _chunked_upload(server.port, chunks=2000, chunk=b" " * 1024)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"above the limit of 4,096 bytes" in answer
    assert sent < 2000  # the server stopped listening long before 2 MB went out


def test_an_oversized_request_leaves_the_server_working(
        make_app: Callable[..., FastAPI], serve: Callable[[FastAPI], Any]) -> None:
    with serve(make_app(max_body_bytes=LIMIT)) as server:
        _chunked_upload(server.port, chunks=50, chunk=b" " * 1024)
        assert httpx.get(f"{server.url}{BASE}/versions", timeout=10).status_code == 200
