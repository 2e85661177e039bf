"""Where the store lives: URL resolution, the default file, SQLite settings, bad URLs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from zopa.errors import StoreError
from zopa.store import default_database_path, open_store, resolve_url
from zopa.store.engine import display_url, make_engine


def test_url_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ZOPA_DATABASE_URL", raising=False)
    assert resolve_url() == f"sqlite:///{default_database_path()}"
    monkeypatch.setenv("ZOPA_DATABASE_URL", "postgres://team@db.example/zopa")
    assert resolve_url() == "postgresql+psycopg://team@db.example/zopa"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    assert resolve_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    assert display_url("postgresql+psycopg://u:secret@h/d") == "postgresql+psycopg://u:***@h/d"


def test_default_database_is_in_the_user_data_directory(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.delenv("ZOPA_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert default_database_path() == tmp_path / "data" / "zopa" / "zopa.db"
    with open_store() as store:
        assert store.scenarios.head("ukraine-2025") is not None
    assert default_database_path().exists()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "z.db"))
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    engine.dispose()


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://u@h/d", "unsupported database 'mysql'"),
    ("not a url://x", "not a database URL"),
    ("postgresql+psycopg://nobody:x@127.0.0.1:1/none", "cannot open the store"),
])
def test_bad_urls_are_store_errors(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(str(junk))


def test_the_command_line_imports_sqlalchemy_only_when_a_store_command_runs() -> None:
    code = ("import sys, zopa.cli.store_cmd, zopa.cli.app; "
            "print('sqlalchemy' in sys.modules, 'zopa.store' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split() == ["False", "False"], result.stderr
