"""The registry of exporters to other tools' formats.

Behind ``zopa scenario export FORMAT SCENARIO -o PATH``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.scenario import Scenario

__all__ = ["EXPORTERS", "export_scenario"]

# format name -> (module, function, what it writes)
EXPORTERS: dict[str, tuple[str, str, str]] = {
    "genius": ("zopa.formats.genius_export", "export_genius",
               "GENIUS XML: DIRECTORY/<id>-domain.xml and one <party>.xml profile per party"),
    "table": ("zopa.formats.table", "export_table",
              "spreadsheet tables: a directory of CSV files, or a workbook if PATH ends .xlsx"),
}


def export_scenario(fmt: str, scenario: Scenario, path: str | Path) -> list[Path]:
    """Write a scenario in another tool's format; returns the files written.

    Raises
    ------
    ScenarioError
        For an unknown format, or a scenario the format cannot express.
    """
    if fmt not in EXPORTERS:
        raise ScenarioError(f"unknown format {fmt!r}; expected one of {sorted(EXPORTERS)}")
    module, function, _ = EXPORTERS[fmt]
    written = getattr(importlib.import_module(module), function)(scenario, Path(path))
    if written is not None:
        return list(written)
    target = Path(path)
    return [target] if target.suffix.lower() == ".xlsx" else sorted(target.glob("*.csv"))
