"""Read backtesting data: actors' positions per issue, and the outcomes that happened.

``POSITIONS.csv`` has the columns ``issue,actor,capability,position,salience``, one
row per actor and issue, positions on 0–100. ``OUTCOMES.csv`` has
``issue,outcome,reference`` (``reference`` may be blank). Each issue becomes a
one-issue scenario, so any forecasting model can be run on it.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.scenario import Issue, Option, Party, Scenario, Source, Stance, Uncertain

__all__ = ["BacktestIssue", "read_backtest"]

POSITION_COLUMNS = ("issue", "actor", "capability", "position", "salience")
OUTCOME_COLUMNS = ("issue", "outcome", "reference")


@dataclass(frozen=True, slots=True)
class BacktestIssue:
    """One issue to forecast: its one-issue scenario and what actually happened."""

    issue: str
    scenario: Scenario
    outcome: float | None
    reference: str


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError("no such file", file=name) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"cannot read: {error}", file=name) from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ScenarioError(f"missing column(s) {missing}; expected a header {','.join(columns)}",
                            file=name, line=1)
    reader.fieldnames = header
    return [(n, {k: (v or "").strip() for k, v in row.items() if k}) for n, row in
            enumerate(reader, start=2)]


def _number(text: str, field: str, name: str, line: int, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError(f"expected a number, got {text!r}", file=name, line=line,
                            path=(field,)) from None
    if not (math.isfinite(value) and low <= value <= high):
        raise ScenarioError(f"expected a number between {low:g} and {high:g}, got {text}",
                            file=name, line=line, path=(field,))
    return value


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "_", text.strip()).strip("_.-")
    return slug or "x"


def _scenario(issue: str, rows: list[tuple[int, dict[str, str], float, float, float]],
              name: str) -> Scenario:
    positions = sorted({position for _, _, _, position, _ in rows})
    if len(positions) < 2:
        positions = sorted({0.0, 100.0, *positions})
    options = tuple(Option(f"x{k}", f"{p:g}", Uncertain.point(p)) for k, p in enumerate(positions))
    issue_id = _slug(issue)
    parties, stances, seen = [], [], set()
    for line, row, capability, position, salience in rows:
        actor = _slug(row["actor"])
        if actor in seen:
            raise ScenarioError(f"actor {row['actor']!r} appears twice for issue {issue!r}",
                                file=name, line=line, path=("actor",))
        seen.add(actor)
        parties.append(Party(actor, row["actor"], Uncertain.point(capability, sources=("data",)),
                             Uncertain.point(0.0, note="the format has no reservation values")))
        stances.append(Stance(actor, issue_id, Uncertain.point(position, sources=("data",)),
                              Uncertain.point(salience, sources=("data",))))
    return Scenario(f"backtest-{issue_id}", issue, tuple(parties),
                    (Issue(issue_id, issue, options),), tuple(stances),
                    sources=(Source("data", f"backtest positions file {Path(name).name}"),))


def _positions(path: Path, fill_salience: float | None) -> dict[str, list]:
    name = str(path)
    by_issue: dict[str, list] = {}
    for line, row in _rows(path, POSITION_COLUMNS):
        if not row["issue"] or not row["actor"]:
            raise ScenarioError("expected an issue and an actor", file=name, line=line,
                                path=("issue" if not row["issue"] else "actor",))
        capability = _number(row["capability"], "capability", name, line, 0, math.inf)
        position = _number(row["position"], "position", name, line, 0, 100)
        if not row["salience"]:
            if fill_salience is None:
                raise ScenarioError("blank salience; give one or use --fill-salience X",
                                    file=name, line=line, path=("salience",))
            salience = fill_salience
        else:
            salience = _number(row["salience"], "salience", name, line, 0, math.inf)
        by_issue.setdefault(row["issue"], []).append((line, row, capability, position, salience))
    return by_issue


def read_backtest(positions: str | Path, outcomes: str | Path, *,
                  fill_salience: float | None = None) -> list[BacktestIssue]:
    """Read the two CSV files into one :class:`BacktestIssue` per issue of POSITIONS.

    Issues with no row in OUTCOMES, or a blank outcome, get ``outcome=None`` (skipped
    by the backtest and counted). Errors name the file, line and column.
    """
    by_issue = _positions(Path(positions), fill_salience)
    scenarios = {issue: _scenario(issue, rows, str(positions)) for issue, rows in by_issue.items()}
    name = str(outcomes)
    known: dict[str, tuple[float | None, str]] = {}
    for line, row in _rows(Path(outcomes), OUTCOME_COLUMNS):
        if row["issue"] not in by_issue:
            raise ScenarioError(f"issue {row['issue']!r} has no rows in {positions}",
                                file=name, line=line, path=("issue",))
        value = _number(row["outcome"], "outcome", name, line, 0, 100) if row["outcome"] else None
        known[row["issue"]] = (value, row.get("reference", ""))
    cases = []
    for issue, scenario in scenarios.items():
        outcome, reference = known.get(issue, (None, ""))
        cases.append(BacktestIssue(issue, scenario, outcome, reference))
    return cases
