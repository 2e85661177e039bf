"""Edits made in the browser: set uncertain numbers (with their sources), add sources.

A number is named by its field path as :meth:`~zopa.scenario.Scenario.uncertain_values`
lists it, written as :func:`~zopa.errors.format_field_path` writes it
(``parties[1].reservation``, ``stances.russia.donetsk.salience``). The edited scenario
is rebuilt from its file format, so it is validated exactly like a file would be.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from zopa.errors import ScenarioError, format_field_path
from zopa.report import collect_assumptions
from zopa.scenario import Scenario, scenario_from_data, scenario_to_data
from zopa.scenario.spec_parts import SourceSpec, UncertainSpec

__all__ = ["apply_edits", "editable_values"]


def editable_values(scenario: Scenario) -> list[dict[str, Any]]:
    """Every uncertain number with its path, readable label, value, sources and note."""
    found = []
    for assumption in collect_assumptions(scenario):
        value = assumption.value
        found.append({
            "path": format_field_path(assumption.path), "label": assumption.label,
            "section": assumption.section, "low": value.low, "mode": value.mode,
            "high": value.high, "source": list(value.sources),
            "documents": [s.document for s in assumption.sources],
            "note": value.note or "", "judgement": value.judgement,
        })
    return found


def _spec_data(spec: UncertainSpec) -> dict[str, Any]:
    data = spec.model_dump(exclude_defaults=True, exclude_none=True)
    if "source" in data:
        data["source"] = list(data["source"])
    return data


def apply_edits(scenario: Scenario, edits: Sequence[tuple[str, UncertainSpec]],
                new_sources: Mapping[str, SourceSpec] | None = None) -> Scenario:
    """A copy of ``scenario`` with numbers set and sources added.

    Raises
    ------
    ScenarioError
        For an unknown path, a source key that already exists, or an edited scenario
        that is not valid (naming the field).
    """
    paths = {format_field_path(path): path for path, _ in scenario.uncertain_values()}
    data = copy.deepcopy(scenario_to_data(scenario))
    sources = data.setdefault("sources", {})
    for key, source in (new_sources or {}).items():
        if key in sources:
            raise ScenarioError(f"a source {key!r} already exists; cite it, or choose "
                                "another key", path=("new_sources", key))
        sources[key] = source.model_dump(mode="json", exclude_none=True)
    for index, (text, spec) in enumerate(edits):
        path = paths.get(text.strip())
        if path is None:
            raise ScenarioError(f"no number at {text!r}; the paths are listed by "
                                "GET /api/scenarios/{name}/values", path=("edits", index, "path"))
        node: Any = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = _spec_data(spec)
    return scenario_from_data(data)
