"""The price of peace: what each party gives up, issue by issue, under a package.

For each party and issue: the distance (0–100 scale) between the party's ideal
and the option the package settles on, and the utility the party loses on that
issue compared with getting its own way there (``weight * (best value - value)``).
Summed over issues, the loss is the party's total concession: how far the
package falls short of the best package it could imagine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from zopa.analysis.results import Provenance, provenance
from zopa.analysis.space import DealSpace
from zopa.errors import ScenarioError
from zopa.scenario import Scenario

__all__ = ["Concession", "Concessions", "price_of_peace"]


@dataclass(frozen=True, slots=True)
class Concession:
    """One party's concession on one issue."""

    party: str
    issue: str
    option: str
    ideal: float
    position: float
    distance: float
    utility_loss: float


@dataclass(frozen=True, slots=True)
class Concessions:
    """Concessions of every party on every issue, with per-party totals."""

    plan: str
    items: tuple[Concession, ...]
    total_loss: dict[str, float]
    utility: dict[str, float]
    provenance: Provenance


def price_of_peace(scenario: Scenario, plan: str | Mapping[str, str]) -> Concessions:
    """Each party's concessions under a proposal (by id) or an ``{issue: option}`` package.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> scenario = load_catalog_scenario()
    >>> result = price_of_peace(scenario, scenario.proposals[0].id)
    >>> all(loss >= 0 for loss in result.total_loss.values())
    True
    """
    space = DealSpace.from_scenario(scenario)
    if isinstance(plan, str):
        if plan not in [p.id for p in scenario.proposals]:
            raise ScenarioError(f"unknown plan {plan!r}; expected one of "
                                f"{[p.id for p in scenario.proposals]}", path=("plan",))
        choices, name = dict(scenario.proposal(plan).choices), plan
    else:
        space.package_from_choices(plan)  # validates ids
        choices, name = dict(plan), "custom package"
    items = []
    for i, issue in enumerate(scenario.issues):
        option = issue.option(choices[issue.id])
        table = space.tables[i]
        j = issue.index_of(option.id)
        for p, party in enumerate(scenario.party_ids):
            stance = scenario.stance(party, issue.id)
            items.append(Concession(
                party, issue.id, option.id, stance.ideal.value, option.position.value,
                abs(option.position.value - stance.ideal.value),
                round(float(table[:, p].max() - table[j, p]), 9),
            ))
    package = space.package_from_choices(choices)
    utility = space.utilities(package)[0]
    total = {p: round(sum(c.utility_loss for c in items if c.party == p), 9)
             for p in scenario.party_ids}
    made = provenance("zopa.analysis.concessions.price_of_peace", scenario, plan=name)
    return Concessions(name, tuple(items), total,
                       dict(zip(scenario.party_ids, utility.tolist(), strict=True)), made)
