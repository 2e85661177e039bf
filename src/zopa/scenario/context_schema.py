"""The file format of the context sections: clocks, drifts, areas, ratifiers, costs, funding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from zopa.scenario.costs import CostItem, FundingRule
from zopa.scenario.dynamics import Clock, Drift
from zopa.scenario.ratification import Ratifier, VoterGroup
from zopa.scenario.spec_parts import (
    Identifier,
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
from zopa.scenario.territory import Area

if TYPE_CHECKING:
    from zopa.scenario.scenario import Scenario

__all__ = ["AreaSpec", "ClockSpec", "CostSpec", "DriftSpec", "FundingSpec", "RatifierSpec",
           "context_to_data", "context_to_domain"]


class ClockSpec(Spec):
    id: Identifier
    name: Text
    unit: Text
    rate: UncertainField
    start: UncertainField = UncertainSpec(value=0.0)
    description: str = ""


class DriftSpec(Spec):
    party: Identifier
    clock: Identifier
    per_unit: UncertainField
    note: str = ""


class AreaSpec(Spec):
    id: Identifier
    name: Text
    km2: UncertainField
    demanded_by: Identifier | None = None
    clock: Identifier | None = None
    reference: bool = False
    description: str = ""


class GroupSpec(Spec):
    id: Identifier
    name: Text
    share: UncertainField
    turnout: UncertainField = UncertainSpec(value=1.0)
    threshold: UncertainField
    stances: dict[Identifier, StanceSpec]
    description: str = ""


class RatifierSpec(Spec):
    id: Identifier
    name: Text
    kind: Literal["referendum", "legislature", "veto"]
    party: Identifier
    majority: UncertainField = UncertainSpec(value=0.5)
    quorum: UncertainField = UncertainSpec(value=0.0)
    after_ceasefire_days: int | None = None
    description: str = ""
    groups: list[GroupSpec]


class CostSpec(Spec):
    id: Identifier
    name: Text
    amount: UncertainField
    unit: Text = "USD bn"
    description: str = ""


class FundingSpec(Spec):
    issue: Identifier
    option: Identifier
    shares: dict[Identifier, UncertainField] = Field(min_length=1)
    items: list[Identifier] = []
    note: str = ""


def _group(spec: GroupSpec) -> VoterGroup:
    stances = []
    for issue, stance in spec.stances.items():
        with at_path("stances", issue):
            stances.append(stance_to_domain(spec.id, issue, stance))
    return VoterGroup(spec.id, spec.name, spec.share.to_domain(), spec.threshold.to_domain(),
                      tuple(stances), spec.turnout.to_domain(), spec.description)


def _ratifier(spec: RatifierSpec) -> Ratifier:
    groups = []
    for index, group in enumerate(spec.groups):
        with at_path("groups", index):
            groups.append(_group(group))
    return Ratifier(spec.id, spec.name, spec.kind, spec.party, tuple(groups),
                    spec.majority.to_domain(), spec.quorum.to_domain(),
                    spec.after_ceasefire_days, spec.description)


def _each(items: list[Any], field: str, build: Any) -> tuple[Any, ...]:
    built = []
    for index, item in enumerate(items):
        with at_path(field, index):
            built.append(build(item))
    return tuple(built)


def context_to_domain(spec: Any) -> dict[str, tuple[Any, ...]]:
    """Domain objects for the context sections of a ScenarioSpec, keyed by Scenario field."""
    return {
        "clocks": _each(spec.clocks, "clocks", lambda c: Clock(
            c.id, c.name, c.unit, c.rate.to_domain(), c.start.to_domain(), c.description)),
        "drifts": _each(spec.drifts, "drifts", lambda d: Drift(
            d.party, d.clock, d.per_unit.to_domain(), d.note)),
        "areas": _each(spec.areas, "areas", lambda a: Area(
            a.id, a.name, a.km2.to_domain(), a.demanded_by, a.clock, a.reference,
            a.description)),
        "ratifiers": _each(spec.ratifiers, "ratifiers", _ratifier),
        "costs": _each(spec.costs, "costs", lambda c: CostItem(
            c.id, c.name, c.amount.to_domain(), c.unit, c.description)),
        "funding": _each(spec.funding, "funding", lambda f: FundingRule(
            f.issue, f.option, tuple((k, v.to_domain()) for k, v in f.shares.items()),
            tuple(f.items), f.note)),
    }


def _ratifier_data(r: Ratifier) -> dict[str, Any]:
    return drop_empty({
        "id": r.id, "name": r.name, "kind": r.kind, "party": r.party,
        "majority": uncertain_data(r.majority), "quorum": uncertain_data(r.quorum),
        "after_ceasefire_days": r.after_ceasefire_days, "description": r.description,
        "groups": [drop_empty({
            "id": g.id, "name": g.name, "share": uncertain_data(g.share),
            "turnout": uncertain_data(g.turnout), "threshold": uncertain_data(g.threshold),
            "stances": {s.issue: stance_data(s) for s in g.stances},
            "description": g.description}) for g in r.groups],
    })


def context_to_data(scenario: Scenario) -> dict[str, Any]:
    """The context sections in the file format (empty sections omitted by the caller)."""
    return {
        "clocks": [drop_empty({"id": c.id, "name": c.name, "unit": c.unit,
                               "rate": uncertain_data(c.rate), "start": uncertain_data(c.start),
                               "description": c.description}) for c in scenario.clocks],
        "drifts": [drop_empty({"party": d.party, "clock": d.clock,
                               "per_unit": uncertain_data(d.per_unit), "note": d.note})
                   for d in scenario.drifts],
        "areas": [drop_empty({"id": a.id, "name": a.name, "km2": uncertain_data(a.km2),
                              "demanded_by": a.demanded_by, "clock": a.clock,
                              "reference": a.reference or None, "description": a.description})
                  for a in scenario.areas],
        "ratifiers": [_ratifier_data(r) for r in scenario.ratifiers],
        "costs": [drop_empty({"id": c.id, "name": c.name, "amount": uncertain_data(c.amount),
                              "unit": c.unit, "description": c.description})
                  for c in scenario.costs],
        "funding": [drop_empty({"issue": f.issue, "option": f.option,
                                "shares": {k: uncertain_data(v) for k, v in f.shares},
                                "items": list(f.items), "note": f.note})
                    for f in scenario.funding],
    }
