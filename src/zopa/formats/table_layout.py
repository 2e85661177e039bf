"""The tables of a scenario: which sheets, which columns, and how a cell is written.

The layout mirrors the scenario file format (:func:`zopa.scenario.scenario_to_data`):
one table per list of records, child tables for nested lists (``options`` of
``issues``, ``values`` and ``red_lines`` of ``stances``, ``proposal_options`` of
``proposals``) and a two-column ``scenario`` table (``field``, ``value``) for the
scenario's own fields. Sections without a table of their own (ratifiers,
funding rules, and any section a later zopa adds) are kept in the ``scenario``
table as JSON, so that nothing is lost.

An uncertain number takes one column for its value (the mode of a range) and,
only where used, companion columns ``NAME_low``, ``NAME_high``, ``NAME_source``
(source keys separated by ``;``), ``NAME_note`` and ``NAME_judgement`` (``true``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["COMPANIONS", "LIST_SEPARATOR", "SCALAR_FIELDS", "TABLES", "Column", "cells_of",
           "columns_used"]

Kind = Literal["id", "text", "uncertain", "date", "list", "bool"]
COMPANIONS = ("low", "high", "source", "note", "judgement")
LIST_SEPARATOR = ";"
SCALAR_FIELDS = ("schema_version", "id", "name", "description", "as_of")


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table: its name, the kind of its cells, and whether it is required.

    ``id`` cells (identifiers and references) are read without surrounding
    blanks; ``text`` cells (names, descriptions, notes) are kept exactly.
    """

    name: str
    kind: Kind = "id"
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The column and, for an uncertain number, its companion columns."""
        if self.kind != "uncertain":
            return (self.name,)
        return (self.name, *(f"{self.name}_{suffix}" for suffix in COMPANIONS))


def _c(name: str, kind: Kind = "id", required: bool = False) -> Column:
    return Column(name, kind, required)


def _t(name: str, required: bool = False) -> Column:
    return Column(name, "text", required)


_ID, _NAME = _c("id", required=True), _t("name", required=True)

TABLES: dict[str, tuple[Column, ...]] = {
    "scenario": (_c("field", required=True), _t("value")),
    "sources": (_c("key", required=True), _t("document", required=True), _c("date", "date"),
                _t("url"), _t("note")),
    "parties": (_ID, _NAME, _t("description"), _c("capability", "uncertain", True),
                _c("reservation", "uncertain", True), _c("response_delay_days", "uncertain")),
    "issues": (_ID, _NAME, _t("description"), _t("low_label"), _t("high_label"),
               _c("status_quo")),
    "options": (_c("issue", required=True), _ID, _t("label", required=True), _t("description"),
                _c("position", "uncertain", True)),
    "stances": (_c("party", required=True), _c("issue", required=True),
                _c("ideal", "uncertain", True), _c("salience", "uncertain", True), _t("note")),
    "values": (_c("party", required=True), _c("issue", required=True),
               _c("option", required=True), _c("value", "uncertain", True)),
    "red_lines": (_c("party", required=True), _c("issue", required=True),
                  _c("option", required=True)),
    "proposals": (_ID, _NAME, _c("date", "date"), _t("description"), _c("source", "list"),
                  _c("variant_of")),
    "proposal_options": (_c("proposal", required=True), _c("issue", required=True),
                         _c("option", required=True)),
    "clocks": (_ID, _NAME, _t("unit", required=True), _c("rate", "uncertain", True),
               _c("start", "uncertain"), _t("description")),
    "drifts": (_c("party", required=True), _c("clock", required=True),
               _c("per_unit", "uncertain", True), _t("note")),
    "areas": (_ID, _NAME, _c("km2", "uncertain", True), _c("demanded_by"), _c("clock"),
              _c("reference", "bool"), _t("description")),
    "costs": (_ID, _NAME, _c("amount", "uncertain", True), _t("unit"), _t("description")),
}


def _uncertain_cells(name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {name: float(value)}
    if "value" in value:
        cells: dict[str, Any] = {name: float(value["value"])}
    else:
        cells = {name: float(value["mode"]), f"{name}_low": float(value["low"]),
                 f"{name}_high": float(value["high"])}
    sources = value.get("source")
    if sources:
        cells[f"{name}_source"] = LIST_SEPARATOR.join(
            [sources] if isinstance(sources, str) else sources)
    if value.get("note"):
        cells[f"{name}_note"] = value["note"]
    if value.get("judgement"):
        cells[f"{name}_judgement"] = "true"
    return cells


def cells_of(record: dict[str, Any], columns: tuple[Column, ...]) -> dict[str, Any]:
    """The cells of one row for a record of the scenario file format."""
    row: dict[str, Any] = {}
    for column in columns:
        value = record.get(column.name)
        if value is None:
            continue
        if column.kind == "uncertain":
            row.update(_uncertain_cells(column.name, value))
        elif column.kind == "list":
            row[column.name] = LIST_SEPARATOR.join([value] if isinstance(value, str) else value)
        elif column.kind == "bool":
            row[column.name] = "true" if value else ""
        else:
            row[column.name] = value
    return row


def columns_used(columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> list[str]:
    """Every base column, and the companion columns some row fills."""
    used = {key for row in rows for key in row}
    names: list[str] = []
    for column in columns:
        names.append(column.name)
        names += [name for name in column.names[1:] if name in used]
    return names
