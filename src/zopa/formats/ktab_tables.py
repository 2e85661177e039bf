"""Reading KTAB SMP files into plain tables: actors with positions and saliences per dimension.

Both readers check what KTAB checks (counts, numbers, ranges) and raise
:class:`~zopa.errors.ScenarioError` naming the file, the line and the field.
:mod:`zopa.formats.ktab` turns the tables into zopa scenarios.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.formats.identifiers import make_unique
from zopa.formats.ktab_xml import XmlNode
from zopa.formats.reading import read_text as read_utf8

__all__ = ["KtabActor", "KtabTable", "csv_table", "number", "read_text", "slug", "unique_ids",
           "xml_table"]

MIN_ACTORS, MAX_ACTORS = 3, 250
MAX_CAPABILITY = 1e8


@dataclass(frozen=True, slots=True)
class KtabActor:
    """One actor as the file gives it (0-100 scales) and the line it is on."""

    name: str
    description: str
    capability: float
    position: tuple[float, ...]
    salience: tuple[float, ...]
    line: int


@dataclass(frozen=True, slots=True)
class KtabTable:
    """A scenario's name, description, dimension names and actors."""

    name: str
    description: str
    dimensions: tuple[str, ...]
    actors: tuple[KtabActor, ...]


# -- shared helpers ------------------------------------------------------------------------------
def read_text(path: str | Path) -> tuple[str, str]:
    """The file's text (UTF-8, byte-order mark dropped) and its name for messages."""
    return read_utf8(path, expected="a KTAB file"), str(path)


def number(text: str, *, low: float, high: float, what: str, file: str, line: int,
            path: tuple[str | int, ...]) -> float:
    """Parse a number in [low, high] or raise a located ScenarioError."""
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # also false for NaN
        found = f"got {text!r}" if text else "the field is empty"
        raise ScenarioError(f"expected {what} between {low:g} and {high:g}; {found}",
                            path=path, file=file, line=line)
    return value


def slug(text: str, fallback: str) -> str:
    """Lower-case ``text`` with runs of other characters turned into ``-`` (``fallback`` if empty).

    Examples
    --------
    >>> slug("SActor-00", "x"), slug("Liu He - DRC", "x"), slug("!!", "actor-3")
    ('sactor-00', 'liu-he-drc', 'actor-3')
    """
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text or fallback


def unique_ids(names: list[str], prefix: str) -> list[str]:
    """Slugs of ``names``, made unique by appending ``-2``, ``-3``, ..."""
    seen: set[str] = set()
    ids = []
    for index, name in enumerate(names, start=1):
        ids.append(make_unique(slug(name, f"{prefix}-{index}"), seen))
    return ids


def _check_count(count: int, file: str, line: int | None) -> None:
    if not MIN_ACTORS <= count <= MAX_ACTORS:
        raise ScenarioError(f"expected {MIN_ACTORS} to {MAX_ACTORS} actors, got {count}",
                            path=("actors",), file=file, line=line)


# -- CSV -----------------------------------------------------------------------------------------
def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV rows with their line numbers, trailing empty fields removed."""
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    rows = []
    try:
        for fields in reader:
            cells = [cell.strip() for cell in fields]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise ScenarioError(f"CSV syntax error: {error}", line=reader.line_num) from None
    return rows


def _csv_counts(rows: list[tuple[int, list[str]]], file: str) -> tuple[int, int]:
    if not rows:
        raise ScenarioError("the file is empty; expected a KTAB SMP CSV", file=file, line=1)
    line, first = rows[0]
    if len(first) < 4:
        raise ScenarioError("expected 'name, description, number of actors, number of "
                            f"dimensions' on the first line, got {len(first)} field(s)",
                            file=file, line=line)
    counts = []
    for index, field in ((2, "number of actors"), (3, "number of dimensions")):
        try:
            counts.append(int(first[index]))
        except ValueError:
            raise ScenarioError(f"expected an integer {field}, got {first[index]!r}",
                                path=(field.replace(" ", "_"),), file=file, line=line) from None
    _check_count(counts[0], file, line)
    if counts[1] < 1:
        raise ScenarioError(f"expected at least 1 dimension, got {counts[1]}",
                            path=("number_of_dimensions",), file=file, line=line)
    return counts[0], counts[1]


def _csv_dimensions(row: tuple[int, list[str]], dims: int, file: str) -> tuple[str, ...]:
    line, header = row
    if len(header) != 3 + 2 * dims:
        raise ScenarioError(f"expected {3 + 2 * dims} header columns (actor, description, "
                            f"influence, then position and salience for {dims} dimension(s)), "
                            f"got {len(header)}", path=("header",), file=file, line=line)
    names = [re.sub(r"\s*position$", "", cell, flags=re.I) or f"dimension {k + 1}"
             for k, cell in enumerate(header[3::2])]
    return tuple(names)


def _csv_actor(row: tuple[int, list[str]], dimensions: tuple[str, ...], file: str) -> KtabActor:
    line, cells = row
    m = len(dimensions)
    name = cells[0]
    if len(cells) != 3 + 2 * m:
        raise ScenarioError(f"expected {3 + 2 * m} fields (name, description, influence, "
                            f"then position and salience for {m} dimension(s)), got {len(cells)}",
                            path=("actors", name), file=file, line=line)
    capability = number(cells[2], low=0.0, high=MAX_CAPABILITY, what="an influence", file=file,
                         line=line, path=("actors", name, "capability"))
    position, salience = [], []
    for k, dim in enumerate(dimensions):
        position.append(number(cells[3 + 2 * k], low=0, high=100, what="a position", file=file,
                                line=line, path=("actors", name, dim, "position")))
        salience.append(number(cells[4 + 2 * k], low=0, high=100, what="a salience", file=file,
                                line=line, path=("actors", name, dim, "salience")))
    return KtabActor(name, cells[1], capability, tuple(position), tuple(salience), line)


def csv_table(text: str, file: str) -> KtabTable:
    """The table of a KTAB SMP CSV file (see :func:`zopa.formats.ktab.import_ktab_csv`)."""
    try:
        rows = _rows(text)
    except ScenarioError as error:
        raise error.located(file=file) from None
    n, dims = _csv_counts(rows, file)
    if len(rows) < 2:
        raise ScenarioError("expected a header line after the first line", file=file, line=2)
    dimensions = _csv_dimensions(rows[1], dims, file)
    body = rows[2:]
    if len(body) != n:
        line = body[-1][0] if body else rows[1][0]
        raise ScenarioError(f"the first line announces {n} actors, but {len(body)} actor "
                            "line(s) follow", path=("actors",), file=file, line=line)
    actors = tuple(_csv_actor(row, dimensions, file) for row in body)
    first = rows[0][1]
    return KtabTable(first[0], first[1], dimensions, actors)


# -- XML -----------------------------------------------------------------------------------------
def _xml_actor(node: XmlNode, index: int, dimensions: tuple[str, ...] | None,
               file: str) -> KtabActor:
    name = node.text_of("name", file) or f"actor {index + 1}"
    where: tuple[str | int, ...] = ("actors", name)
    capability = number(node.text_of("capability", file), low=0.0, high=MAX_CAPABILITY,
                         what="a capability", file=file,
                         line=node.child("capability", file).line, path=(*where, "capability"))
    coords = node.child("Position", file).children("dCoord")
    sals = node.child("Salience", file).children("dSal")
    m = len(dimensions) if dimensions is not None else len(coords)
    for group, label in ((coords, "Position"), (sals, "Salience")):
        if len(group) != m:
            raise ScenarioError(f"expected {m} value(s) in <{label}>, got {len(group)}",
                                path=(*where, label), file=file,
                                line=node.child(label, file).line)
    dims = dimensions or tuple(f"dimension {k + 1}" for k in range(m))
    position = tuple(number(c.text, low=0, high=100, what="a position", file=file,
                             line=c.line, path=(*where, dims[k], "position"))
                     for k, c in enumerate(coords))
    salience = tuple(number(s.text, low=0, high=100, what="a salience", file=file,
                             line=s.line, path=(*where, dims[k], "salience"))
                     for k, s in enumerate(sals))
    description = node.text_of("description", file, required=False)
    return KtabActor(name, description, capability, position, salience, node.line)


def xml_table(root: XmlNode, file: str) -> KtabTable:
    """The table of a parsed KTAB SMP XML document."""
    if root.tag != "Scenario":
        raise ScenarioError(f"expected a <Scenario> document, got <{root.tag}>", file=file,
                            line=root.line)
    dim_node = root.find("Dimensions")
    dimensions = (tuple(d.text.strip() or f"dimension {k + 1}"
                        for k, d in enumerate(dim_node.children("dName")))
                  if dim_node is not None else None)
    actors_node = root.child("Actors", file)
    nodes = actors_node.children("Actor")
    _check_count(len(nodes), file, actors_node.line)
    actors = tuple(_xml_actor(node, k, dimensions, file) for k, node in enumerate(nodes))
    dims = dimensions or tuple(f"dimension {k + 1}" for k in range(len(actors[0].position)))
    name = root.text_of("name", file, required=False)
    return KtabTable(name, root.text_of("desc", file, required=False), dims, actors)
