"""The Scenario aggregate: parties, issues, stances, proposals and sources, validated together."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from zopa.errors import ScenarioError
from zopa.limits import check_scenario_size
from zopa.scenario.costs import CostItem, FundingRule
from zopa.scenario.dynamics import Clock, Drift
from zopa.scenario.issue import Issue
from zopa.scenario.party import Party
from zopa.scenario.preferences import Stance
from zopa.scenario.proposal import Proposal
from zopa.scenario.ratification import Ratifier
from zopa.scenario.source import Source
from zopa.scenario.territory import Area
from zopa.scenario.text import require_text
from zopa.scenario.uncertain import Uncertain

__all__ = ["Scenario"]


def _check_unique(ids: Iterable[str], field: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise ScenarioError(
                f"duplicate id {item!r}; ids must be unique", path=(field, index, "id")
            )
        seen.add(item)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A negotiation: who is at the table, what is on it, what each party wants.

    Construction validates every cross-reference (stances name existing parties,
    issues and options; proposals pick one existing option for every issue;
    every cited source exists) and raises :class:`~zopa.errors.ScenarioError`
    naming the offending field.

    Parameters
    ----------
    id, name
        Identifier and title.
    parties, issues
        At least one of each; ids unique.
    stances
        At most one per (party, issue); a missing stance means indifference.
    proposals
        Named packages.
    sources
        The documents numbers are cited from.
    description
        Free text.
    as_of
        The date the scenario describes.
    clocks, drifts
        Quantities that move per day, and reservations that move with them.
    areas
        Territory with sources, demanded areas and reference areas.
    ratifiers
        Bodies whose approval a deal needs.
    costs, funding
        Cost items and how funding options split them among payers.
    """

    id: str
    name: str
    parties: tuple[Party, ...]
    issues: tuple[Issue, ...]
    stances: tuple[Stance, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    sources: tuple[Source, ...] = ()
    description: str = ""
    as_of: dt.date | None = None
    clocks: tuple[Clock, ...] = ()
    drifts: tuple[Drift, ...] = ()
    areas: tuple[Area, ...] = ()
    ratifiers: tuple[Ratifier, ...] = ()
    costs: tuple[CostItem, ...] = ()
    funding: tuple[FundingRule, ...] = ()
    _stance_index: dict[tuple[str, str], Stance] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        require_text(self.name, "name")
        index = {(s.party, s.issue): s for s in self.stances}
        object.__setattr__(self, "_stance_index", index)
        if not self.parties:
            raise ScenarioError("expected at least one party", path=("parties",))
        if not self.issues:
            raise ScenarioError("expected at least one issue", path=("issues",))
        check_scenario_size(len(self.parties), [len(i.options) for i in self.issues])
        _check_unique((p.id for p in self.parties), "parties")
        _check_unique((i.id for i in self.issues), "issues")
        _check_unique((p.id for p in self.proposals), "proposals")
        self._check_stances()
        self._check_proposals()
        self._check_context()
        self._check_citations()

    # -- validation ---------------------------------------------------------------------------
    def _check_stances(self) -> None:
        parties = {p.id for p in self.parties}
        issues = {i.id: i for i in self.issues}
        seen: set[tuple[str, str]] = set()
        for stance in self.stances:
            where: tuple[str, ...] = ("stances", stance.party)
            if stance.party not in parties:
                raise ScenarioError(
                    f"unknown party {stance.party!r}; expected one of {sorted(parties)}", path=where
                )
            where = (*where, stance.issue)
            if stance.issue not in issues:
                raise ScenarioError(
                    f"unknown issue {stance.issue!r}; expected one of {sorted(issues)}", path=where
                )
            if (stance.party, stance.issue) in seen:
                raise ScenarioError("duplicate stance for this party and issue", path=where)
            seen.add((stance.party, stance.issue))
            options = set(issues[stance.issue].option_ids)
            for option_id, _ in stance.values:
                if option_id not in options:
                    raise ScenarioError(
                        f"unknown option {option_id!r}; expected one of {sorted(options)}",
                        path=(*where, "values", option_id),
                    )
            for option_id in sorted(stance.red_lines):
                if option_id not in options:
                    raise ScenarioError(
                        f"unknown option {option_id!r} in red_lines; expected one of "
                        f"{sorted(options)}",
                        path=(*where, "red_lines"),
                    )
        for party in self.parties:
            if all(self.stance(party.id, issue.id).salience.value == 0 for issue in self.issues):
                raise ScenarioError(
                    f"party {party.id!r} has no issue with a positive salience; "
                    "expected at least one",
                    path=("stances", party.id),
                )

    def _check_proposals(self) -> None:
        issues = {i.id: i for i in self.issues}
        proposal_ids = {p.id for p in self.proposals}
        for index, proposal in enumerate(self.proposals):
            where = ("proposals", index)
            chosen = dict(proposal.choices)
            for issue_id, option_id in proposal.choices:
                if issue_id not in issues:
                    raise ScenarioError(
                        f"unknown issue {issue_id!r}; expected one of {sorted(issues)}",
                        path=(*where, "options", issue_id),
                    )
                if option_id not in issues[issue_id].option_ids:
                    raise ScenarioError(
                        f"unknown option {option_id!r}; expected one of "
                        f"{list(issues[issue_id].option_ids)}",
                        path=(*where, "options", issue_id),
                    )
            missing = [i for i in issues if i not in chosen]
            if missing:
                raise ScenarioError(
                    f"no option chosen for issue(s) {missing}; a proposal names one option "
                    "for every issue",
                    path=(*where, "options"),
                )
            if proposal.variant_of is not None and proposal.variant_of not in proposal_ids:
                raise ScenarioError(
                    f"unknown proposal {proposal.variant_of!r}", path=(*where, "variant_of")
                )

    def _check_context(self) -> None:
        from zopa.scenario.context_checks import check_context

        check_context(self)

    def _check_citations(self) -> None:
        known = {s.key for s in self.sources}
        for path, value in self.uncertain_values():
            for key in value.sources:
                if key not in known:
                    raise ScenarioError(
                        f"unknown source {key!r}; expected a key of 'sources'",
                        path=(*path, "source"),
                    )
        for index, proposal in enumerate(self.proposals):
            for key in proposal.sources:
                if key not in known:
                    raise ScenarioError(
                        f"unknown source {key!r}; expected a key of 'sources'",
                        path=("proposals", index, "source"),
                    )

    # -- access -------------------------------------------------------------------------------
    @property
    def party_ids(self) -> tuple[str, ...]:
        """Party ids in declaration order."""
        return tuple(p.id for p in self.parties)

    @property
    def issue_ids(self) -> tuple[str, ...]:
        """Issue ids in declaration order."""
        return tuple(i.id for i in self.issues)

    def party(self, party_id: str) -> Party:
        """The party with this id (``KeyError`` if absent)."""
        return _by_id(self.parties, party_id)

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id (``KeyError`` if absent)."""
        return _by_id(self.issues, issue_id)

    def proposal(self, proposal_id: str) -> Proposal:
        """The proposal with this id (``KeyError`` if absent)."""
        return _by_id(self.proposals, proposal_id)

    def stance(self, party_id: str, issue_id: str) -> Stance:
        """A party's stance on an issue; an indifferent stance if none was given."""
        found = self._stance_index.get((party_id, issue_id))
        return found if found is not None else Stance.indifferent(party_id, self.issue(issue_id))

    def uncertain_values(self) -> list[tuple[tuple[str | int, ...], Uncertain]]:
        """Every uncertain number in the scenario with its field path (inputs for sensitivity)."""
        found: list[tuple[tuple[str | int, ...], Uncertain]] = []
        for index, party in enumerate(self.parties):
            found.append((("parties", index, "capability"), party.capability))
            found.append((("parties", index, "reservation"), party.reservation))
        for index, issue in enumerate(self.issues):
            for o_index, option in enumerate(issue.options):
                found.append((("issues", index, "options", o_index, "position"), option.position))
        for stance in self.stances:
            where = ("stances", stance.party, stance.issue)
            found.append(((*where, "ideal"), stance.ideal))
            found.append(((*where, "salience"), stance.salience))
            found.extend(((*where, "values", key), value) for key, value in stance.values)
        for index, party in enumerate(self.parties):
            found.append((("parties", index, "response_delay_days"), party.response_delay_days))
        from zopa.scenario.context_checks import context_values

        found.extend(context_values(self))
        return found

    def at(self, day: float) -> Scenario:
        """The scenario ``day`` days later: every drift applied to its party's reservation.

        Reservations move by ``per_unit * rate * day`` for each drift (modes), and are
        kept within 0–1; the range of each reservation moves with its mode. Day 0 is the
        scenario itself.

        Examples
        --------
        >>> from zopa.scenario.synthetic import random_scenario
        >>> s = random_scenario(2, 2, 2, rng=0)
        >>> s.at(30) == s  # no clocks, nothing drifts
        True
        """
        from zopa.scenario.context_checks import drifted_parties

        if not self.drifts or day == 0:
            return self
        shifted = self.replace(parties=drifted_parties(self, day))
        if self.as_of is not None:
            shifted = shifted.replace(as_of=self.as_of + dt.timedelta(days=round(day)))
        return shifted

    def clock(self, clock_id: str) -> Clock:
        """The clock with this id (``KeyError`` if absent)."""
        return _by_id(self.clocks, clock_id)

    def ratifier(self, ratifier_id: str) -> Ratifier:
        """The ratifier with this id (``KeyError`` if absent)."""
        return _by_id(self.ratifiers, ratifier_id)

    # -- copies -------------------------------------------------------------------------------
    def replace(self, **changes: Any) -> Scenario:
        """A validated copy with some fields replaced."""
        return dataclasses.replace(self, **changes)

    def with_party(self, party: Party) -> Scenario:
        """A copy in which the party with ``party.id`` is replaced (or added)."""
        parties = tuple(party if p.id == party.id else p for p in self.parties)
        if party.id not in self.party_ids:
            parties = (*parties, party)
        return self.replace(parties=parties)

    def with_stance(self, stance: Stance) -> Scenario:
        """A copy with the stance for ``(stance.party, stance.issue)`` replaced or added."""
        key = (stance.party, stance.issue)
        kept = tuple(s for s in self.stances if (s.party, s.issue) != key)
        return self.replace(stances=(*kept, stance))

    def with_proposal(self, proposal: Proposal) -> Scenario:
        """A copy with a proposal added (or replaced by id)."""
        kept = tuple(p for p in self.proposals if p.id != proposal.id)
        return self.replace(proposals=(*kept, proposal))


def _by_id(items: Iterable[Any], item_id: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)
