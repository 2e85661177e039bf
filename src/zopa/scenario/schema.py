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
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ValidationError

from zopa.errors import ScenarioError
from zopa.limits import check_document
from zopa.scenario.context_schema import (
    AreaSpec,
    ClockSpec,
    CostSpec,
    DriftSpec,
    FundingSpec,
    RatifierSpec,
    context_to_data,
    context_to_domain,
)
from zopa.scenario.issue import Issue, Option
from zopa.scenario.party import Party
from zopa.scenario.proposal import Proposal
from zopa.scenario.scenario import Scenario
from zopa.scenario.source import Source
from zopa.scenario.spec_parts import (
    Identifier,
    SourceKeys,
    SourceSpec,
    Spec,
    StanceSpec,
    Text,
    UncertainField,
    UncertainSpec,
    at_path,
    drop_empty,
    stance_data,
    stance_to_domain,
    uncertain_data,
)
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
class PartySpec(Spec):
    id: Identifier
    name: Text
    description: str = ""
    capability: UncertainField
    reservation: UncertainField
    response_delay_days: UncertainField = UncertainSpec(value=1.0)


class OptionSpec(Spec):
    id: Identifier
    label: Text
    description: str = ""
    position: UncertainField


class IssueSpec(Spec):
    id: Identifier
    name: Text
    description: str = ""
    low_label: str = ""
    high_label: str = ""
    status_quo: Identifier | None = None
    options: list[OptionSpec]


class ProposalSpec(Spec):
    id: Identifier
    name: Text
    date: dt.date | None = None
    description: str = ""
    source: SourceKeys = []
    variant_of: Identifier | None = None
    options: dict[Identifier, Identifier]


class ScenarioSpec(Spec):
    """The whole scenario file."""

    schema_version: Literal[1] = 1
    id: Identifier
    name: Text
    description: str = ""
    as_of: dt.date | None = None
    sources: dict[Identifier, SourceSpec] = {}
    parties: list[PartySpec]
    issues: list[IssueSpec]
    stances: dict[Identifier, dict[Identifier, StanceSpec]] = {}
    proposals: list[ProposalSpec] = []
    clocks: list[ClockSpec] = []
    drifts: list[DriftSpec] = []
    areas: list[AreaSpec] = []
    ratifiers: list[RatifierSpec] = []
    costs: list[CostSpec] = []
    funding: list[FundingSpec] = []


def _to_domain(spec: ScenarioSpec) -> Scenario:
    parties = []
    for index, p in enumerate(spec.parties):
        with at_path("parties", index):
            parties.append(Party(p.id, p.name, p.capability.to_domain(),
                                 p.reservation.to_domain(), p.description,
                                 p.response_delay_days.to_domain()))
    issues = []
    for index, i in enumerate(spec.issues):
        with at_path("issues", index):
            options = []
            for o_index, o in enumerate(i.options):
                with at_path("options", o_index):
                    options.append(Option(o.id, o.label, o.position.to_domain(), o.description))
            issues.append(Issue(i.id, i.name, tuple(options), i.low_label, i.high_label,
                                i.status_quo, i.description))
    stances = []
    for party_id, by_issue in spec.stances.items():
        for issue_id, s in by_issue.items():
            with at_path("stances", party_id, issue_id):
                stances.append(stance_to_domain(party_id, issue_id, s))
    proposals = tuple(
        Proposal(p.id, p.name, tuple(p.options.items()), p.date, p.description,
                 tuple(p.source), p.variant_of)
        for p in spec.proposals
    )
    sources = tuple(Source(key, s.document, s.date, s.url, s.note)
                    for key, s in spec.sources.items())
    context = context_to_domain(spec)
    return Scenario(spec.id, spec.name, tuple(parties), tuple(issues), tuple(stances),
                    proposals, sources, spec.description, spec.as_of, **context)


def _first_error(error: ValidationError) -> ScenarioError:
    detail = error.errors(include_url=False)[0]
    path = tuple(part for part in detail["loc"] if isinstance(part, str | int))
    message = detail["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if detail["type"] == "extra_forbidden":
        message = "unknown field; see `zopa scenario schema` for the fields allowed here"
    context = detail.get("ctx", {})
    if (detail["type"] == "string_too_short" and context.get("min_length") == 1) or (
            detail["type"] == "string_pattern_mismatch" and context.get("pattern") == r"\S"):
        message = "expected some text, not an empty or blank string"  # a Text field
    if detail["type"] == "literal_error" and path == ("schema_version",):
        message = f"unsupported schema_version {detail.get('input')!r}; this zopa reads 1"
    return ScenarioError(message, path=path)


def scenario_from_data(data: Any) -> Scenario:
    """Validate parsed YAML/JSON data and build the domain :class:`Scenario`.

    Raises
    ------
    ScenarioError
        Naming the field path and what was expected (no file or line: the
        format layer adds those); :class:`~zopa.errors.LimitError` for data above
        ``max_document_nodes``.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"expected a mapping at the top level, got {type(data).__name__}")
    check_document(data)  # again here, for data that did not come from a file (web edits)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as error:
        raise _first_error(error) from None
    return _to_domain(spec)


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in the file format (inverse of :func:`scenario_from_data`)."""
    stances: dict[str, dict[str, Any]] = {}
    for s in scenario.stances:
        stances.setdefault(s.party, {})[s.issue] = stance_data(s)
    return drop_empty({
        "schema_version": SCHEMA_VERSION,
        "id": scenario.id,
        "name": scenario.name,
        "description": scenario.description,
        "as_of": scenario.as_of.isoformat() if scenario.as_of else None,
        "sources": {s.key: drop_empty({"document": s.document,
                                        "date": s.date.isoformat() if s.date else None,
                                        "url": s.url, "note": s.note})
                    for s in scenario.sources},
        "parties": [_party_data(p) for p in scenario.parties],
        "issues": [_issue_data(i) for i in scenario.issues],
        "stances": stances,
        "proposals": [drop_empty({"id": p.id, "name": p.name,
                                   "date": p.date.isoformat() if p.date else None,
                                   "description": p.description, "source": list(p.sources),
                                   "variant_of": p.variant_of, "options": dict(p.choices)})
                      for p in scenario.proposals],
        **context_to_data(scenario),
    })


def _party_data(party: Party) -> dict[str, Any]:
    data = drop_empty({"id": party.id, "name": party.name, "description": party.description,
                        "capability": uncertain_data(party.capability),
                        "reservation": uncertain_data(party.reservation)})
    if party.response_delay_days != Uncertain.point(1.0):
        data["response_delay_days"] = uncertain_data(party.response_delay_days)
    return data


def _issue_data(issue: Issue) -> dict[str, Any]:
    return drop_empty({
        "id": issue.id, "name": issue.name, "description": issue.description,
        "low_label": issue.low_label, "high_label": issue.high_label,
        "status_quo": issue.status_quo,
        "options": [drop_empty({"id": o.id, "label": o.label, "description": o.description,
                                 "position": uncertain_data(o.position)})
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
