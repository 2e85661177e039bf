"""The ``zopa`` command: ``zopa <noun> <verb>``.

stdout carries data only; errors go to stderr as one line. Exit codes: 0 ok,
1 user error (bad input, named precisely), 2 usage error.
"""

from __future__ import annotations

import sys

import typer

from zopa.__about__ import __version__
from zopa.cli import (
    analyze_cmd,
    backtest_cmd,
    brief_cmd,
    context_cmd,
    forecast_cmd,
    negotiate_cmd,
    scenario_cmd,
    serve_cmd,
    store_cmd,
)
from zopa.errors import ZopaError

app = typer.Typer(
    name="zopa",
    help="Model, analyse, forecast and stress-test multi-party negotiations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
store_cmd.register_scenario_commands(scenario_cmd.app)
app.add_typer(scenario_cmd.app, name="scenario")
context_cmd.register(analyze_cmd.app)
app.add_typer(analyze_cmd.app, name="analyze")
app.add_typer(forecast_cmd.app, name="forecast")
app.command("backtest")(backtest_cmd.backtest)
app.add_typer(store_cmd.runs_app, name="runs")
app.command("brief")(brief_cmd.brief)
app.command("negotiate")(negotiate_cmd.negotiate)
app.command("serve")(serve_cmd.serve)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zopa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """zopa: the zone of possible agreement, and everything around it."""


def main() -> None:
    """Entry point: run the app, turning user errors into one line on stderr and exit 1.

    Usage errors are reported by Typer itself (exit 2).
    """
    try:
        app()
    except ZopaError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(1)
