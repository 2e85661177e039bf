"""Who decides: would each ratifier approve a deal, how surely, and which voters are pivotal.

Each voting group values the deal with its own stances (like a party: weights are
its saliences normalised, values fall linearly with distance from its ideal unless
overridden) and votes yes when the value reaches its threshold and the deal crosses
none of its red lines. A ratifier approves when the yes share of the votes cast
reaches its majority and turnout reaches its quorum.

At the modes of the inputs this gives one verdict; drawing every uncertain input
of the ratifier from its range (triangular) gives the probability of approval.
The *pivotal group* is the one whose switch would flip the verdict; the
*provisions that cost most votes* are the issues where another option would add
the most yes votes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from zopa._rng import RNGLike, SeedLike, as_generator
from zopa.analysis.results import Provenance, provenance
from zopa.errors import ScenarioError
from zopa.scenario import Scenario, Stance
from zopa.scenario.issue import SCALE_MAX
from zopa.scenario.ratification import Ratifier, VoterGroup

__all__ = ["GroupVote", "Provision", "RatifierVerdict", "Ratification", "approved_by_all", "ratify",
           "yes_share"]

DRAWS = 2000


@dataclass(frozen=True, slots=True)
class GroupVote:
    """How one group votes at the modes."""

    group: str
    share: float
    turnout: float
    utility: float
    threshold: float
    red_lines_hit: tuple[str, ...]
    yes: bool


@dataclass(frozen=True, slots=True)
class Provision:
    """An issue whose setting in the deal costs yes votes, and the option that would win most."""

    issue: str
    option: str
    better_option: str
    votes_gained: float


@dataclass(frozen=True, slots=True)
class RatifierVerdict:
    """One ratifier's verdict on the deal."""

    ratifier: str
    name: str
    kind: str
    party: str
    yes_share: float
    turnout: float
    majority: float
    quorum: float
    approves: bool
    probability: float
    pivotal: str | None
    groups: tuple[GroupVote, ...]
    costly_provisions: tuple[Provision, ...]
    sequencing: str


@dataclass(frozen=True, slots=True)
class Ratification:
    """Every ratifier's verdict on one package."""

    plan: str
    choices: dict[str, str]
    verdicts: tuple[RatifierVerdict, ...]
    provenance: Provenance

    @property
    def ratified(self) -> bool:
        """True when every ratifier approves at the modes."""
        return all(v.approves for v in self.verdicts)


def _group_utility(scenario: Scenario, group: VoterGroup, choices: Mapping[str, str]) -> float:
    total = sum(s.salience.value for s in group.stances)
    utility = 0.0
    for stance in group.stances:
        option = scenario.issue(stance.issue).option(choices[stance.issue])
        utility += stance.salience.value / total * stance.value_of(option)
    return utility


def _group_vote(scenario: Scenario, group: VoterGroup, choices: Mapping[str, str]) -> GroupVote:
    hits = tuple(s.issue for s in group.stances if choices[s.issue] in s.red_lines)
    utility = _group_utility(scenario, group, choices)
    yes = not hits and utility >= group.threshold.value
    return GroupVote(group.id, group.share.value, group.turnout.value, round(utility, 9),
                     group.threshold.value, hits, yes)


def _tally(votes: tuple[GroupVote, ...]) -> tuple[float, float]:
    cast = sum(v.share * v.turnout for v in votes)
    yes = sum(v.share * v.turnout for v in votes if v.yes)
    return (yes / cast if cast > 0 else 0.0), cast


def _passes(yes: float, turnout: float, ratifier: Ratifier) -> bool:
    return yes >= ratifier.majority.value and turnout >= ratifier.quorum.value


def _pivotal(votes: tuple[GroupVote, ...], ratifier: Ratifier, approves: bool) -> str | None:
    """The group whose switch flips the verdict; the one nearest to switching if several."""
    candidates = []
    for index, vote in enumerate(votes):
        if vote.yes != approves or vote.red_lines_hit and not approves:
            continue
        flipped = tuple(v if i != index else GroupVote(v.group, v.share, v.turnout, v.utility,
                                                       v.threshold, v.red_lines_hit, not v.yes)
                        for i, v in enumerate(votes))
        if _passes(*_tally(flipped), ratifier) != approves:
            candidates.append((abs(vote.utility - vote.threshold), vote.group))
    return min(candidates)[1] if candidates else None


def _probability(scenario: Scenario, ratifier: Ratifier, choices: Mapping[str, str],
                 rng: np.random.Generator) -> float:
    """Share of draws of the ratifier's uncertain inputs in which it approves."""
    cast = np.zeros(DRAWS)
    yes = np.zeros(DRAWS)
    for group in ratifier.groups:
        weight = group.share.sample(rng, DRAWS) * group.turnout.sample(rng, DRAWS)
        saliences = np.array([s.salience.sample(rng, DRAWS) for s in group.stances])
        values = np.array([_sampled_value(scenario, s, choices[s.issue], rng)
                           for s in group.stances])
        total = np.where(saliences.sum(axis=0) > 0, saliences.sum(axis=0), 1.0)
        utility = (saliences * values).sum(axis=0) / total
        hit = any(choices[s.issue] in s.red_lines for s in group.stances)
        says_yes = (utility >= group.threshold.sample(rng, DRAWS)) & (not hit)
        cast += weight
        yes += weight * says_yes
    share = np.divide(yes, cast, out=np.zeros(DRAWS), where=cast > 0)
    passes = (share >= ratifier.majority.sample(rng, DRAWS)) & (
        cast >= ratifier.quorum.sample(rng, DRAWS))
    return float(passes.mean())


def _sampled_value(scenario: Scenario, stance: Stance, option_id: str,
                   rng: np.random.Generator) -> np.ndarray:
    explicit = stance.override(option_id)
    if explicit is not None:
        return explicit.sample(rng, DRAWS)
    position = scenario.issue(stance.issue).option(option_id).position.sample(rng, DRAWS)
    return 1.0 - np.abs(position - stance.ideal.sample(rng, DRAWS)) / SCALE_MAX


def _costly(scenario: Scenario, ratifier: Ratifier, choices: Mapping[str, str],
            base: float) -> tuple[Provision, ...]:
    issues = sorted({s.issue for g in ratifier.groups for s in g.stances})
    found = []
    for issue in issues:
        best = (base, choices[issue])
        for option in scenario.issue(issue).option_ids:
            trial = {**choices, issue: option}
            share, _ = _tally(tuple(_group_vote(scenario, g, trial) for g in ratifier.groups))
            best = max(best, (share, option))
        if best[0] > base + 1e-12:
            found.append(Provision(issue, choices[issue], best[1], round(best[0] - base, 9)))
    return tuple(sorted(found, key=lambda p: -p.votes_gained))


def _sequencing(ratifier: Ratifier) -> str:
    if ratifier.after_ceasefire_days is None:
        return ""
    return f"only after a ceasefire of at least {ratifier.after_ceasefire_days} days"


def _verdict(scenario: Scenario, ratifier: Ratifier, choices: Mapping[str, str],
             rng: np.random.Generator) -> RatifierVerdict:
    votes = tuple(_group_vote(scenario, g, choices) for g in ratifier.groups)
    yes, turnout = _tally(votes)
    approves = _passes(yes, turnout, ratifier)
    return RatifierVerdict(
        ratifier.id, ratifier.name, ratifier.kind, ratifier.party, round(yes, 9),
        round(turnout, 9), ratifier.majority.value, ratifier.quorum.value, approves,
        _probability(scenario, ratifier, choices, rng), _pivotal(votes, ratifier, approves),
        votes, _costly(scenario, ratifier, choices, yes), _sequencing(ratifier))


def yes_share(scenario: Scenario, ratifier_id: str, choices: Mapping[str, str]) -> float:
    """The yes share of one ratifier's votes on a package, at the modes (no draws)."""
    ratifier = scenario.ratifier(ratifier_id)
    share, _ = _tally(tuple(_group_vote(scenario, g, choices) for g in ratifier.groups))
    return share


def approved_by_all(scenario: Scenario, choices: Mapping[str, str]) -> bool:
    """Whether every ratifier approves a package at the modes (no draws; True without any)."""
    for ratifier in scenario.ratifiers:
        share, turnout = _tally(tuple(_group_vote(scenario, g, choices) for g in ratifier.groups))
        if not _passes(share, turnout, ratifier):
            return False
    return True


def ratify(scenario: Scenario, plan: str | Mapping[str, str], *,
           rng: RNGLike | SeedLike = 0) -> Ratification:
    """Each ratifier's verdict on a proposal (by id) or an ``{issue: option}`` package.

    Parameters
    ----------
    scenario
        The negotiation, with its ``ratifiers``.
    plan
        A proposal id or a package naming one option per issue.
    rng
        Seed or generator for the probability of approval (2,000 draws per ratifier).

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> result = ratify(load_catalog_scenario(), "ua-us-20-point")
    >>> all(0.0 <= v.probability <= 1.0 for v in result.verdicts)
    True
    """
    if isinstance(plan, str):
        if plan not in [p.id for p in scenario.proposals]:
            raise ScenarioError(f"unknown plan {plan!r}; expected one of "
                                f"{[p.id for p in scenario.proposals]}", path=("plan",))
        choices, name = dict(scenario.proposal(plan).choices), plan
    else:
        choices, name = dict(plan), "custom package"
        missing = [i for i in scenario.issue_ids if i not in choices]
        if missing:
            raise ScenarioError(f"no option chosen for issue(s) {missing}", path=("plan",))
    generator = as_generator(rng)
    verdicts = tuple(_verdict(scenario, r, choices, generator) for r in scenario.ratifiers)
    base = provenance("zopa.analysis.ratify.ratify", scenario, plan=name, draws=DRAWS)
    made = Provenance(base.method, base.parameters, base.scenario_hash,
                      int(rng) if isinstance(rng, int | np.integer) else None)
    return Ratification(name, choices, verdicts, made)
