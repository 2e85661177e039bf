"""Who pays: how a deal's funding provisions split the bills among payers.

For every funding rule whose option the deal chooses, each payer bears its share of
the covered cost items (low / central / high, from the ranges of the amounts and
shares). What no rule covers is reported as unfunded. Alongside the money, each
party's *utility* cost: what it gives up, on the issues that carry funding rules,
compared with getting its own way there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from zopa.analysis.results import Provenance, provenance
from zopa.analysis.space import DealSpace
from zopa.errors import ScenarioError
from zopa.scenario import Scenario

__all__ = ["PayerShare", "Payers", "who_pays"]


@dataclass(frozen=True, slots=True)
class PayerShare:
    """What one payer bears under the deal, in money and (for parties) in utility."""

    payer: str
    low: float
    central: float
    high: float
    share_of_total: float
    utility_cost: float | None


@dataclass(frozen=True, slots=True)
class Payers:
    """Each payer's share of the bills in one unit under one package (``others``: other units)."""

    plan: str
    unit: str
    total: tuple[float, float, float]
    unfunded: tuple[float, float, float]
    shares: tuple[PayerShare, ...]
    rules_applied: tuple[tuple[str, str], ...]
    provenance: Provenance
    others: tuple[Payers, ...] = ()


def _choices(scenario: Scenario, plan: str | Mapping[str, str]) -> tuple[dict[str, str], str]:
    if isinstance(plan, str):
        if plan not in [p.id for p in scenario.proposals]:
            raise ScenarioError(f"unknown plan {plan!r}; expected one of "
                                f"{[p.id for p in scenario.proposals]}", path=("plan",))
        return dict(scenario.proposal(plan).choices), plan
    return dict(plan), "custom package"


def _utility_costs(scenario: Scenario, choices: Mapping[str, str],
                   issues: set[str]) -> dict[str, float]:
    space = DealSpace.from_scenario(scenario)
    costs = {}
    for p, party in enumerate(space.parties):
        lost = 0.0
        for i, issue in enumerate(space.issues):
            if issue in issues:
                table = space.tables[i][:, p]
                lost += float(table.max() - table[space.options[i].index(choices[issue])])
        costs[party] = round(lost, 9)
    return costs


def _bill(scenario: Scenario, choices: Mapping[str, str], unit: str, name: str,
          made: Provenance) -> Payers:
    """The payers of the cost items in one unit (amounts in different units are never added)."""
    items = {c.id: c for c in scenario.costs if c.unit == unit}
    total = tuple(sum(getattr(c.amount, b) for c in items.values())
                  for b in ("low", "mode", "high"))
    money: dict[str, list[float]] = {}
    covered = {item: [0.0, 0.0, 0.0] for item in items}  # shares of each item: low/mode/high
    applied = []
    for rule in scenario.funding:
        if choices.get(rule.issue) != rule.option:
            continue
        applied.append((rule.issue, rule.option))
        for item in [i for i in (rule.items or tuple(items)) if i in items]:
            for payer, share in rule.shares:
                row = money.setdefault(payer, [0.0, 0.0, 0.0])
                for k, bound in enumerate(("low", "mode", "high")):
                    row[k] += getattr(share, bound) * getattr(items[item].amount, bound)
                    covered[item][k] += getattr(share, bound)
    # Unfunded: the uncovered fraction of each item; fewest uncovered with the highest shares.
    unfunded = tuple(round(sum(max(0.0, 1 - covered[i][2 - k]) * getattr(items[i].amount, b)
                               for i in items), 6)
                     for k, b in enumerate(("low", "mode", "high")))
    utility = _utility_costs(scenario, choices, {r.issue for r in scenario.funding})
    shares = tuple(PayerShare(payer, *(round(v, 6) for v in row),
                              round(row[1] / total[1], 6) if total[1] else 0.0,
                              utility.get(payer))
                   for payer, row in sorted(money.items(), key=lambda kv: -kv[1][1]))
    return Payers(name, unit, total, unfunded, shares, tuple(dict.fromkeys(applied)), made)  # type: ignore[arg-type]


def who_pays(scenario: Scenario, plan: str | Mapping[str, str]) -> Payers:
    """Each payer's share of the scenario's cost items under a proposal or package.

    Cost items in different units are reported separately: the result covers the unit
    of the first cost item, and ``others`` holds one result per further unit.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> result = who_pays(load_catalog_scenario(), "ua-us-20-point")
    >>> result.total[0] <= result.total[1] <= result.total[2]
    True
    """
    choices, name = _choices(scenario, plan)
    made = provenance("zopa.analysis.payers.who_pays", scenario, plan=name)
    units = list(dict.fromkeys(c.unit for c in scenario.costs)) or [""]
    bills = [_bill(scenario, choices, unit, name, made) for unit in units]
    return dataclasses.replace(bills[0], others=tuple(bills[1:]))
