"""No lost update: writers racing on one parent, in separate processes; exactly one wins."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from zopa.store import Store

CHILD = Path(__file__).with_name("store_child.py")
WRITERS = 4


def _wait_for(paths: list[Path], processes: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + 120
    while not all(p.exists() for p in paths):
        for process in processes:
            if process.poll() not in (None, 0):
                raise AssertionError(process.communicate()[1])
        assert time.monotonic() < deadline, "writers did not get ready"
        time.sleep(0.01)


def test_concurrent_writers_on_one_parent_exactly_one_wins(store: Store, db_url: str, harbour,
                                                           tmp_path: Path) -> None:
    base = store.scenarios.save(harbour, parent=None).version
    writers = [subprocess.Popen([sys.executable, str(CHILD), "race", db_url, str(tmp_path),
                                 str(k)], stderr=subprocess.PIPE, text=True)
               for k in range(1, WRITERS + 1)]
    _wait_for([tmp_path / f"ready-{k}" for k in range(1, WRITERS + 1)], writers)
    (tmp_path / "go").touch()
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert [w.returncode for w in writers] == [0] * WRITERS, errors
    outcomes = {k: (tmp_path / f"outcome-{k}").read_text() for k in range(1, WRITERS + 1)}
    winners = [k for k, text in outcomes.items() if text == "saved"]
    assert len(winners) == 1, outcomes
    for k, text in outcomes.items():
        if k != winners[0]:
            assert text.startswith("StoreConflictError: conflict: cannot save 'harbour'"), text
            assert base.short in text and "@2" in text and f"writer-{winners[0]}" in text
    history = store.scenarios.history("harbour")
    assert [v.number for v in history] == [1, 2]
    assert history[1].parent == base.id and history[1].author == f"writer-{winners[0]}"
    saved = store.scenarios.load(history[1])
    assert saved.party("port").reservation.value == winners[0] / 100
