"""Read the simple CSV used by open implementations of Bueno de Mesquita's model.

One row per actor: ``Actor,Capability,Position,Salience`` (``Stakeholder`` and
``Resources`` are accepted for the first two, as in Masad's files; column names
are case-insensitive). An optional ``Issue`` column groups rows into issues, one
issue per distinct value, so that many issues (e.g. for backtesting) fit in one file.

The shipped files use different scales, which are detected as follows.

* **Positions** are mapped linearly onto the issue's 0–100 scale from the interval
  ``[scale_min, scale_max]``; by default from the lowest to the highest position on
  that issue (so 4/7/10 become 0/50/100). The original interval is kept in the
  issue's ``low_label`` and ``high_label`` (read it back with :func:`bdm_scale`).
  The options of the issue are the distinct positions the actors hold.
* **Saliences** are stored on 0–1: if every salience in the file is at most 1 they
  are taken as given, otherwise as percentages (0–100) and divided by 100; larger
  values are an error.
* **Capabilities** are kept as given (0–1 shares, 0–100 scores and tiny resource
  shares all work): zopa's capabilities are relative, and every model uses only
  their ratios. They must be positive.

The format has no reservation values: every party gets reservation 0 (any deal is
acceptable to it), with a note saying so.

Examples
--------
>>> scenario = loads_bdm_csv("Actor,Capability,Position,Salience\\n"
...                          "A,0.5,4,0.8\\nB,0.3,7,0.4\\nC,0.2,10,1.0\\n")
>>> [scenario.stance(p, "bdm").ideal.value for p in scenario.party_ids]
[0.0, 50.0, 100.0]
>>> bdm_scale(scenario.issues[0])
(4.0, 10.0)
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zopa.errors import ScenarioError
from zopa.formats.identifiers import make_unique
from zopa.formats.reading import STDIN, read_text
from zopa.scenario import Issue, Option, Party, Scenario, Source, Stance, Uncertain

__all__ = ["bdm_scale", "from_bdm_scale", "import_bdm_csv", "loads_bdm_csv", "to_bdm_scale"]

_ALIASES = {
    "actor": "Actor", "stakeholder": "Actor", "name": "Actor",
    "capability": "Capability", "resources": "Capability", "power": "Capability",
    "position": "Position", "salience": "Salience", "issue": "Issue",
}
_REQUIRED = ("Actor", "Capability", "Position", "Salience")
_HEADER = ",".join(_REQUIRED)
_SCALE_SUFFIX = " on the original scale"
_SOURCE = "csv"


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    issue: str
    actor: str
    capability: float
    position: float
    salience: float


def _fail(message: str, name: str, line: int | None, field: str | None = None) -> ScenarioError:
    return ScenarioError(message, file=name, line=line, path=(field,) if field else ())


def _header(reader: Any, name: str) -> tuple[dict[str, int], int]:
    """The index of each known column in the header, and the header's width."""
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            canonical = _ALIASES.get(cell.strip().lower())
            if canonical in columns:
                raise _fail(f"column {canonical} given twice", name, reader.line_num, canonical)
            if canonical is not None:
                columns[canonical] = index
        missing = [c for c in _REQUIRED if c not in columns]
        if missing:
            raise _fail(f"missing column(s) {missing}; expected a header {_HEADER} "
                        "(optionally with Issue)", name, reader.line_num, missing[0])
        return columns, len(cells)
    raise _fail(f"the file is empty; expected a header {_HEADER} and one row per actor",
                name, 1)


def _number(text: str, field: str, name: str, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _fail(f"expected a number, got {text!r}", name, line, field) from None
    if not math.isfinite(value):
        raise _fail(f"expected a finite number, got {text!r}", name, line, field)
    return value


def _row(cells: list[str], columns: dict[str, int], width: int, name: str, line: int,
         single_issue: str) -> _Row:
    if len(cells) != width:
        raise _fail(f"expected {width} fields, got {len(cells)}", name, line)
    text = {key: cells[index].strip() for key, index in columns.items()}
    if not text["Actor"]:
        raise _fail("expected an actor name, got an empty field", name, line, "Actor")
    capability = _number(text["Capability"], "Capability", name, line)
    if capability <= 0:
        raise _fail(f"expected a positive capability, got {capability:g}", name, line,
                    "Capability")
    salience = _number(text["Salience"], "Salience", name, line)
    if salience < 0:
        raise _fail(f"expected a salience >= 0, got {salience:g}", name, line, "Salience")
    issue = text.get("Issue", single_issue)
    if not issue:
        raise _fail("expected an issue name, got an empty field", name, line, "Issue")
    return _Row(line, issue, text["Actor"], capability,
                _number(text["Position"], "Position", name, line), salience)


def _read_rows(text: str, name: str, single_issue: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        columns, width = _header(reader, name)
        rows = [_row(cells, columns, width, name, reader.line_num, single_issue)
                for cells in reader if any(c.strip() for c in cells)]
    except csv.Error as error:
        raise _fail(f"CSV syntax error: {error}", name, reader.line_num) from None
    return rows


def _group(rows: list[_Row], name: str) -> dict[str, list[_Row]]:
    """Rows by issue, checking actors are unique per issue and capabilities consistent."""
    issues: dict[str, list[_Row]] = {}
    capability: dict[str, _Row] = {}
    for row in rows:
        group = issues.setdefault(row.issue, [])
        twin = next((r for r in group if r.actor == row.actor), None)
        if twin is not None:
            raise _fail(f"duplicate actor {row.actor!r} (also on line {twin.line}); "
                        "actor names must be unique", name, row.line, "Actor")
        first = capability.setdefault(row.actor, row)
        if first.capability != row.capability:
            raise _fail(f"actor {row.actor!r} has capability {first.capability:g} on line "
                        f"{first.line} and {row.capability:g} here; expected one capability "
                        "per actor", name, row.line, "Capability")
        group.append(row)
    for issue, group in issues.items():
        if len(group) < 2:
            where = f" on issue {issue!r}" if len(issues) > 1 else ""
            raise _fail(f"expected at least 2 actors{where}, got {len(group)}", name,
                        group[0].line, "Actor")
    if not issues:
        raise _fail("expected at least 2 actors, got 0", name, 2, "Actor")
    return issues


def _salience_divisor(rows: list[_Row], name: str) -> float:
    """1 for saliences on 0–1, 100 for 0–100; anything larger is an error."""
    top = max(rows, key=lambda r: r.salience)
    if top.salience > 100:
        raise _fail(f"expected saliences on a 0-1 or 0-100 scale, got {top.salience:g}", name,
                    top.line, "Salience")
    return 1.0 if top.salience <= 1 else 100.0


def _scale(group: list[_Row], issue: str, name: str, scale_min: float | None,
           scale_max: float | None) -> tuple[float, float]:
    """The original interval mapped onto 0–100 for one issue."""
    low = min(r.position for r in group) if scale_min is None else float(scale_min)
    high = max(r.position for r in group) if scale_max is None else float(scale_max)
    if not high > low:
        raise _fail(f"positions on issue {issue!r} span no interval ({low:g} to {high:g}); "
                    "pass scale_min and scale_max to place them on a scale", name,
                    group[0].line, "Position")
    for row in group:
        if not low <= row.position <= high:
            raise _fail(f"position {row.position:g} lies outside the scale {low:g} to "
                        f"{high:g}", name, row.line, "Position")
    return low, high


def _text(value: float) -> str:
    """A number as short text that reads back exactly (``4.0`` -> ``"4"``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _slug(text: str, taken: set[str]) -> str:
    return make_unique(re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item", taken)


def bdm_scale(issue: Issue) -> tuple[float, float]:
    """The original ``(low, high)`` interval of an issue imported by this module.

    Raises
    ------
    ScenarioError
        If the issue's labels do not carry an original scale.
    """
    try:
        return tuple(float(label.removesuffix(_SCALE_SUFFIX))  # type: ignore[return-value]
                     for label in (issue.low_label, issue.high_label))
    except ValueError:
        raise ScenarioError(f"issue {issue.id!r} does not carry an original BdM scale in its "
                            "labels", path=("issues", issue.id)) from None


def to_bdm_scale(issue: Issue, position: float) -> float:
    """A 0–100 position of an imported issue, back on the file's own scale."""
    low, high = bdm_scale(issue)
    return low + position / 100.0 * (high - low)


def from_bdm_scale(issue: Issue, value: float) -> float:
    """A value on the file's own scale, on the issue's 0–100 scale."""
    low, high = bdm_scale(issue)
    return min(100.0, max(0.0, (value - low) / (high - low) * 100.0))


def _options(group: list[_Row], low: float, high: float) -> tuple[Option, ...]:
    held = sorted({r.position for r in group})
    values = held if len(held) > 1 else sorted({low, *held, high})

    def mapped(value: float) -> float:
        return min(100.0, max(0.0, (value - low) / (high - low) * 100.0))

    return tuple(
        Option(f"x{k + 1}", _text(value), Uncertain.point(mapped(value)),
               description="held by " + ", ".join(r.actor for r in group if r.position == value)
               if value in held else "end of the scale")
        for k, value in enumerate(values))


def _issue(issue_id: str, title: str, group: list[_Row], low: float, high: float) -> Issue:
    return Issue(issue_id, title, _options(group, low, high),
                 low_label=f"{_text(low)}{_SCALE_SUFFIX}",
                 high_label=f"{_text(high)}{_SCALE_SUFFIX}",
                 description=f"Positions mapped linearly from [{_text(low)}, {_text(high)}] "
                             "on the file's scale onto 0-100.")


def _parties(rows: list[_Row], name: str) -> dict[str, Party]:
    """One party per actor name, in order of first appearance."""
    parties: dict[str, Party] = {}
    taken: set[str] = set()
    for row in rows:
        if row.actor in parties:
            continue
        if all(r.salience == 0 for r in rows if r.actor == row.actor):
            raise _fail(f"actor {row.actor!r} has salience 0 on every issue; expected a "
                        "positive salience", name, row.line, "Salience")
        parties[row.actor] = Party(
            _slug(row.actor, taken), row.actor,
            Uncertain.point(row.capability, sources=(_SOURCE,)),
            Uncertain.point(0.0, note="the BdM format has no reservation values; "
                                      "0 means any deal is acceptable", judgement=True))
    return parties


def loads_bdm_csv(text: str, *, name: str = "<string>", scale_min: float | None = None,
                  scale_max: float | None = None) -> Scenario:
    """Parse BdM CSV text into a scenario (see the module docstring for the conventions).

    Raises
    ------
    ScenarioError
        Naming ``name``, the line and the column, for a malformed file.
    """
    stem = "bdm" if name.startswith("<") else Path(name).stem
    rows = _read_rows(text, name, stem)
    issues = _group(rows, name)
    divisor = _salience_divisor(rows, name)
    parties = _parties(rows, name)
    taken: set[str] = set()
    built, stances = [], []
    for title, group in issues.items():
        low, high = _scale(group, title, name, scale_min, scale_max)
        issue = _issue(_slug(title, taken), title, group, low, high)
        built.append(issue)
        stances += [Stance(parties[r.actor].id, issue.id,
                           Uncertain.point(from_bdm_scale(issue, r.position), sources=(_SOURCE,)),
                           Uncertain.point(r.salience / divisor, sources=(_SOURCE,)))
                    for r in group]
    scales = "0-1" if divisor == 1 else "0-100 (divided by 100)"
    try:
        return Scenario(
            _slug(stem, set()), stem, tuple(parties.values()), tuple(built), tuple(stances),
            sources=(Source(_SOURCE, f"BdM-format CSV {name}"),),
            description=f"Imported from a Bueno de Mesquita CSV ({len(rows)} rows). Saliences "
                        f"read on {scales}; capabilities kept as given (only ratios matter); "
                        "reservations set to 0 (the format has none).")
    except ScenarioError as error:  # e.g. more parties than the limit: name the file
        raise error.located(file=name) from None


def import_bdm_csv(path: str | Path, *, scale_min: float | None = None,
                   scale_max: float | None = None) -> Scenario:
    """Read a BdM CSV file (or ``-`` for standard input) as a scenario.

    Parameters
    ----------
    path
        The file.
    scale_min, scale_max
        The interval of the file's position scale to map onto 0–100 (for every issue);
        by default each issue's lowest and highest position.

    Raises
    ------
    ScenarioError
        Naming the file, the line and the column, for an unreadable or malformed file.
    """
    name = STDIN if str(path) == "-" else str(path)
    text = read_text(path, expected="a CSV file")
    return loads_bdm_csv(text, name=name, scale_min=scale_min, scale_max=scale_max)
