"""Crash safety: a writer killed with SIGKILL mid-save leaves the last good version readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

from zopa.store import Store, open_store
from zopa.store.tables import HeadRow, SnapshotRow, VersionRow

CHILD = Path(__file__).with_name("store_child.py")


def _start(mode: str, db_url: str, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(CHILD), mode, db_url, str(folder)],
                            stderr=subprocess.DEVNULL)


def _kill_when(child: subprocess.Popen[bytes], marker: Path,
               before_kill: Callable[[], None] = lambda: None) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None, f"writer exited with {child.returncode} before {marker.name}"
        assert time.monotonic() < deadline, f"no {marker.name} marker"
        time.sleep(0.002)
    before_kill()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def _check_consistent(db_url: str, name: str) -> None:
    """Physical and logical consistency after the kill, read by a fresh process's engine."""
    with open_store(db_url) as store, store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        heads = connection.execute(select(HeadRow.name, VersionRow.number, VersionRow.name)
                                   .join(VersionRow, HeadRow.version_id == VersionRow.id)).all()
        for head_name, number, version_name in heads:
            assert head_name == version_name
            count, top = connection.execute(
                select(func.count(), func.max(VersionRow.number))
                .where(VersionRow.name == head_name)).one()
            assert count == top == number, f"{head_name}: versions beyond the head"
        orphans = connection.execute(
            select(func.count()).select_from(VersionRow)
            .outerjoin(SnapshotRow, VersionRow.snapshot_hash == SnapshotRow.hash)
            .where(SnapshotRow.hash.is_(None))).scalar()
        assert orphans == 0
        for version in store.scenarios.history(name):
            store.scenarios.load(version)  # payload readable and matching its hash


def test_kill_inside_the_save_transaction(store: Store, db_url: str, harbour,
                                          tmp_path: Path) -> None:
    good = store.scenarios.save(harbour, parent=None, message="last good").version
    snapshots_before = _count_snapshots(store)
    child = _start("hang", db_url, tmp_path)
    _kill_when(child, tmp_path / "inside", lambda: _assert_mid_transaction(store))
    _check_consistent(db_url, "harbour")
    with open_store(db_url) as after:
        assert after.scenarios.head("harbour") == good
        assert after.scenarios.checkout("harbour").scenario == harbour
        assert _count_snapshots(after) == snapshots_before  # the big payload was rolled back
        edited = harbour.replace(description="after the crash")
        saved = after.scenarios.save(edited, parent=good).version  # writable again, no lock left
        assert saved.number == 2


def test_kill_during_a_loop_of_saves(store: Store, db_url: str, harbour,
                                     tmp_path: Path) -> None:
    store.scenarios.save(harbour, parent=None)
    child = _start("loop", db_url, tmp_path)
    _kill_when(child, tmp_path / "committed-3")
    committed = max(int(p.name.split("-")[1]) for p in tmp_path.glob("committed-*"))
    _check_consistent(db_url, "harbour")
    with open_store(db_url) as after:
        head = after.scenarios.head("harbour")
        assert head is not None
        # every save whose commit the writer saw is there; at most one more (killed after
        # its commit, before its marker)
        assert committed + 1 <= head.number <= committed + 2
        assert after.scenarios.load(head).description.startswith("edit ")


def _assert_mid_transaction(store: Store) -> None:
    """Evidence that the kill lands inside the writer's open transaction, data written."""
    with store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            wal = Path(f"{store.engine.url.database}-wal")
            assert wal.stat().st_size > 1_000_000  # uncommitted pages of the big version
        else:
            waiting = connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'idle in transaction'")).scalar()
            assert waiting == 1


def _count_snapshots(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(SnapshotRow)).scalar())
