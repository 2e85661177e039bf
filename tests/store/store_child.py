"""A separate process that writes to a store, for the concurrency and crash tests.

Run as a script (never imported by the tests): ``python store_child.py MODE URL DIR [ARG]``.

``race``
    Read the head of ``harbour``, touch ``DIR/ready-ARG``, wait for ``DIR/go``, then
    save an edit (port reservation ARG/100) on that head; write the outcome
    (``saved`` or the error class and message) to ``DIR/outcome-ARG``.
``hang``
    Save a large version of ``harbour`` on its head, but stop inside the transaction
    just before the head moves: touch ``DIR/inside`` and sleep until killed.
``loop``
    Save large versions one after the other; after each commit touch
    ``DIR/committed-N``. Runs until killed.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from sqlalchemy import event


def _edit(scenario, k: int, padding: int = 0):  # type: ignore[no-untyped-def]
    from zopa.scenario import Uncertain

    port = dataclasses.replace(scenario.party("port"), reservation=Uncertain.point(k / 100))
    edited = scenario.with_party(port)
    return edited.replace(description=f"edit {k} " + "x" * padding) if padding else edited


def _race(store, folder: Path, k: int) -> None:  # type: ignore[no-untyped-def]
    head = store.scenarios.head("harbour")
    scenario = store.scenarios.load(head)
    (folder / f"ready-{k}").touch()
    deadline = time.monotonic() + 120
    while not (folder / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.005)
    try:
        store.scenarios.save(_edit(scenario, k), parent=head, author=f"writer-{k}")
        outcome = "saved"
    except Exception as error:  # reported to the parent test
        outcome = f"{type(error).__name__}: {error}"
    (folder / f"outcome-{k}").write_text(outcome)


def _hang(store, folder: Path) -> None:  # type: ignore[no-untyped-def]
    def pause(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE SCENARIO_HEADS"):
            (folder / "inside").touch()
            time.sleep(600)

    event.listen(store.engine, "before_cursor_execute", pause)
    head = store.scenarios.head("harbour")
    big = _edit(store.scenarios.load(head), 99, padding=8_000_000)
    store.scenarios.save(big, parent=head, message="never committed")


def _loop(store, folder: Path) -> None:  # type: ignore[no-untyped-def]
    head = store.scenarios.head("harbour")
    scenario = store.scenarios.load(head)
    for n in range(1, 10_000):
        head = store.scenarios.save(_edit(scenario, n % 90 + 1, padding=1_000_000 + n),
                                    parent=head, message=f"loop {n}").version
        (folder / f"committed-{n}").touch()


def main() -> None:
    from zopa.store import open_store

    mode, url, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    with open_store(url) as store:
        if mode == "race":
            _race(store, folder, int(sys.argv[4]))
        elif mode == "hang":
            _hang(store, folder)
        else:
            _loop(store, folder)


if __name__ == "__main__":
    main()
