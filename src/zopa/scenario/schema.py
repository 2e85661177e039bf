"""The scenario file format (schema_version 1): pydantic specs at the edge, domain objects inside.

:func:`scenario_from_data` turns parsed YAML/JSON into a validated
:class:`~zopa.scenario.scenario.Scenario`; :func:`scenario_to_data` is its inverse;
:func:`json_schema` documents the format; :func:`content_hash` identifies a scenario
by the SHA-256 of its canonical JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from zopa.errors import ScenarioError
from zopa.scenario.issue import Issue, Option
from zopa.scenario.party import Party
from zopa.scenario.preferences import Stance
from zopa.scenario.proposal import Proposal
from zopa.scenario.scenario import Scenario
from zopa.scenario.source import Source
from zopa.scenario.uncertain import Uncertain

__all__ = [
    "SCHEMA_VERSION",
    "ScenarioSpec",
    "content_hash",
    "json_schema",
    "scenario_from_data",
    "scenario_to_data",
]

SCHEMA_VERSION = 1
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=100)]


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


SourceKeys = Annotated[list[Identifier], BeforeValidator(_listify)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Spec):
    """A document numbers are cited from."""

    document: str
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


class UncertainSpec(_Spec):
    """A number: ``{value: x}`` or ``{low, mode, high}``, optionally sourced; or a bare number."""

    value: float | None = None
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    source: SourceKeys = []
    note: str | None = None
    judgement: bool = False

    @model_validator(mode="after")
    def _one_form(self) -> UncertainSpec:
        ranged = (self.low, self.mode, self.high)
        if self.value is not None and any(v is not None for v in ranged):
            raise ValueError("give either 'value' or 'low'/'mode'/'high', not both")
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("expected 'value', or 'low' and 'high' (with an optional 'mode')")
        if self.value is None:
            low, high = self.low, self.high
            mode = self.mode if self.mode is not None else (low + high) / 2  # type: ignore[operator]
            if not low <= mode <= high:  # type: ignore[operator]
                raise ValueError(f"expected low <= mode <= high, got {low} / {mode} / {high}")
        return self

    def to_domain(self) -> Uncertain:
        sources = tuple(self.source)
        if self.value is not None:
            return Uncertain.point(self.value, sources=sources, note=self.note,
                                   judgement=self.judgement)
        assert self.low is not None and self.high is not None  # guaranteed by _one_form
        mode = self.mode if self.mode is not None else (self.low + self.high) / 2
        return Uncertain(self.low, mode, self.high, sources=sources, note=self.note,
                         judgement=self.judgement)


def _number_to_point(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # rejected by the model: a yes/no is not a number
    if isinstance(value, int | float):
        return {"value": value}
    return value


UncertainField = Annotated[UncertainSpec, BeforeValidator(_number_to_point)]


class PartySpec(_Spec):
    id: Identifier
    name: str
    description: str = ""
    capability: UncertainField
    reservation: UncertainField


class OptionSpec(_Spec):
    id: Identifier
    label: str
    description: str = ""
    position: UncertainField


class IssueSpec(_Spec):
    id: Identifier
    name: str
    description: str = ""
    low_label: str = ""
    high_label: str = ""
    status_quo: Identifier | None = None
    options: list[OptionSpec]


class StanceSpec(_Spec):
    ideal: UncertainField
    salience: UncertainField
    values: dict[Identifier, UncertainField] = {}
    red_lines: list[Identifier] = []
    note: str = ""


class ProposalSpec(_Spec):
    id: Identifier
    name: str
    date: dt.date | None = None
    description: str = ""
    source: SourceKeys = []
    variant_of: Identifier | None = None
    options: dict[Identifier, Identifier]


class ScenarioSpec(_Spec):
    """The whole scenario file."""

    schema_version: Literal[1] = 1
    id: Identifier
    name: str
    description: str = ""
    as_of: dt.date | None = None
    sources: dict[Identifier, SourceSpec] = {}
    parties: list[PartySpec]
    issues: list[IssueSpec]
    stances: dict[Identifier, dict[Identifier, StanceSpec]] = {}
    proposals: list[ProposalSpec] = []


@contextmanager
def _at(*prefix: str | int) -> Iterator[None]:
    """Prefix the field path of a ScenarioError raised inside the block."""
    try:
        yield
    except ScenarioError as error:
        raise ScenarioError(error.message, path=(*prefix, *error.path)) from None


def _to_domain(spec: ScenarioSpec) -> Scenario:
    parties = []
    for index, p in enumerate(spec.parties):
        with _at("parties", index):
            parties.append(Party(p.id, p.name, p.capability.to_domain(),
                                 p.reservation.to_domain(), p.description))
    issues = []
    for index, i in enumerate(spec.issues):
        with _at("issues", index):
            options = []
            for o_index, o in enumerate(i.options):
                with _at("options", o_index):
                    options.append(Option(o.id, o.label, o.position.to_domain(), o.description))
            issues.append(Issue(i.id, i.name, tuple(options), i.low_label, i.high_label,
                                i.status_quo, i.description))
    stances = []
    for party_id, by_issue in spec.stances.items():
        for issue_id, s in by_issue.items():
            with _at("stances", party_id, issue_id):
                stances.append(Stance(
                    party_id, issue_id, s.ideal.to_domain(), s.salience.to_domain(),
                    tuple((k, v.to_domain()) for k, v in s.values.items()),
                    frozenset(s.red_lines), s.note,
                ))
    proposals = tuple(
        Proposal(p.id, p.name, tuple(p.options.items()), p.date, p.description,
                 tuple(p.source), p.variant_of)
        for p in spec.proposals
    )
    sources = tuple(Source(key, s.document, s.date, s.url, s.note)
                    for key, s in spec.sources.items())
    return Scenario(spec.id, spec.name, tuple(parties), tuple(issues), tuple(stances),
                    proposals, sources, spec.description, spec.as_of)


def _first_error(error: ValidationError) -> ScenarioError:
    detail = error.errors(include_url=False)[0]
    path = tuple(part for part in detail["loc"] if isinstance(part, str | int))
    message = detail["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if detail["type"] == "extra_forbidden":
        message = "unknown field; see `zopa scenario schema` for the fields allowed here"
    if detail["type"] == "literal_error" and path == ("schema_version",):
        message = f"unsupported schema_version {detail.get('input')!r}; this zopa reads 1"
    return ScenarioError(message, path=path)


def scenario_from_data(data: Any) -> Scenario:
    """Validate parsed YAML/JSON data and build the domain :class:`Scenario`.

    Raises
    ------
    ScenarioError
        Naming the field path and what was expected (no file or line: the
        format layer adds those).
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"expected a mapping at the top level, got {type(data).__name__}")
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as error:
        raise _first_error(error) from None
    return _to_domain(spec)


def _uncertain_data(value: Uncertain) -> Any:
    data: dict[str, Any]
    if value.is_point:
        data = {"value": value.mode}
    else:
        data = {"low": value.low, "mode": value.mode, "high": value.high}
    if value.sources:
        data["source"] = list(value.sources)
    if value.note:
        data["note"] = value.note
    if value.judgement:
        data["judgement"] = True
    return data["value"] if list(data) == ["value"] else data


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in the file format (inverse of :func:`scenario_from_data`)."""
    stances: dict[str, dict[str, Any]] = {}
    for s in scenario.stances:
        stances.setdefault(s.party, {})[s.issue] = _drop_empty({
            "ideal": _uncertain_data(s.ideal),
            "salience": _uncertain_data(s.salience),
            "values": {k: _uncertain_data(v) for k, v in s.values},
            "red_lines": sorted(s.red_lines),
            "note": s.note,
        })
    return _drop_empty({
        "schema_version": SCHEMA_VERSION,
        "id": scenario.id,
        "name": scenario.name,
        "description": scenario.description,
        "as_of": scenario.as_of.isoformat() if scenario.as_of else None,
        "sources": {s.key: _drop_empty({"document": s.document,
                                        "date": s.date.isoformat() if s.date else None,
                                        "url": s.url, "note": s.note})
                    for s in scenario.sources},
        "parties": [_drop_empty({"id": p.id, "name": p.name, "description": p.description,
                                 "capability": _uncertain_data(p.capability),
                                 "reservation": _uncertain_data(p.reservation)})
                    for p in scenario.parties],
        "issues": [_issue_data(i) for i in scenario.issues],
        "stances": stances,
        "proposals": [_drop_empty({"id": p.id, "name": p.name,
                                   "date": p.date.isoformat() if p.date else None,
                                   "description": p.description, "source": list(p.sources),
                                   "variant_of": p.variant_of, "options": dict(p.choices)})
                      for p in scenario.proposals],
    })


def _issue_data(issue: Issue) -> dict[str, Any]:
    return _drop_empty({
        "id": issue.id, "name": issue.name, "description": issue.description,
        "low_label": issue.low_label, "high_label": issue.high_label,
        "status_quo": issue.status_quo,
        "options": [_drop_empty({"id": o.id, "label": o.label, "description": o.description,
                                 "position": _uncertain_data(o.position)})
                    for o in issue.options],
    })


def content_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (sorted keys, no whitespace).

    Two scenarios with the same content have the same hash whatever file they
    came from; the store uses it to address versions.
    """
    canonical = json.dumps(scenario_to_data(scenario), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format (numbers may be bare or uncertain mappings)."""
    schema = ScenarioSpec.model_json_schema()
    ref = {"$ref": "#/$defs/UncertainSpec"}

    def widen(node: Any) -> Any:
        if isinstance(node, dict):
            if node == ref:
                return {"anyOf": [{"type": "number"}, ref]}
            return {key: widen(value) for key, value in node.items()}
        if isinstance(node, list):
            return [widen(item) for item in node]
        return node

    widened = widen(schema)
    widened["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    widened["title"] = "zopa scenario (schema_version 1)"
    return widened
