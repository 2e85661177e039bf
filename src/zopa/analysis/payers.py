"""Who pays: how a deal's funding provisions split the bills among payers.

For every funding rule whose option the deal chooses, each payer bears its share of
the covered cost items (low / central / high, from the ranges of the amounts and
shares). What no rule covers is reported as unfunded. Alongside the money, each
party's *utility* cost: what it gives up, on the issues that carry funding rules,
compared with getting its own way there.
"""

from __future__ import annotations

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
    """Each payer's share of the bills under one package."""

    plan: str
    unit: str
    total: tuple[float, float, float]
    unfunded: tuple[float, float, float]
    shares: tuple[PayerShare, ...]
    rules_applied: tuple[tuple[str, str], ...]
    provenance: Provenance


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


def who_pays(scenario: Scenario, plan: str | Mapping[str, str]) -> Payers:
    """Each payer's share of the scenario's cost items under a proposal or package.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> result = who_pays(load_catalog_scenario(), "ua-us-20-point")
    >>> result.total[0] <= result.total[1] <= result.total[2]
    True
    """
    choices, name = _choices(scenario, plan)
    items = {c.id: c for c in scenario.costs}
    total = tuple(sum(getattr(c.amount, b) for c in items.values())
                  for b in ("low", "mode", "high"))
    money: dict[str, list[float]] = {}
    covered = [0.0, 0.0, 0.0]
    applied = []
    for rule in scenario.funding:
        if choices.get(rule.issue) != rule.option:
            continue
        applied.append((rule.issue, rule.option))
        bills = [items[i] for i in (rule.items or tuple(items))]
        for payer, share in rule.shares:
            row = money.setdefault(payer, [0.0, 0.0, 0.0])
            for k, (s_bound, a_bound) in enumerate(
                    [("low", "low"), ("mode", "mode"), ("high", "high")]):
                amount = sum(getattr(b.amount, a_bound) for b in bills)
                row[k] += getattr(share, s_bound) * amount
                covered[k] += getattr(share, s_bound) * amount
    utility = _utility_costs(scenario, choices, {r.issue for r in scenario.funding})
    shares = tuple(PayerShare(payer, *(round(v, 6) for v in row),
                              round(row[1] / total[1], 6) if total[1] else 0.0,
                              utility.get(payer))
                   for payer, row in sorted(money.items(), key=lambda kv: -kv[1][1]))
    unfunded = tuple(round(max(0.0, t - c), 6) for t, c in zip(total, covered, strict=True))
    unit = next(iter(items.values())).unit if items else ""
    made = provenance("zopa.analysis.payers.who_pays", scenario, plan=name)
    return Payers(name, unit, total, unfunded, shares, tuple(applied), made)  # type: ignore[arg-type]
