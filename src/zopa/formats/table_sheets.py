"""Named tables read from and written to a directory of CSV files or one XLSX workbook.

A *sheet* is a header row and data rows of text cells, each row with the line
(CSV) or row number (XLSX) it came from. Reading XLSX needs ``openpyxl`` (the
``tables`` extra); the workbook is read with cached values only, so a cell holding
a formula contributes the value Excel last computed for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zopa.errors import ScenarioError, ZopaError
from zopa.limits import check_file_size

__all__ = ["Sheet", "read_sheets", "write_sheets"]

_INSTALL = "reading and writing .xlsx needs openpyxl: pip install 'zopa[tables]'"

Cell = str | float | int | None


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table: where it came from, its columns and its rows (``(line, {column: text})``)."""

    name: str
    label: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def _check_size(path: Path) -> None:
    check_file_size(path.stat().st_size, str(path))


def _sheet(name: str, label: str, records: list[tuple[int, list[str]]]) -> Sheet:
    if not records:
        return Sheet(name, label, (), ())
    header_line, header = records[0]
    columns = tuple(cell.strip().lower() for cell in header)
    rows = []
    for line, cells in records[1:]:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            raise ScenarioError(f"row has {len(cells)} cells but the header has {len(columns)}",
                                file=label, line=line)
        row = {column: (cells[k] if k < len(cells) else "")
               for k, column in enumerate(columns) if column}
        rows.append((line, row))
    return Sheet(name, label, columns, tuple(rows))


def _read_csv(path: Path) -> Sheet:
    _check_size(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError(f"not UTF-8 text ({error.reason} at byte {error.start}); save the "
                            "CSV as UTF-8", file=str(path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((reader.line_num, cells))
    except csv.Error as error:
        raise ScenarioError(f"CSV error: {error}", file=str(path), line=reader.line_num) from None
    return _sheet(path.stem, str(path), records)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ZopaError(_INSTALL) from None
    return openpyxl


def _read_xlsx(path: Path) -> list[Sheet]:
    openpyxl = _openpyxl()
    _check_size(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ScenarioError(f"cannot read the workbook: {' '.join(str(error).split())}",
                            file=str(path)) from None
    try:
        sheets = []
        for sheet in book.worksheets:
            records = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_text(v) for v in values]
                if any(cell.strip() for cell in cells):
                    records.append((number, cells))
            sheets.append(_sheet(sheet.title.strip().lower(), f"{path}[{sheet.title}]",
                                 records))
        return sheets
    except (ScenarioError, MemoryError):
        raise
    except Exception as error:  # read-only mode parses each sheet only now, damaged or not
        raise ScenarioError(f"cannot read the workbook: {' '.join(str(error).split())}",
                            file=str(path)) from None
    finally:
        book.close()


def read_sheets(path: str | Path) -> list[Sheet]:
    """The tables of a directory of ``NAME.csv`` files or of one ``.xlsx`` workbook."""
    source = Path(path)
    if not source.exists():
        raise ScenarioError("no such file or directory", file=str(source))
    if source.is_dir():
        return [_read_csv(file) for file in sorted(source.glob("*.csv"))]
    if source.suffix.lower() == ".xlsx":
        return _read_xlsx(source)
    raise ScenarioError("expected a directory of CSV files or an .xlsx workbook",
                        file=str(source))


def _csv_text(columns: Sequence[str], rows: Sequence[Mapping[str, Cell]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(row.get(column)) for column in columns])
    return buffer.getvalue()


def _write_csv_dir(folder: Path, tables: Mapping[str, tuple[Sequence[str], list]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temporary = {name: folder / f".{name}.csv.tmp" for name in tables}
    try:
        for name, (columns, rows) in tables.items():
            temporary[name].write_text(_csv_text(columns, rows), encoding="utf-8")
        for name in tables:
            temporary[name].replace(folder / f"{name}.csv")
    finally:
        for file in temporary.values():
            file.unlink(missing_ok=True)


def _write_xlsx(path: Path, tables: Mapping[str, tuple[Sequence[str], list]]) -> None:
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (columns, rows) in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_xlsx_value(row.get(column)) for column in columns])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.",
                                     suffix=".tmp", delete=False) as handle:
        temporary = Path(handle.name)
    try:
        book.save(temporary)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def write_sheets(path: str | Path, tables: Mapping[str, tuple[Sequence[str], list]]) -> None:
    """Write ``{name: (columns, rows)}`` as ``PATH/NAME.csv`` files, or as sheets of PATH.xlsx.

    Every file is written under a temporary name first and then renamed, so an
    error never leaves a half-written table behind.
    """
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        _write_xlsx(target, tables)
    else:
        _write_csv_dir(target, tables)
