"""Resolve the scenario argument: a file path, ``-`` for stdin, or a catalog name."""

from __future__ import annotations

from pathlib import Path

import typer

from zopa.catalog import DEFAULT_SCENARIO, catalog_names, load_catalog_scenario
from zopa.errors import ScenarioError
from zopa.formats import load_scenario
from zopa.scenario import Scenario

__all__ = ["PLAN_OPTION", "SCENARIO_ARGUMENT", "read_scenario"]

SCENARIO_ARGUMENT = typer.Argument(
    DEFAULT_SCENARIO,
    help="Scenario: a YAML/JSON file, '-' for standard input, or a catalog name.",
    show_default=True,
)
PLAN_OPTION = typer.Option(None, "--plan", "-p", help="Id of one of the scenario's proposals.")


def read_scenario(reference: str) -> Scenario:
    """Load the scenario a command-line argument names."""
    if reference == "-" or Path(reference).exists():
        return load_scenario(reference)
    if reference in catalog_names():
        return load_catalog_scenario(reference)
    raise ScenarioError(
        f"no such file or catalog scenario; catalog has {catalog_names()}", file=reference
    )


def require_plan(scenario: Scenario, plan: str | None) -> str:
    """The plan id given with --plan, or a one-line error listing the scenario's plans."""
    ids = [p.id for p in scenario.proposals]
    if plan is None:
        raise ScenarioError(f"this command needs --plan NAME; plans in {scenario.id}: {ids}")
    if plan not in ids:
        raise ScenarioError(f"unknown plan {plan!r}; plans in {scenario.id}: {ids}",
                            path=("--plan",))
    return plan
