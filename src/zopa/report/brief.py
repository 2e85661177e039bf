"""Collect everything a brief says into one frozen :class:`BriefData`.

The brief answers three questions about one plan of one scenario:

* **the price of peace**: what each party gives up against its ideal package, and
  how far the plan stands above or below its reservation (walk-away) value;
* **who decides**: which parties (each is a veto player: a deal needs all of them)
  and which ratifiers (referendums, legislatures, veto bodies) accept it, and which
  voting group is pivotal;
* **who pays**: how the plan's funding provisions split the bills.

Around them: the Pareto frontier with the Nash package and the named proposals, the
territorial clock, the ZOPA over time, and every assumption with its sources. The
numbers all come from :mod:`zopa.analysis`; this module only gathers them, so the
HTML and Markdown renderers show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zopa.analysis import (
    Concessions,
    Frontier,
    PlanEvaluation,
    Provenance,
    Solution,
    ZopaResult,
    compute_frontier,
    evaluate_plan,
    find_zopa,
    price_of_peace,
    solve,
)
from zopa.analysis.payers import Payers, who_pays
from zopa.analysis.ratify import Ratification, ratify
from zopa.analysis.timeline import AreaClock, Timeline, territorial_clock, timeline
from zopa.errors import ScenarioError
from zopa.report.assumptions import Assumption, collect_assumptions
from zopa.scenario import Proposal, Scenario, content_hash

__all__ = ["BriefData", "PartyStanding", "ProposalPoint", "collect_brief"]

RATIFICATION_SEED = 0


@dataclass(frozen=True, slots=True)
class PartyStanding:
    """One party's price of peace under the plan.

    Attributes
    ----------
    party, name
        Id and name.
    utility
        What the plan is worth to the party (0–1).
    ideal_utility
        What its own ideal package would be worth to it (the plan's utility plus
        everything it gives up).
    given_up
        Utility given up against that ideal, summed over issues.
    reservation
        Its walk-away utility.
    margin
        ``utility - reservation``: above zero the plan beats walking away.
    red_lines_hit
        ``(issue, option)`` for each of its red lines the plan crosses.
    accepts
        Whether it accepts the plan at the modes of the inputs.
    """

    party: str
    name: str
    utility: float
    ideal_utility: float
    given_up: float
    reservation: float
    margin: float
    red_lines_hit: tuple[tuple[str, str], ...]
    accepts: bool


@dataclass(frozen=True, slots=True)
class ProposalPoint:
    """What one named proposal is worth to each party (for the frontier chart)."""

    id: str
    name: str
    utilities: dict[str, float]
    is_plan: bool


@dataclass(frozen=True, slots=True)
class BriefData:
    """Everything a brief shows, computed once.

    ``nash`` is the Nash package of the ZOPA when one exists (``nash_basis ==
    "reservations"``); when the ZOPA is empty it is the Nash package with the
    disagreement point at zero (``nash_basis == "zero"``), the best compromise by
    that criterion although some party prefers walking away.
    """

    scenario: Scenario
    plan: Proposal
    evaluation: PlanEvaluation
    concessions: Concessions
    standings: tuple[PartyStanding, ...]
    zopa: ZopaResult
    frontier: Frontier
    nash: Solution | None
    nash_basis: str
    proposals: tuple[ProposalPoint, ...]
    ratification: Ratification
    payers: Payers
    timeline: Timeline
    clocks: tuple[AreaClock, ...]
    assumptions: tuple[Assumption, ...]
    provenance: Provenance

    def party_name(self, party_id: str) -> str:
        """A party's name; for a payer that is not a party, its id with spaces for underscores."""
        return next((p.name for p in self.scenario.parties if p.id == party_id),
                    party_id.replace("_", " "))

    def option_label(self, issue_id: str, option_id: str) -> str:
        """The label of an option of an issue."""
        return self.scenario.issue(issue_id).option(option_id).label

    def group_name(self, ratifier_id: str, group_id: str | None) -> str:
        """The name of a voting group of a ratifier ('–' for none)."""
        if group_id is None:
            return "–"
        groups = self.scenario.ratifier(ratifier_id).groups
        return next((g.name for g in groups if g.id == group_id), group_id)

    @property
    def veto_players(self) -> tuple[str, ...]:
        """Everyone whose *no* stops the deal: every party, then every veto-kind ratifier."""
        vetoes = tuple(r.name for r in self.scenario.ratifiers if r.kind == "veto")
        return (*(p.name for p in self.scenario.parties), *vetoes)


def _standings(scenario: Scenario, evaluation: PlanEvaluation,
               concessions: Concessions) -> tuple[PartyStanding, ...]:
    found = []
    for verdict in evaluation.verdicts:
        given_up = concessions.total_loss[verdict.party]
        found.append(PartyStanding(
            verdict.party, scenario.party(verdict.party).name, verdict.utility,
            round(verdict.utility + given_up, 9), given_up, verdict.reservation,
            verdict.surplus, verdict.red_lines_hit, verdict.accepts))
    return tuple(found)


def _proposal_points(scenario: Scenario, plan: str) -> tuple[ProposalPoint, ...]:
    return tuple(ProposalPoint(p.id, p.name, price_of_peace(scenario, p.id).utility, p.id == plan)
                 for p in scenario.proposals)


def collect_brief(scenario: Scenario, plan: str, *, days: int = 365,
                  step: int = 30) -> BriefData:
    """Run every analysis the brief reports on one plan of a scenario.

    Parameters
    ----------
    scenario
        The negotiation.
    plan
        Id of one of its proposals.
    days, step
        Horizon and spacing (days) of the ZOPA-over-time chart.

    Raises
    ------
    ScenarioError
        If ``plan`` is not one of the scenario's proposals.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> data = collect_brief(random_scenario(2, 3, 3, rng=1), "plan-a", days=60)
    >>> [s.party for s in data.standings]
    ['p1', 'p2']
    >>> data.ratification.verdicts, data.clocks
    ((), ())
    """
    ids = [p.id for p in scenario.proposals]
    if plan not in ids:
        raise ScenarioError(f"unknown plan {plan!r}; plans in {scenario.id}: {ids}",
                            path=("--plan",))
    evaluation = evaluate_plan(scenario, plan)
    concessions = price_of_peace(scenario, plan)
    zopa = find_zopa(scenario)
    basis: Literal["reservations", "zero"] = "reservations" if zopa.exists else "zero"
    nash = solve(scenario, disagreement=basis).get("nash")
    made = Provenance("zopa.report.brief.collect_brief",
                      (("days", days), ("plan", plan), ("step", step)),
                      content_hash(scenario), RATIFICATION_SEED)
    return BriefData(
        scenario=scenario,
        plan=scenario.proposal(plan),
        evaluation=evaluation,
        concessions=concessions,
        standings=_standings(scenario, evaluation, concessions),
        zopa=zopa,
        frontier=compute_frontier(scenario),
        nash=nash,
        nash_basis=basis,
        proposals=_proposal_points(scenario, plan),
        ratification=ratify(scenario, plan, rng=RATIFICATION_SEED),
        payers=who_pays(scenario, plan),
        timeline=timeline(scenario, days=days, step=step),
        clocks=territorial_clock(scenario),
        assumptions=collect_assumptions(scenario),
        provenance=made,
    )
