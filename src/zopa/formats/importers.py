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
}


def _importer(fmt: str) -> Callable[[Path], Scenario]:
    if fmt not in IMPORTERS:
        raise ScenarioError(f"unknown format {fmt!r}; expected one of {sorted(IMPORTERS)}")
    module, function, _ = IMPORTERS[fmt]
    loaded: Callable[[Path], Scenario] = getattr(importlib.import_module(module), function)
    return loaded


def import_scenario(fmt: str, path: str | Path) -> Scenario:
    """Read another tool's file as a zopa scenario.

    Raises
    ------
    ScenarioError
        For an unknown format, or a malformed file (naming the file, line and field).
    """
    return _importer(fmt)(Path(path))
