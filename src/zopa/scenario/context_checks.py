"""Validation and helpers for the scenario's context: clocks, areas, ratifiers, costs.

Kept apart from :mod:`zopa.scenario.scenario` so that each module stays about one
concept; :class:`~zopa.scenario.scenario.Scenario` calls these on construction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from zopa.errors import ScenarioError
from zopa.scenario.party import Party
from zopa.scenario.uncertain import Uncertain

if TYPE_CHECKING:
    from zopa.scenario.scenario import Scenario

__all__ = ["check_context", "context_values", "drifted_parties"]

Path = tuple[str | int, ...]


def _unique(ids: Iterable[str], field: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise ScenarioError(f"duplicate id {item!r}; ids must be unique",
                                path=(field, index, "id"))
        seen.add(item)


def _known(value: str | None, known: Iterable[str], what: str, path: Path) -> None:
    known = list(known)
    if value is not None and value not in known:
        raise ScenarioError(f"unknown {what} {value!r}; expected one of {known}", path=path)


def _check_groups(scenario: Scenario, index: int) -> None:
    ratifier = scenario.ratifiers[index]
    issues = {i.id: i for i in scenario.issues}
    for g_index, group in enumerate(ratifier.groups):
        for stance in group.stances:
            where: Path = ("ratifiers", index, "groups", g_index, "stances", stance.issue)
            _known(stance.issue, issues, "issue", where)
            options = issues[stance.issue].option_ids
            for option_id, _ in stance.values:
                _known(option_id, options, "option", (*where, "values", option_id))
            for option_id in sorted(stance.red_lines):
                _known(option_id, options, "option", (*where, "red_lines"))


def check_context(scenario: Scenario) -> None:
    """Check ids and cross-references of clocks, drifts, areas, ratifiers and funding rules."""
    parties, clocks = scenario.party_ids, [c.id for c in scenario.clocks]
    _unique(clocks, "clocks")
    _unique((a.id for a in scenario.areas), "areas")
    _unique((r.id for r in scenario.ratifiers), "ratifiers")
    _unique((c.id for c in scenario.costs), "costs")
    for index, drift in enumerate(scenario.drifts):
        _known(drift.party, parties, "party", ("drifts", index, "party"))
        _known(drift.clock, clocks, "clock", ("drifts", index, "clock"))
    for index, area in enumerate(scenario.areas):
        _known(area.demanded_by, parties, "party", ("areas", index, "demanded_by"))
        _known(area.clock, clocks, "clock", ("areas", index, "clock"))
    for index, ratifier in enumerate(scenario.ratifiers):
        _known(ratifier.party, parties, "party", ("ratifiers", index, "party"))
        _check_groups(scenario, index)
    issues = {i.id: i for i in scenario.issues}
    items = [c.id for c in scenario.costs]
    for index, rule in enumerate(scenario.funding):
        _known(rule.issue, issues, "issue", ("funding", index, "issue"))
        _known(rule.option, issues[rule.issue].option_ids, "option", ("funding", index, "option"))
        for item in rule.items:
            _known(item, items, "cost item", ("funding", index, "items"))


def context_values(scenario: Scenario) -> list[tuple[Path, Uncertain]]:
    """Every uncertain number of the context sections, with its field path."""
    found: list[tuple[Path, Uncertain]] = []
    for i, clock in enumerate(scenario.clocks):
        found += [(("clocks", i, "rate"), clock.rate), (("clocks", i, "start"), clock.start)]
    found += [(("drifts", i, "per_unit"), d.per_unit) for i, d in enumerate(scenario.drifts)]
    found += [(("areas", i, "km2"), a.km2) for i, a in enumerate(scenario.areas)]
    for i, ratifier in enumerate(scenario.ratifiers):
        found += [(("ratifiers", i, "majority"), ratifier.majority),
                  (("ratifiers", i, "quorum"), ratifier.quorum)]
        for g, group in enumerate(ratifier.groups):
            where: Path = ("ratifiers", i, "groups", g)
            found += [((*where, "share"), group.share), ((*where, "turnout"), group.turnout),
                      ((*where, "threshold"), group.threshold)]
            for stance in group.stances:
                found += [((*where, "stances", stance.issue, "ideal"), stance.ideal),
                          ((*where, "stances", stance.issue, "salience"), stance.salience)]
                found += [((*where, "stances", stance.issue, "values", k), v)
                          for k, v in stance.values]
    found += [(("costs", i, "amount"), c.amount) for i, c in enumerate(scenario.costs)]
    for i, rule in enumerate(scenario.funding):
        found += [(("funding", i, "shares", payer), share) for payer, share in rule.shares]
    return found


def _shift(value: Uncertain, delta: float) -> Uncertain:
    low = min(1.0, max(0.0, value.low + delta))
    mode = min(1.0, max(0.0, value.mode + delta))
    high = min(1.0, max(0.0, value.high + delta))
    return Uncertain(low, mode, high, value.sources, value.note, value.judgement)


def drifted_parties(scenario: Scenario, day: float) -> tuple[Party, ...]:
    """Parties with reservations moved by every drift over ``day`` days (modes)."""
    delta = {p: 0.0 for p in scenario.party_ids}
    for drift in scenario.drifts:
        moved = scenario.clock(drift.clock).rate.value * day
        delta[drift.party] += drift.per_unit.value * moved
    return tuple(dataclasses.replace(p, reservation=_shift(p.reservation, delta[p.id]))
                 if delta[p.id] else p for p in scenario.parties)
