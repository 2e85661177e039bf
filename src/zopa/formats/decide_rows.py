"""The rows of a Decide input file: read, checked, and located for error messages.

See :mod:`zopa.formats.decide` for the format and how it maps onto a scenario; this
module only reads the rows into plain records and raises
:class:`~zopa.errors.ScenarioError` (file, line, field) for malformed ones.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

from zopa.errors import ScenarioError

__all__ = ["Anchor", "DecideFile", "Definition", "Row", "check_values", "fail", "number_text",
           "read_rows", "scale_of"]

_COMMENTS = ("#/", "#0", "#O")
_FIELDS = {"#A": ("key", "name", "comment"), "#P": ("key", "name", "comment"),
           "#M": ("issue", "value", "description"),
           "#D": ("actor", "issue", "position", "salience", "power")}
_REQUIRED = {"#A": 1, "#P": 1, "#M": 2, "#D": 5}


@dataclass(slots=True)
class Definition:
    """An #A or #P row."""

    line: int
    key: str
    name: str
    comment: str


@dataclass(slots=True)
class Anchor:
    """An #M row: a point of an issue's scale."""

    line: int
    value: float
    description: str


@dataclass(slots=True)
class Row:
    """A #D row: an actor's position, salience and power on an issue."""

    line: int
    actor: str
    issue: str
    position: float
    salience: float
    power: float


@dataclass(slots=True)
class DecideFile:
    """Everything read from a file, in the order the rows came."""

    name: str
    title: str = ""
    comments: list[str] = field(default_factory=list)
    actors: dict[str, Definition] = field(default_factory=dict)
    issues: dict[str, Definition] = field(default_factory=dict)
    anchors: dict[str, list[Anchor]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    seen: dict[tuple[str, str], int] = field(default_factory=dict)


def fail(message: str, name: str, line: int | None, where: str | None = None) -> ScenarioError:
    """The error for a problem at ``line`` of file ``name``, in field ``where``."""
    return ScenarioError(message, file=name, line=line, path=(where,) if where else ())


def _number(text: str, where: str, name: str, line: int) -> float:
    try:
        value = float(text.strip().replace(",", ".") if text.count(",") == 1
                      and "." not in text else text)
    except ValueError:
        raise fail(f"expected a number, got {text!r}", name, line, where) from None
    if not math.isfinite(value):
        raise fail(f"expected a finite number, got {text!r}", name, line, where)
    return value


def _cells(kind: str, cells: list[str], name: str, line: int) -> dict[str, str]:
    if len(cells) - 1 < _REQUIRED[kind]:
        expected = " ".join(_FIELDS[kind][:_REQUIRED[kind]])
        raise fail(f"expected {kind} {expected}, got {len(cells) - 1} field(s)", name, line,
                   _FIELDS[kind][len(cells) - 1])
    if len(cells) - 1 > len(_FIELDS[kind]) and any(c.strip() for c in
                                                   cells[len(_FIELDS[kind]) + 1:]):
        raise fail(f"expected at most {len(_FIELDS[kind])} fields after {kind}, got "
                   f"{len(cells) - 1}", name, line)
    values = dict(zip(_FIELDS[kind], (c.strip() for c in cells[1:]), strict=False))
    for key in _FIELDS[kind][:_REQUIRED[kind]]:
        if not values[key]:
            raise fail(f"expected a {key}, got an empty field", name, line, key)
    return values


def _define(table: dict[str, Definition], what: str, values: dict[str, str], name: str,
            line: int) -> None:
    key = values["key"]
    if key in table:
        raise fail(f"duplicate {what} {key!r} (first defined on line {table[key].line})",
                   name, line, "key")
    table[key] = Definition(line, key, values.get("name") or key, values.get("comment", ""))


def _data_row(parsed: DecideFile, values: dict[str, str], line: int) -> Row:
    name = parsed.name
    if values["actor"] not in parsed.actors:
        raise fail(f"unknown actor {values['actor']!r}; expected a key defined by an #A "
                   "row above", name, line, "actor")
    if values["issue"] not in parsed.issues:
        raise fail(f"unknown issue {values['issue']!r}; expected a key defined by a #P row "
                   "above", name, line, "issue")
    row = Row(line, values["actor"], values["issue"],
              *(_number(values[k], k, name, line) for k in ("position", "salience", "power")))
    twin = parsed.seen.setdefault((row.actor, row.issue), line)
    if twin != line:
        raise fail(f"duplicate #D row for actor {row.actor!r} on issue {row.issue!r} (also on "
                   f"line {twin})", name, line, "actor")
    return row


def check_values(parsed: DecideFile) -> None:
    """Positions on their issue's scale, saliences and powers in [0, 1]: in line order."""
    scales = {key: scale_of(parsed, issue) for key, issue in parsed.issues.items()}
    for row in parsed.rows:
        low, high = scales[row.issue]
        if not low <= row.position <= high:
            raise fail(f"position {row.position:g} lies outside the scale of issue "
                       f"{row.issue!r} ({number_text(low)} to {number_text(high)})", parsed.name,
                       row.line, "position")
        for key in ("salience", "power"):
            if not 0.0 <= getattr(row, key) <= 1.0:
                raise fail(f"expected a {key} between 0 and 1, got {getattr(row, key):g}",
                           parsed.name, row.line, key)


def read_rows(text: str, name: str) -> DecideFile:
    """Read every row of ``text``; raise for rows of the wrong form (values are checked later)."""
    parsed = DecideFile(name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar="'")
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            kind = cells[0].strip()
            if kind in _COMMENTS:
                words = " ".join(c.strip() for c in cells[1:] if c.strip())
                if kind == "#O" and not parsed.title:
                    parsed.title = words
                elif words:
                    parsed.comments.append(words)
                continue
            if kind not in _FIELDS:
                raise fail(f"unknown row type {kind!r}; expected #A, #P, #M, #D or a comment "
                           "(#/, #0, #O)", name, line, "type")
            values = _cells(kind, cells, name, line)
            if kind == "#A":
                _define(parsed.actors, "actor", values, name, line)
            elif kind == "#P":
                _define(parsed.issues, "issue", values, name, line)
            elif kind == "#M":
                _anchor(parsed, values, line)
            else:
                parsed.rows.append(_data_row(parsed, values, line))
    except csv.Error as error:
        raise fail(f"syntax error: {error}", name, reader.line_num) from None
    return parsed


def _anchor(parsed: DecideFile, values: dict[str, str], line: int) -> None:
    if values["issue"] not in parsed.issues:
        raise fail(f"unknown issue {values['issue']!r}; expected a key defined by a #P row "
                   "above", parsed.name, line, "issue")
    value = _number(values["value"], "value", parsed.name, line)
    parsed.anchors.setdefault(values["issue"], []).append(
        Anchor(line, value, values.get("description", "")))


def scale_of(parsed: DecideFile, issue: Definition) -> tuple[float, float]:
    """The ``(low, high)`` ends of an issue's scale: its lowest and highest #M values, or 0-100."""
    anchors = parsed.anchors.get(issue.key)
    if not anchors:
        return 0.0, 100.0
    low, high = min(a.value for a in anchors), max(a.value for a in anchors)
    if not high > low:
        raise fail(f"the #M rows of issue {issue.key!r} give no interval ({low:g} to "
                   f"{high:g}); expected at least two different values", parsed.name,
                   anchors[-1].line, "value")
    return low, high


def number_text(value: float) -> str:
    """A number as short text that reads back exactly (``4.0`` -> ``"4"``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
