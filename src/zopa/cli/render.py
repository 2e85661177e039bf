"""Output for the command line: data on stdout as a Rich table, JSON or CSV; errors on stderr."""

from __future__ import annotations

import csv
import enum
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

__all__ = ["OutputFormat", "Section", "emit", "number"]


class OutputFormat(enum.StrEnum):
    """How a command writes its data to stdout."""

    table = "table"
    json = "json"
    csv = "csv"


@dataclass(frozen=True)
class Section:
    """One table of a command's output (its title, column names and rows)."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    caption: str = ""
    notes: Sequence[str] = field(default_factory=tuple)


def number(value: float | None, digits: int = 3) -> str:
    """Format a number for a table cell (``-`` for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}"


def _table(section: Section) -> Table:
    table = Table(title=escape(section.title), caption=escape(section.caption) or None,
                  title_justify="left")
    for column in section.columns:
        table.add_column(escape(column), overflow="fold")
    for row in section.rows:
        table.add_row(*(number(c) if c is None or isinstance(c, float) else escape(str(c))
                        for c in row))
    return table


def _csv(sections: Sequence[Section]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for index, section in enumerate(sections):
        if len(sections) > 1:
            if index:
                buffer.write("\n")
            buffer.write(f"# {section.title}\n")
        writer.writerow(section.columns)
        writer.writerows(section.rows)
    return buffer.getvalue()


def emit(sections: Sequence[Section], data: Any, fmt: OutputFormat) -> None:
    """Write a command's result to stdout in the chosen format."""
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    elif fmt is OutputFormat.csv:
        typer.echo(_csv(sections), nl=False)
    else:
        console = Console(width=max(Console().width, 120))
        for section in sections:
            console.print(_table(section))
            for note in section.notes:
                console.print(escape(note), soft_wrap=True)
            console.print()
