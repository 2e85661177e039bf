"""Evaluate a named plan: who gains, who blocks, and the smallest change that wins everyone.

A party *accepts* a package iff the package crosses none of its red lines and is
worth at least its reservation to it. The *minimal unblocking change* is a
package in the ZOPA that differs from the plan on as few issues as possible.

It is found exactly with the same frontier merge used for the Pareto frontier,
by adding one more "party" whose utility is the number of issues on which the
package keeps the plan's option: among ZOPA packages, those that keep the most
issues are Pareto-optimal in that extra dimension. Among several equally small
changes, the one with the largest Nash product of gains is reported, and the
number of such Pareto-efficient alternatives is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from zopa.analysis.bargaining import Solution
from zopa.analysis.feasibility import closest_package
from zopa.analysis.pareto import pareto_frontier
from zopa.analysis.results import Provenance, provenance
from zopa.analysis.space import DealSpace, Package, from_fixed
from zopa.errors import ScenarioError
from zopa.scenario import Scenario

__all__ = ["Change", "PartyVerdict", "PlanEvaluation", "Unblocking", "evaluate_package",
           "evaluate_plan"]


@dataclass(frozen=True, slots=True)
class PartyVerdict:
    """One party's view of a package."""

    party: str
    utility: float
    reservation: float
    surplus: float
    red_lines_hit: tuple[tuple[str, str], ...]
    accepts: bool


@dataclass(frozen=True, slots=True)
class Change:
    """Switch one issue from the plan's option to another."""

    issue: str
    from_option: str
    to_option: str


@dataclass(frozen=True, slots=True)
class Unblocking:
    """The smallest set of option changes after which every party accepts."""

    changes: tuple[Change, ...]
    choices: dict[str, str]
    verdicts: tuple[PartyVerdict, ...]
    alternatives: int


@dataclass(frozen=True, slots=True)
class PlanEvaluation:
    """A plan's verdicts, blockers and minimal unblocking change.

    ``unblocking`` is ``None`` when the ZOPA is empty (no change can win every
    party); it has no changes when the plan is already accepted by all. When the
    ZOPA is empty, ``closest`` is the package that leaves the worst-off party least
    far below its reservation (see :func:`~zopa.analysis.feasibility.closest_package`).
    """

    plan: str
    choices: dict[str, str]
    verdicts: tuple[PartyVerdict, ...]
    blockers: tuple[str, ...]
    unblocking: Unblocking | None
    closest: Solution | None
    provenance: Provenance

    @property
    def accepted(self) -> bool:
        return not self.blockers


def _verdicts(space: DealSpace, package: Package) -> tuple[PartyVerdict, ...]:
    fixed = space.fixed_utilities(np.array([package]))[0]
    floor = space.reservation_floor
    hits = space.red_lines_hit(package)
    verdicts = []
    for p, party in enumerate(space.parties):
        mine = tuple((issue, option) for who, issue, option in hits if who == party)
        utility = float(from_fixed(fixed[p]))
        reservation = float(space.reservations[p])
        surplus = round(utility - reservation, 9)
        verdicts.append(PartyVerdict(party, utility, reservation, surplus, mine,
                                     accepts=not mine and bool(fixed[p] >= floor[p])))
    return tuple(verdicts)


def _minimal_change(space: DealSpace, package: Package) -> Unblocking | None:
    admissible = space.admissible()
    if any(len(index) == 0 for index in admissible):
        return None
    tables = []
    for i, index in enumerate(admissible):
        keeps = (index == package[i]).astype(np.int64)[:, None]
        tables.append(np.hstack([space.fixed[i][index], keeps]))
    floor = np.append(space.reservation_floor, 0)
    points = pareto_frontier(tables, floor=floor)
    if len(points) == 0:
        return None
    kept = points.utilities[:, -1]
    rows = np.flatnonzero(kept == kept.max())
    gains = (points.utilities[rows, :-1] - space.reservation_floor).astype(object)
    nash = [int(np.prod(g)) for g in gains]
    row = int(rows[int(np.argmax(np.array([n == max(nash) for n in nash])))])
    chosen = tuple(int(admissible[i][j]) for i, j in enumerate(points.representatives[row]))
    changes = tuple(
        Change(space.issues[i], space.options[i][package[i]], space.options[i][chosen[i]])
        for i in range(len(space.issues)) if chosen[i] != package[i]
    )
    return Unblocking(changes, space.choices_of(chosen), _verdicts(space, chosen), len(rows))


def evaluate_package(space: DealSpace, package: Package, *, name: str, made: Provenance,
                     closest: Solution | None = None) -> PlanEvaluation:
    """Evaluate a package given as option indices (see :func:`evaluate_plan`).

    ``closest`` is the space's closest package when the caller already has it (from
    :func:`~zopa.analysis.feasibility.find_zopa`); it is needed only when no change
    unblocks the package, and computed then if not given (it costs a frontier).
    """
    verdicts = _verdicts(space, package)
    blockers = tuple(v.party for v in verdicts if not v.accepts)
    unblocking = _minimal_change(space, package)
    if unblocking is not None:
        closest = None
    elif closest is None:
        closest = closest_package(space)
    return PlanEvaluation(name, space.choices_of(package), verdicts, blockers, unblocking,
                          closest, made)


def evaluate_plan(scenario: Scenario, plan: str | Mapping[str, str]) -> PlanEvaluation:
    """Evaluate a named proposal (or an ``{issue: option}`` package) against every party.

    Parameters
    ----------
    scenario
        The negotiation.
    plan
        Id of one of the scenario's proposals, or a mapping naming one option per issue.

    Raises
    ------
    ScenarioError
        If the plan is not a proposal of the scenario or names unknown issues/options.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> scenario = load_catalog_scenario()
    >>> result = evaluate_plan(scenario, scenario.proposals[0].id)
    >>> sorted(v.party for v in result.verdicts) == sorted(scenario.party_ids)
    True
    """
    space = DealSpace.from_scenario(scenario)
    if isinstance(plan, str):
        ids = [p.id for p in scenario.proposals]
        if plan not in ids:
            raise ScenarioError(f"unknown plan {plan!r}; expected one of {ids}", path=("plan",))
        package, name = space.package_of(scenario.proposal(plan)), plan
    else:
        package, name = space.package_from_choices(plan), "custom package"
    made = provenance("zopa.analysis.plans.evaluate_plan", scenario, plan=name)
    return evaluate_package(space, package, name=name, made=made)
