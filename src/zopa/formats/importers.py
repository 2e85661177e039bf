"""The registry of importers for other tools' formats: ``zopa scenario import FORMAT FILE``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.scenario import Scenario

__all__ = ["IMPORTERS", "import_scenario"]

# format name -> (module, function, what it reads)
IMPORTERS: dict[str, tuple[str, str, str]] = {
    "ktab-csv": ("zopa.formats.ktab", "import_ktab_csv", "KTAB SMP actor CSV"),
    "ktab-xml": ("zopa.formats.ktab", "import_ktab_xml", "KTAB SMP scenario XML"),
    "bdm": ("zopa.formats.bdm", "import_bdm_csv",
            "Bueno de Mesquita CSV (actor, capability, position, salience)"),
    "decide": ("zopa.formats.decide", "import_decide", "Decide #A/#P/#M/#D input file"),
    "genius": ("zopa.formats.genius", "import_genius_files",
               "GENIUS XML: DOMAIN.xml then one PROFILE.xml per party"),
    "table": ("zopa.formats.table", "import_table",
              "spreadsheet tables: a directory of CSV files or an .xlsx workbook"),
}
MULTI_FILE = {"genius"}


def _importer(fmt: str) -> Callable[..., Scenario]:
    if fmt not in IMPORTERS:
        raise ScenarioError(f"unknown format {fmt!r}; expected one of {sorted(IMPORTERS)}")
    module, function, _ = IMPORTERS[fmt]
    loaded: Callable[..., Scenario] = getattr(importlib.import_module(module), function)
    return loaded


def import_scenario(fmt: str, *paths: str | Path) -> Scenario:
    """Read another tool's file(s) as a zopa scenario.

    GENIUS takes the domain file then one profile per party; every other format one file.

    Raises
    ------
    ScenarioError
        For an unknown format, a wrong number of files, or a malformed file (naming
        the file, line and field).
    """
    function = _importer(fmt)
    if fmt in MULTI_FILE:
        return function([Path(p) for p in paths])
    if len(paths) != 1:
        raise ScenarioError(f"format {fmt!r} reads one file; got {len(paths)}")
    return function(Path(paths[0]))
