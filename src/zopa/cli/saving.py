"""``--save``: record what a command computed as a run in the store."""

from __future__ import annotations

from typing import Any

import typer

from zopa.scenario import Scenario

__all__ = ["DB_OPTION", "SAVE_OPTION", "save_run"]

SAVE_OPTION = typer.Option(False, "--save",
                           help="Record this run in the store (with the scenario version).")
DB_OPTION = typer.Option(None, "--db", help="Store URL (default: $ZOPA_DATABASE_URL or the "
                                            "SQLite file in the user's data directory).")


def save_run(save: bool, db: str | None, method: str, scenario: Scenario,
             parameters: dict[str, Any], result: Any, seed: int | None = None) -> None:
    """Record the run when ``--save`` was given; say where on stderr."""
    if not save:
        return
    from zopa.store import record_run

    record = record_run(method, scenario, parameters=parameters, result=result, seed=seed,
                        db=db)
    typer.echo(f"saved run {record.id} ({method})", err=True)
