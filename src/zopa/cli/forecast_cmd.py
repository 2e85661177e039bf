"""``zopa forecast ...``: run the forecasting models on a scenario."""

from __future__ import annotations

import enum
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from zopa.cli.inputs import SCENARIO_ARGUMENT, read_scenario
from zopa.cli.render import OutputFormat, Section, emit
from zopa.cli.saving import DB_OPTION, SAVE_OPTION, save_run
from zopa.models import REGISTRY, Forecast, get_model, nearest_options
from zopa.models.options import parse_options
from zopa.scenario import Scenario
from zopa.simulation import QUANTILES, ExperimentSummary, run_experiment

app = typer.Typer(help="Forecast what will probably happen, with the established models.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")


class Executor(enum.StrEnum):
    """Where Monte Carlo runs execute."""

    serial = "serial"
    processes = "processes"
    dask = "dask"


OPTION = typer.Option([], "--option",
                      help="Model option as key=value (repeatable); see docs/explanation.")



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
    runs: int = typer.Option(1, "--runs", min=1,
                             help="Monte Carlo runs over the scenario's uncertain inputs "
                                  "(1 = one forecast at the central values)."),
    executor: Executor = typer.Option(Executor.serial, "--executor",
                                      help="Where Monte Carlo runs execute."),
    workers: int = typer.Option(2, "--workers", min=1, help="Processes or Dask workers."),
    dask_address: str | None = typer.Option(
        None, "--dask-address", help="Use the Dask scheduler at tcp://HOST:PORT."),
    save: bool = SAVE_OPTION,
    db: str | None = DB_OPTION,
    fmt: OutputFormat = FORMAT,
) -> None:
    """Forecast each issue with one model (or its distribution over --runs draws)."""
    s = read_scenario(scenario)
    chosen = get_model(model, **parse_options(REGISTRY[model], option)) if model in REGISTRY \
        else get_model(model)
    if runs > 1 or dask_address is not None:
        chosen_executor = "dask" if dask_address else executor.value
        summary = _monte_carlo(s, chosen, runs, seed, chosen_executor, workers, dask_address)
        emit(*_summary_output(s, summary), fmt)
        save_run(save, db, "experiment", s, {"model": model, "runs": runs,
                                             "options": _options(chosen)}, summary, seed)
        return
    forecast = chosen.run(s, rng=seed)
    nearest = nearest_options(s, forecast)
    rows = [[issue, float(value), nearest[issue]]
            for issue, value in zip(forecast.issues, forecast.outcome, strict=True)]
    notes = [f"Rounds: {forecast.rounds}; converged: {'yes' if forecast.converged else 'NO'}.",
             *forecast.notes] if forecast.trajectory is not None else list(forecast.notes)
    section = Section(f"{model} forecast for {s.name} (0-100 scale)",
                      ["issue", "forecast", "nearest option"], rows, notes=notes)
    emit([section], _forecast_data(s, forecast), fmt)
    save_run(save, db, "forecast", s, {"model": model, "options": _options(chosen)}, forecast,
             seed)


def _options(model: Any) -> dict[str, Any]:
    """A model's options as plain data, for the stored run."""
    import dataclasses

    return dataclasses.asdict(model) if dataclasses.is_dataclass(model) else {}


def _monte_carlo(s: Scenario, model: Any, runs: int, seed: int, executor: str, workers: int,
                 address: str | None) -> ExperimentSummary:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"{model.name} x {runs:,} runs ({executor})", total=runs)
        return run_experiment(s, model, runs=runs, seed=seed, executor=executor,  # type: ignore[arg-type]
                              workers=workers, dask_address=address,
                              progress=lambda done, total: bar.update(task, completed=done))


def _summary_output(s: Scenario, summary: ExperimentSummary) -> tuple[list[Section], Any]:
    rows = []
    for k, issue in enumerate(summary.issues):
        ranked = sorted(summary.option_probabilities[issue].items(), key=lambda kv: -kv[1])
        likely = ", ".join(f"{o} {p:.0%}" for o, p in ranked[:3] if p > 0)
        rows.append([issue, *[float(q) for q in summary.quantiles[:, k]], likely])
    notes = [f"{summary.runs:,} runs, seed {summary.provenance.seed}; stopping rule met in "
             f"{summary.converged:.1%} of runs."]
    notes += [f"P({name}) = {value:.1%}" for name, value in summary.metrics.items()]
    section = Section(f"{summary.model}: distribution of forecasts for {s.name} (0-100 scale)",
                      ["issue", *[f"q{round(q * 100):02d}" for q in QUANTILES],
                       "most likely options"], rows, notes=notes)
    data = {"model": summary.model, "runs": summary.runs,
            "quantiles": {issue: dict(zip([f"q{round(q * 100):02d}" for q in QUANTILES],
                                          summary.quantiles[:, k].tolist(), strict=True))
                          for k, issue in enumerate(summary.issues)},
            "option_probabilities": summary.option_probabilities,
            "converged": summary.converged, "metrics": summary.metrics,
            "provenance": summary.provenance.as_dict()}
    return [section], data


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
