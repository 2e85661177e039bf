"""Turn the tables of a scenario back into the scenario file format, remembering each row.

:func:`tables_to_data` checks every cell (numbers, dates, yes/no, references
between tables) and raises a :class:`~zopa.errors.ScenarioError` naming the file
(and sheet), the row and the column. It also returns where each record came
from, so that an error found later, when the scenario is validated as a whole,
can still be reported at its row.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any

from zopa.errors import ScenarioError
from zopa.formats.table_layout import LIST_SEPARATOR, SCALAR_FIELDS, TABLES, Column
from zopa.formats.table_sheets import Sheet

__all__ = ["Locations", "tables_to_data"]

Locations = dict[tuple[str | int, ...], tuple[str, int, str]]
_TRUE, _FALSE = {"true", "yes", "y", "1", "x"}, {"false", "no", "n", "0", ""}
_REQUIRED_TABLES = ("parties", "issues", "options")
_FLAT = ("parties", "clocks", "drifts", "areas", "costs")


class _Reader:
    """Reads the cells of one sheet, failing with the sheet, line and column."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.columns = TABLES[sheet.name]
        known = {name for column in self.columns for name in column.names}
        for name in sheet.columns:
            if name and name not in known:
                raise self.fail(f"unknown column {name!r}; expected some of "
                                f"{[c.name for c in self.columns]}", 1, name)
        for column in self.columns:
            if column.required and column.name not in sheet.columns and sheet.rows:
                raise self.fail(f"missing column {column.name!r}", 1, column.name)

    def fail(self, message: str, line: int, column: str) -> ScenarioError:
        return ScenarioError(message, file=self.sheet.label, line=line, path=(column,))

    def number(self, text: str, line: int, column: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise self.fail(f"expected a number, got {text!r}", line, column) from None
        if not math.isfinite(value):
            raise self.fail(f"expected a finite number, got {text!r}", line, column)
        return value

    def uncertain(self, row: dict[str, str], line: int, name: str) -> Any:
        value, low, high = (row.get(name, "").strip(), row.get(f"{name}_low", "").strip(),
                            row.get(f"{name}_high", "").strip())
        if not (value or low or high):
            return None
        if low or high:
            if not (low and high):
                missing = f"{name}_low" if not low else f"{name}_high"
                raise self.fail(f"a range needs both {name}_low and {name}_high", line, missing)
            data: dict[str, Any] = {"low": self.number(low, line, f"{name}_low"),
                                    "high": self.number(high, line, f"{name}_high")}
            if value:
                data["mode"] = self.number(value, line, name)
        else:
            data = {"value": self.number(value, line, name)}
        sources = [s.strip() for s in row.get(f"{name}_source", "").split(LIST_SEPARATOR)]
        if any(sources):
            data["source"] = [s for s in sources if s]
        if row.get(f"{name}_note", "").strip():
            data["note"] = row[f"{name}_note"]
        if self.flag(row.get(f"{name}_judgement", ""), line, f"{name}_judgement"):
            data["judgement"] = True
        return data

    def flag(self, text: str, line: int, column: str) -> bool:
        text = text.strip()
        if text.lower() not in _TRUE | _FALSE:
            raise self.fail(f"expected true or false, got {text!r}", line, column)
        return text.lower() in _TRUE

    def cell(self, row: dict[str, str], line: int, column: Column) -> Any:
        if column.kind == "uncertain":
            value = self.uncertain(row, line, column.name)
        else:
            text = row.get(column.name, "")
            if column.kind != "text":
                text = text.strip()
            value = self._typed(text, line, column) if text.strip() else None
        if value is None and column.required:
            raise self.fail(f"missing {column.name}", line, column.name)
        return value

    def _typed(self, text: str, line: int, column: Column) -> Any:
        if column.kind == "date":
            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise self.fail(f"expected a date as YYYY-MM-DD, got {text!r}", line,
                                column.name) from None
        if column.kind == "list":
            return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
        if column.kind == "bool":
            return self.flag(text, line, column.name) or None
        return text

    def records(self) -> list[tuple[int, dict[str, Any]]]:
        """Every row as a record of the file format (blank optional cells left out)."""
        found = []
        for line, row in self.sheet.rows:
            record = {}
            for column in self.columns:
                value = self.cell(row, line, column)
                if value is not None:
                    record[column.name] = value
            found.append((line, record))
        return found


class _Builder:
    def __init__(self, sheets: dict[str, Sheet], fallback_id: str) -> None:
        self.sheets = sheets
        self.data: dict[str, Any] = {"id": fallback_id, "name": fallback_id}
        self.at: Locations = {}

    def records(self, name: str) -> list[tuple[int, dict[str, Any]]]:
        sheet = self.sheets.get(name)
        return _Reader(sheet).records() if sheet is not None else []

    def where(self, name: str, line: int, column: str = "") -> tuple[str, int, str]:
        """Sheet label, line, and the column holding the key when the record is a key."""
        return (self.sheets[name].label, line, column)

    def fail(self, name: str, line: int, column: str, message: str) -> ScenarioError:
        return ScenarioError(message, file=self.sheets[name].label, line=line, path=(column,))

    def scenario_fields(self) -> None:
        for line, record in self.records("scenario"):
            field, value = record["field"], record.get("value", "")
            key = field[:-2] if field.endswith("[]") else field
            self.at[(key,)] = self.where("scenario", line, key)
            if field in SCALAR_FIELDS:
                self.data[field] = int(value) if field == "schema_version" and value.isdigit() \
                    else value
                continue
            try:
                parsed = json.loads(value)
            except (ValueError, RecursionError) as error:  # also huge integers, deep nesting
                reason = error.msg if isinstance(error, json.JSONDecodeError) else \
                    "nested too deeply" if isinstance(error, RecursionError) else str(error)
                raise self.fail("scenario", line, "value",
                                f"expected JSON for {field!r}: {reason}") from None
            if field.endswith("[]"):
                self.data.setdefault(key, []).append(parsed)
            else:
                self.data[key] = parsed

    def flat(self, name: str) -> None:
        for index, (line, record) in enumerate(self.records(name)):
            self.data.setdefault(name, []).append(record)
            self.at[(name, index)] = self.where(name, line)

    def sources(self) -> None:
        for line, record in self.records("sources"):
            key = record.pop("key")
            if key in self.data.setdefault("sources", {}):
                raise self.fail("sources", line, "key", f"duplicate source {key!r}")
            self.data["sources"][key] = record
            self.at[("sources", key)] = self.where("sources", line, "key")

    def children(self, parent: str, child: str, key: str, field: str) -> None:
        """Attach rows of ``child`` to the ``parent`` record named in column ``key``."""
        index = {record["id"]: k for k, record in enumerate(self.data.get(parent, []))}
        for line, record in self.records(child):
            owner = record.pop(key)
            if owner not in index:
                raise self.fail(child, line, key, f"unknown {key} {owner!r}; expected one of "
                                                  f"{sorted(index)}")
            target = self.data[parent][index[owner]]
            if parent == "issues":
                target.setdefault(field, []).append(record)
                position: tuple[str | int, ...] = (parent, index[owner], field,
                                                   len(target[field]) - 1)
            else:
                issue = record["issue"]
                if issue in target.setdefault(field, {}):
                    raise self.fail(child, line, "issue", f"{key} {owner!r} names issue "
                                                          f"{issue!r} twice")
                target[field][issue] = record["option"]
                position = (parent, index[owner], field, issue)
            self.at[position] = self.where(child, line, "" if parent == "issues" else "option")

    def stances(self) -> None:
        stances: dict[str, dict[str, Any]] = {}
        for line, record in self.records("stances"):
            party, issue = record.pop("party"), record.pop("issue")
            if issue in stances.setdefault(party, {}):
                raise self.fail("stances", line, "issue",
                                f"a second row for party {party!r} and issue {issue!r}")
            stances[party][issue] = record
            self.at.setdefault(("stances", party), self.where("stances", line, "party"))
            self.at[("stances", party, issue)] = self.where("stances", line, "issue")
        for name in ("values", "red_lines"):
            for line, record in self.records(name):
                party, issue, option = record["party"], record["issue"], record["option"]
                stance = stances.get(party, {}).get(issue)
                if stance is None:
                    raise self.fail(name, line, "party", f"no row in stances for party "
                                                         f"{party!r} and issue {issue!r}")
                if name == "values":
                    if option in stance.setdefault("values", {}):
                        raise self.fail(name, line, "option", f"a second value for {option!r}")
                    stance["values"][option] = record["value"]
                    self.at[("stances", party, issue, "values", option)] = \
                        self.where(name, line, "value")
                else:
                    stance.setdefault("red_lines", []).append(option)
                    self.at.setdefault(("stances", party, issue, "red_lines"),
                                       self.where(name, line, "option"))
        self.data["stances"] = stances


def tables_to_data(sheets: Sequence[Sheet], fallback_id: str) -> tuple[dict[str, Any], Locations]:
    """The scenario file format's data for these tables, and where each record came from."""
    by_name: dict[str, Sheet] = {}
    for sheet in sheets:
        if sheet.name not in TABLES:
            raise ScenarioError(f"unknown table {sheet.name!r}; expected some of {list(TABLES)}",
                                file=sheet.label)
        by_name[sheet.name] = sheet
    for name in _REQUIRED_TABLES:
        if name not in by_name:
            raise ScenarioError(f"missing table {name!r}; expected at least "
                                f"{list(_REQUIRED_TABLES)}")
    builder = _Builder(by_name, fallback_id)
    builder.scenario_fields()
    builder.sources()
    for name in _FLAT:
        builder.flat(name)
    builder.flat("issues")
    builder.children("issues", "options", "issue", "options")
    builder.stances()
    builder.flat("proposals")
    for proposal in builder.data.get("proposals", []):
        proposal["options"] = {}
    builder.children("proposals", "proposal_options", "proposal", "options")
    return builder.data, builder.at
