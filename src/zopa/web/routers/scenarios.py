"""``/api/scenarios``: the scenarios in the store, one version's content, its numbers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from zopa.scenario import json_schema, scenario_to_data
from zopa.store import Version
from zopa.web.deps import NamePath, VersionQuery, ref_of, target_of, workspace_of
from zopa.web.edits import editable_values
from zopa.web.errors import ERROR_RESPONSES
from zopa.web.schemas import Analysed, ScenarioOut, ValueOut, VersionOut

__all__ = ["router", "version_out"]

router = APIRouter(tags=["scenarios"], responses=ERROR_RESPONSES)


def version_out(version: Version) -> VersionOut:
    """A stored version as the API shows it."""
    return VersionOut(label=version.label, short=version.short, **version.as_dict())


class ScenarioItem(BaseModel):
    """A scenario in the store and its latest version."""

    name: str
    latest: VersionOut


@router.get("/scenarios", response_model=list[ScenarioItem], summary="List scenarios")
def list_scenarios(request: Request) -> list[ScenarioItem]:
    """Every scenario name with saved versions (the catalog's default one included)."""
    workspace = workspace_of(request)
    return [ScenarioItem(name=name, latest=version_out(workspace.head(name)))
            for name in workspace.store.scenarios.names()]


@router.get("/scenarios/{name}", response_model=ScenarioOut, summary="One scenario version")
def get_scenario(request: Request, name: NamePath,
                 version: VersionQuery = "latest") -> ScenarioOut:
    """A version of a scenario in the file format (see `GET /api/scenario-schema`)."""
    target = target_of(request, name, version)
    return ScenarioOut(version=version_out(target.version),
                       scenario=scenario_to_data(target.scenario))


@router.get("/scenarios/{name}/values", response_model=Analysed[list[ValueOut]],
            summary="Every uncertain number")
def list_values(request: Request, name: NamePath,
                version: VersionQuery = "latest") -> Analysed[list[ValueOut]]:
    """Every number of the scenario with its path (what an edit names), value, sources, note."""
    target = target_of(request, name, version)
    values = [ValueOut(**value) for value in editable_values(target.scenario)]
    return Analysed[list[ValueOut]](scenario=ref_of(target), result=values)


@router.get("/scenario-schema", response_model=dict[str, Any], summary="Scenario JSON Schema")
def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario file format (schema_version 1)."""
    return json_schema()
