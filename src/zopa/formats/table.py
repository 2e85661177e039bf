"""Scenarios as spreadsheet tables: a directory of CSV files or one XLSX workbook.

Analysts hand negotiation data to each other as tables. :func:`export_table`
writes a scenario as one table per kind of record and :func:`import_table`
reads such tables back; the round trip gives an equal scenario, including
sources, ranges and notes. The tables (docs/how-to/exchange-spreadsheets.md):

========================  =====================================================
``scenario``              ``field``, ``value``: id, name, description, as_of
``sources``               ``key``, ``document``, ``date``, ``url``, ``note``
``parties``               ``id``, ``name``, ``description``, ``capability``, ``reservation``
``issues``                ``id``, ``name``, ``description``, ``low_label``, ``high_label``,
                          ``status_quo``
``options``               ``issue``, ``id``, ``label``, ``description``, ``position``
``stances``               ``party``, ``issue``, ``ideal``, ``salience``, ``note``
``values``                ``party``, ``issue``, ``option``, ``value`` (overrides)
``red_lines``             ``party``, ``issue``, ``option``
``proposals``             ``id``, ``name``, ``date``, ``description``, ``source``, ``variant_of``
``proposal_options``      ``proposal``, ``issue``, ``option``
``clocks``, ``drifts``,   the scenario's clocks, reservation drifts, areas and cost items
``areas``, ``costs``
========================  =====================================================

An uncertain number is one column (``capability``) plus, where needed,
``capability_low``, ``capability_high``, ``capability_source``, ``capability_note``
and ``capability_judgement``. Reading or writing ``.xlsx`` needs the ``tables``
extra (openpyxl).

Examples
--------
>>> import tempfile
>>> from zopa.scenario.synthetic import random_scenario
>>> scenario = random_scenario(2, 3, 3, rng=1)
>>> with tempfile.TemporaryDirectory() as folder:
...     export_table(scenario, folder)
...     import_table(folder) == scenario
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zopa.errors import ScenarioError
from zopa.formats.identifiers import slug
from zopa.formats.table_layout import SCALAR_FIELDS, TABLES, cells_of, columns_used
from zopa.formats.table_read import Locations, tables_to_data
from zopa.formats.table_sheets import read_sheets, write_sheets
from zopa.limits import check_document
from zopa.scenario import Scenario, scenario_from_data, scenario_to_data

__all__ = ["export_table", "import_table"]

_OWN_TABLES = ("sources", "parties", "issues", "stances", "proposals", "clocks", "drifts",
               "areas", "costs")


def _relocate(error: ScenarioError, at: Locations, fallback: str) -> ScenarioError:
    """The error at the row its field path points into (the longest known prefix)."""
    for length in range(len(error.path), 0, -1):
        found = at.get(error.path[:length])
        if found is not None:
            label, line, column = found
            rest = error.path[length:] or ((column,) if column else ())
            return ScenarioError(error.message, path=rest, file=label, line=line)
    return error.located(file=fallback)


def import_table(path: str | Path) -> Scenario:
    """Read a scenario from a directory of ``TABLE.csv`` files or an ``.xlsx`` workbook.

    Raises
    ------
    ScenarioError
        Naming the file (and sheet), the row and the column, and what was expected.
    """
    source = Path(path)
    try:
        data, at = tables_to_data(read_sheets(source), slug(source.stem or "scenario", set()))
        check_document(data, str(source))
    except ScenarioError as error:  # a missing table is a problem of the directory itself
        raise (error if error.file else error.located(file=str(source))) from None
    try:
        return scenario_from_data(data)
    except ScenarioError as error:
        raise _relocate(error, at, str(source)) from None


def _scenario_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{"field": key, "value": data[key]} for key in SCALAR_FIELDS
                                  if key in data]
    for key, value in data.items():
        if key in SCALAR_FIELDS or key in _OWN_TABLES:
            continue
        items = value if isinstance(value, list) else [value]
        field = f"{key}[]" if isinstance(value, list) else key
        rows += [{"field": field, "value": json.dumps(item, ensure_ascii=False)}
                 for item in items]
    return rows


def _stance_rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {"stances": [], "values": [], "red_lines": []}
    for party, by_issue in data.get("stances", {}).items():
        for issue, stance in by_issue.items():
            key = {"party": party, "issue": issue}
            rows["stances"].append({**key, **cells_of(stance, TABLES["stances"])})
            rows["values"] += [{**key, "option": option,
                                **cells_of({"value": value}, TABLES["values"])}
                               for option, value in stance.get("values", {}).items()]
            rows["red_lines"] += [{**key, "option": option}
                                  for option in stance.get("red_lines", [])]
    return rows


def _rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    rows = {"scenario": _scenario_rows(data),
            "sources": [cells_of({"key": key, **source}, TABLES["sources"])
                        for key, source in data.get("sources", {}).items()]}
    for name in ("parties", "clocks", "drifts", "areas", "costs"):
        rows[name] = [cells_of(record, TABLES[name]) for record in data.get(name, [])]
    rows["issues"] = [cells_of(issue, TABLES["issues"]) for issue in data.get("issues", [])]
    rows["options"] = [cells_of({"issue": issue["id"], **option}, TABLES["options"])
                       for issue in data.get("issues", []) for option in issue["options"]]
    rows.update(_stance_rows(data))
    proposals = data.get("proposals", [])
    rows["proposals"] = [cells_of(proposal, TABLES["proposals"]) for proposal in proposals]
    rows["proposal_options"] = [{"proposal": proposal["id"], "issue": issue, "option": option}
                                for proposal in proposals
                                for issue, option in proposal.get("options", {}).items()]
    return rows


def export_table(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario as ``PATH/TABLE.csv`` files, or as sheets of ``PATH`` if it ends in .xlsx.

    Every table is written, empty ones with their header only, so that an
    export over an earlier one leaves no stale table behind. Files are written
    under temporary names and renamed, so an error leaves nothing half-written.
    """
    rows = _rows(scenario_to_data(scenario))
    tables = {name: (columns_used(TABLES[name], rows[name]), rows[name]) for name in TABLES}
    try:
        write_sheets(path, tables)
    except OSError as error:
        raise ScenarioError(f"cannot write: {error.strerror or error}", file=str(path)) from None
