"""``/api/scenarios/{name}/versions`` and ``/diff``: history, one version, saving edits, diffs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import BaseModel

from zopa.errors import ScenarioError
from zopa.store import DiffEntry, diff_scenarios
from zopa.web.deps import NamePath, VersionQuery, settings_of, target_of, workspace_of
from zopa.web.edits import apply_edits
from zopa.web.errors import ERROR_RESPONSES
from zopa.web.routers.scenarios import version_out
from zopa.web.schemas import ErrorOut, SaveOut, SaveRequest, VersionOut

__all__ = ["router"]

router = APIRouter(tags=["versions"], responses=ERROR_RESPONSES)
OldQuery = Annotated[str, Query(min_length=1, max_length=64,
                                description="from this version (default `@-2`: the one "
                                            "before the latest)")]
ReferencePath = Annotated[str, Path(min_length=1, max_length=64,
                                    description="`latest`, `@N` or a hash prefix")]


class DiffOut(BaseModel):
    """What changed from one version to another, section by section."""

    name: str
    old: VersionOut
    new: VersionOut
    summary: dict[str, int]
    changes: list[DiffEntry]


@router.get("/scenarios/{name}/versions", response_model=list[VersionOut],
            summary="History")
def history(request: Request, name: NamePath) -> list[VersionOut]:
    """Every version of a scenario, oldest first: who saved it, when, why, on what sources."""
    workspace = workspace_of(request)
    workspace.head(name)
    return [version_out(v) for v in workspace.store.scenarios.history(name)]


@router.get("/scenarios/{name}/versions/{reference}", response_model=VersionOut,
            summary="One version")
def one_version(request: Request, name: NamePath, reference: ReferencePath) -> VersionOut:
    """The version a reference names: `latest`, `@N` or a hash prefix."""
    return version_out(workspace_of(request).version(name, reference))


@router.post("/scenarios/{name}/versions", response_model=SaveOut, status_code=201,
             summary="Save edits as a new version",
             responses={200: {"model": SaveOut, "description": "Nothing changed"},
                        409: {"model": ErrorOut,
                              "description": "Conflict: another version was saved on the "
                                             "parent first; nothing was saved"}})
def save(request: Request, response: Response, name: NamePath, body: SaveRequest) -> SaveOut:
    """Set numbers (with their sources) on the parent version and save the result.

    The save is refused with 409 if the latest version is no longer `parent`
    (someone saved first): reload, re-apply the change and save again.
    """
    if body.parent.strip().lower() == "latest":
        raise ScenarioError("name the version the edits start from (its id or @N), not "
                            "'latest', so that a save made meanwhile is not overwritten",
                            path=("parent",))
    workspace = workspace_of(request)
    parent = target_of(request, name, body.parent.strip())
    workspace.store.scenarios.ensure_head(name, parent.version)  # a 409 before any work
    edited = apply_edits(parent.scenario, [(e.path, e.value) for e in body.edits],
                         body.new_sources)
    result = workspace.store.scenarios.save(
        edited, parent=parent.version, author=body.author or settings_of(request).author,
        message=body.message, sources=body.sources)
    workspace.saved(result.version)
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return SaveOut(created=result.created, version=version_out(result.version))


@router.get("/scenarios/{name}/diff", response_model=DiffOut, summary="Diff two versions")
def diff(request: Request, name: NamePath,
         old: OldQuery = "@-2", new: VersionQuery = "latest") -> DiffOut:
    """Every difference between two versions: parties, issues, options, values, sources."""
    before, after = target_of(request, name, old), target_of(request, name, new)
    found = diff_scenarios(before.scenario, after.scenario)
    data: dict[str, Any] = found.as_dict()
    return DiffOut(name=name, old=version_out(before.version), new=version_out(after.version),
                   summary=data["summary"], changes=list(found.entries))
