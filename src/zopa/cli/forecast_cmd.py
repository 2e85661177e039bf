"""``zopa forecast ...``: run the forecasting models on a scenario."""

from __future__ import annotations

from typing import Any

import numpy as np
import typer

from zopa.cli.inputs import SCENARIO_ARGUMENT, read_scenario
from zopa.cli.render import OutputFormat, Section, emit
from zopa.models import REGISTRY, Forecast, get_model
from zopa.models.options import parse_options
from zopa.scenario import Scenario

app = typer.Typer(help="Forecast what will probably happen, with the established models.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")
OPTION = typer.Option([], "--option",
                      help="Model option as key=value (repeatable); see docs/explanation.")


def nearest_options(scenario: Scenario, forecast: Forecast) -> dict[str, str]:
    """For each issue, the option whose position is nearest the forecast."""
    nearest = {}
    for issue, value in zip(forecast.issues, forecast.outcome, strict=True):
        options = scenario.issue(issue).options
        distances = [abs(o.position.value - value) for o in options]
        nearest[issue] = options[int(np.argmin(distances))].id
    return nearest


def _forecast_data(scenario: Scenario, forecast: Forecast) -> dict[str, Any]:
    data = forecast.as_dict()
    data["nearest_option"] = nearest_options(scenario, forecast)
    return data


@app.command()
def run(
    model: str = typer.Argument(..., help=f"One of: {', '.join(sorted(REGISTRY))}."),
    scenario: str = SCENARIO_ARGUMENT,
    option: list[str] = OPTION,
    seed: int = typer.Option(0, "--seed", help="Random seed (for models that draw)."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Forecast each issue with one model, and the option nearest to each forecast."""
    s = read_scenario(scenario)
    chosen = get_model(model, **parse_options(REGISTRY[model], option)) if model in REGISTRY \
        else get_model(model)
    forecast = chosen.run(s, rng=seed)
    nearest = nearest_options(s, forecast)
    rows = [[issue, float(value), nearest[issue]]
            for issue, value in zip(forecast.issues, forecast.outcome, strict=True)]
    notes = [f"Rounds: {forecast.rounds}; converged: {'yes' if forecast.converged else 'NO'}.",
             *forecast.notes] if forecast.trajectory is not None else list(forecast.notes)
    section = Section(f"{model} forecast for {s.name} (0-100 scale)",
                      ["issue", "forecast", "nearest option"], rows, notes=notes)
    emit([section], _forecast_data(s, forecast), fmt)


@app.command()
def compare(scenario: str = SCENARIO_ARGUMENT, seed: int = typer.Option(0, "--seed"),
            fmt: OutputFormat = FORMAT) -> None:
    """Run every registered model with its defaults, side by side."""
    s = read_scenario(scenario)
    forecasts = {name: get_model(name).run(s, rng=seed) for name in sorted(REGISTRY)}
    names = list(forecasts)
    positions = Section(f"Forecasts for {s.name} (0-100 scale)", ["issue", *names],
                        [[issue, *[float(forecasts[n].outcome[k]) for n in names]]
                         for k, issue in enumerate(s.issue_ids)])
    nearest = {n: nearest_options(s, f) for n, f in forecasts.items()}
    options = Section("Nearest option", ["issue", *names],
                      [[issue, *[nearest[n][issue] for n in names]] for issue in s.issue_ids])
    converged = [f"{n}: {f.rounds} rounds, {'converged' if f.converged else 'did NOT converge'}"
                 for n, f in forecasts.items() if f.trajectory is not None]
    if converged:
        options = Section(options.title, options.columns, options.rows, notes=converged)
    emit([positions, options], {n: _forecast_data(s, f) for n, f in forecasts.items()}, fmt)
