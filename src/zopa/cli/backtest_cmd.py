"""``zopa backtest``: score the models against outcomes that happened."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from zopa.cli.render import OutputFormat, Section, emit
from zopa.formats.backtest_csv import read_backtest
from zopa.models import REGISTRY
from zopa.models.backtest import run_backtest


def backtest(
    positions: Path = typer.Argument(..., help="CSV: issue,actor,capability,position,salience"),
    outcomes: Path = typer.Argument(..., help="CSV: issue,outcome,reference"),
    models: str = typer.Option(",".join(sorted(REGISTRY)), "--models",
                               help="Comma-separated model names."),
    fill_salience: float | None = typer.Option(
        None, "--fill-salience", help="Salience to use where the positions file leaves it blank."),
    seed: int = typer.Option(0, "--seed", help="Random seed (for models that draw)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
) -> None:
    """Per model: issues forecast, mean and median absolute error, share within 10 points."""
    names = [m.strip() for m in models.split(",") if m.strip()]
    cases = read_backtest(positions, outcomes, fill_salience=fill_salience)
    report = run_backtest(cases, names, seed=seed)
    scores = Section(
        "Backtest: absolute error of each model's forecast (0-100 scale)",
        ["model", "issues", "mean abs. error", "median abs. error", "share within 10",
         "failed"],
        [[s.model, s.issues, s.mean_absolute_error, s.median_absolute_error, s.share_within_10,
          s.failures] for s in report.scores],
        notes=[f"Skipped {len(report.skipped)} issue(s) without an outcome."])
    failures = [[r.model, r.issue, r.failure] for r in report.results if r.failure]
    sections = [scores]
    if failures:
        sections.append(Section("Failures", ["model", "issue", "reason"], failures))
    emit(sections, {"scores": [asdict(s) for s in report.scores],
                    "results": [asdict(r) for r in report.results],
                    "skipped": list(report.skipped)}, fmt)
