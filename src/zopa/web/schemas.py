"""Requests and responses of the JSON API (pydantic, at the edge).

Numbers in edits use the scenario format's own :class:`~zopa.scenario.spec_parts.UncertainSpec`
(``{value}`` or ``{low, mode, high}`` with ``source`` keys, ``note``, ``judgement``), and new
sources its :class:`~zopa.scenario.spec_parts.SourceSpec`; analysis results are the library's
own frozen result types (:class:`~zopa.analysis.PlanEvaluation`, ...), so the OpenAPI schema
documents exactly what the library returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from zopa.analysis import Concessions, PartyReach, PlanEvaluation, Provenance, Solution
from zopa.analysis.payers import Payers
from zopa.analysis.ratify import Ratification
from zopa.scenario.spec_parts import Identifier, SourceSpec, UncertainField

__all__ = [
    "Analysed", "DealOut", "DealRequest", "ErrorOut", "ExperimentOut", "ExperimentRequest",
    "ForecastOut", "ForecastRequest", "FrontierOut", "FrontierPoint", "JobOut", "ModelOut",
    "SaveOut", "SaveRequest", "ScenarioOut", "ScenarioRef", "SolutionsOut", "ValueEdit",
    "ValueOut", "VersionOut", "VetoOut", "ZopaOut",
]

T = TypeVar("T")
MAX_SEED = 2**63 - 1


def _closed_maps(schema: dict[str, Any]) -> None:
    """Say in the JSON Schema that a map's keys must match its key pattern.

    Pydantic writes ``dict[Identifier, V]`` as ``patternProperties``, which alone lets
    keys that do not match through with any value; validation refuses them, so the
    published schema must too (``additionalProperties: false``).
    """
    for field in schema.get("properties", {}).values():
        if "patternProperties" in field:
            field["additionalProperties"] = False


class Request(BaseModel):
    """Base of request bodies: unknown fields are refused (a typo is an error, not ignored)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_closed_maps)


class ErrorOut(BaseModel):
    """An error, in one line: what is wrong, where, and what was expected."""

    detail: str


# -- versions -------------------------------------------------------------------------------
class VersionOut(BaseModel):
    """One saved version of a scenario."""

    name: str
    number: int = Field(description="position in the history, 1-based (`@N`)")
    label: str = Field(description="`@N`")
    id: str = Field(description="content hash (SHA-256 of the canonical JSON)")
    short: str = Field(description="first 12 hex digits of the id")
    parent: str | None
    parent_number: int | None
    author: str
    created_at: dt.datetime
    message: str
    sources: list[str]


class ScenarioRef(BaseModel):
    """The scenario version a result was computed on."""

    name: str
    number: int
    id: str


class Analysed(BaseModel, Generic[T]):
    """A result and the scenario version it was computed on."""

    scenario: ScenarioRef
    result: T


class ScenarioOut(BaseModel):
    """A scenario version in the file format (see `GET /api/scenario-schema`)."""

    version: VersionOut
    scenario: dict[str, Any]


class ValueOut(BaseModel):
    """One uncertain number of a scenario, with the path an edit names it by."""

    path: str = Field(description="field path, e.g. `parties[1].reservation`")
    label: str = Field(description="the same path with ids, e.g. `parties.russia.reservation`")
    section: str
    low: float
    mode: float
    high: float
    source: list[str] = Field(description="keys of the scenario's sources")
    documents: list[str] = Field(description="the cited documents")
    note: str
    judgement: bool


class ValueEdit(Request):
    """Set one uncertain number (with its sources and note)."""

    path: str = Field(min_length=1, max_length=300,
                      description="field path as `GET .../values` lists it")
    value: UncertainField


class SaveRequest(Request):
    """Edits to save as the next version, on the version they were made from."""

    parent: str = Field(min_length=1, max_length=64,
                        description="the version the edits start from: its id (or a unique "
                                    "prefix of 6+ hex digits) or `@N`; if another version "
                                    "was saved on it since, the save is refused (409)")
    message: str = Field(min_length=1, max_length=2000, description="why: the news behind it")
    sources: list[str] = Field(default=[], max_length=20,
                               description="URLs or citations behind the change")
    author: str | None = Field(default=None, max_length=100)
    edits: list[ValueEdit] = Field(min_length=1, max_length=100)
    new_sources: dict[Identifier, SourceSpec] = Field(
        default={}, max_length=20, description="sources to add to the scenario, by key; "
                                               "edits may cite them")

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("expected a message saying why (the news behind the change)")
        return value

    @field_validator("sources")
    @classmethod
    def _short_sources(cls, value: list[str]) -> list[str]:
        if any(len(source) > 500 for source in value):
            raise ValueError("expected sources of at most 500 characters each")
        return value


class SaveOut(BaseModel):
    """The outcome of a save: the new version, or the parent when nothing changed."""

    created: bool
    version: VersionOut


# -- analysis -------------------------------------------------------------------------------
class DealRequest(Request):
    """A package: a named plan, option choices, or a plan with some choices changed."""

    plan: Identifier | None = Field(default=None, description="id of a named proposal")
    choices: dict[Identifier, Identifier] = Field(
        default={}, max_length=200,
        description="`{issue: option}`; with `plan`, the issues changed from it")


class VetoOut(BaseModel):
    """An option a party has on its red lines."""

    party: str
    issue: str
    option: str


class ZopaOut(BaseModel):
    """Whether a ZOPA exists, its size, each party's reach, and the closest package."""

    exists: bool
    space_size: int
    admissible_size: int
    size: int | None
    frontier_size: int
    reach: list[PartyReach]
    vetoed: list[VetoOut]
    closest: Solution | None
    provenance: Provenance


class FrontierPoint(BaseModel):
    """One Pareto-optimal utility vector and a package achieving it."""

    utilities: dict[str, float]
    ties: int
    choices: dict[str, str]


class FrontierOut(BaseModel):
    """The exact Pareto frontier (its first `limit` points)."""

    within_reservations: bool
    size: int
    parties: list[str]
    points: list[FrontierPoint]
    provenance: Provenance


class SolutionsOut(BaseModel):
    """Nash, Kalai–Smorodinsky, utilitarian and egalitarian packages."""

    disagreement: Literal["reservations", "zero"]
    disagreement_point: dict[str, float]
    zopa_exists: bool
    frontier_size: int
    solutions: list[Solution]
    provenance: Provenance


class DealOut(BaseModel):
    """Everything the deal explorer shows for one package."""

    plan: str
    choices: dict[str, str]
    evaluation: PlanEvaluation
    ratification: Ratification
    payers: Payers
    concessions: Concessions


# -- forecasts ------------------------------------------------------------------------------
class ModelOut(BaseModel):
    """A registered forecasting model."""

    name: str
    summary: str


class ForecastRequest(Request):
    """One forecast at the central values of the inputs."""

    model: str = Field(min_length=1, max_length=100, description="a name from `GET /api/models`")
    seed: int = Field(default=0, ge=0, le=MAX_SEED)


class ForecastOut(BaseModel):
    """A model's predicted position on every issue, and the option nearest to it."""

    model: str
    outcome: dict[str, float]
    nearest_option: dict[str, str]
    rounds: int
    converged: bool
    notes: list[str]
    metrics: dict[str, float | None]
    trajectory: dict[str, dict[str, list[float]]] | None = None
    provenance: dict[str, Any]


class ExperimentRequest(Request):
    """A Monte Carlo experiment: the model on `runs` draws of every uncertain input."""

    model: str = Field(min_length=1, max_length=100, description="a name from `GET /api/models`")
    runs: int = Field(default=1000, ge=1, description="at most the server's limit (20,000)")
    seed: int = Field(default=0, ge=0, le=MAX_SEED)


class ExperimentOut(BaseModel):
    """The distribution of a model's forecasts over the draws."""

    model: str
    runs: int
    quantile_levels: list[float]
    quantiles: dict[str, list[float]] = Field(description="per issue, at `quantile_levels`")
    option_probabilities: dict[str, dict[str, float]]
    converged: float
    metrics: dict[str, float | None]
    provenance: Provenance


class JobOut(BaseModel):
    """A Monte Carlo job: poll it until `status` is `done` (or `failed`)."""

    id: str
    scenario: ScenarioRef
    model: str
    runs: int
    seed: int
    status: Literal["running", "done", "failed", "cancelled"]
    done: int
    total: int
    error: str | None
    result: ExperimentOut | None
