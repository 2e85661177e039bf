"""A bridge to NegMAS: a scenario's package space as NegMAS issues and utility functions, and back.

NegMAS (an AGPL library, used here only as an installed package: ``pip install
'zopa[negmas]'``) describes a negotiation as an outcome space of issues and one
utility function per party. :func:`to_negmas` builds

* one categorical issue per zopa issue (named by the issue id, values the option
  ids), and the Cartesian outcome space of them;
* one ``LinearAdditiveUtilityFunction`` per party, whose value tables are zopa's
  option values and whose weights are zopa's normalised saliences, with the
  party's reservation as ``reserved_value`` — so every outcome has exactly the
  utility zopa gives the package.

NegMAS has no red lines. Packages that cross one are not deals in zopa, so the
options on any party's red lines are left out of the outcome space (they are
listed in :attr:`NegmasScenario.left_out`); zopa's frontier and bargaining
solutions, which skip the same options, then equal NegMAS's.

:func:`from_negmas` reads linear-additive utility functions over discrete issues
back into a scenario. Utilities already on zopa's scale (values in 0–1, weights
summing to 1, no constant) are kept as they are. Others are mapped by a
positive affine rescaling per party, ``(u - low) / span``, which keeps every
party's ranking of packages, the Pareto frontier and the Nash point (the
reserved value is rescaled with it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

from zopa.errors import ScenarioError, ZopaError
from zopa.formats.identifiers import slug
from zopa.scenario import Issue, Option, Party, Scenario, Stance, Uncertain

__all__ = ["NegmasScenario", "from_negmas", "to_negmas"]

_INSTALL = "NegMAS is not installed; install the extra: pip install 'zopa[negmas]'"
_ON_SCALE = 1e-9


def _import(module: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        raise ZopaError(_INSTALL) from None


@dataclass(frozen=True, slots=True, eq=False)
class NegmasScenario:
    """A zopa scenario in NegMAS's terms.

    Attributes
    ----------
    outcome_space
        A NegMAS ``DiscreteCartesianOutcomeSpace``; outcomes are tuples of option ids.
    ufuns
        One ``LinearAdditiveUtilityFunction`` per party, in the scenario's party order.
    parties
        The party ids, in the same order.
    left_out
        ``(issue id, option id)`` pairs left out because they are on some party's red lines.
    """

    outcome_space: Any
    ufuns: tuple[Any, ...]
    parties: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]

    def scenario(self) -> Any:
        """The same as a ``negmas.inout.Scenario`` (for NegMAS's own tools and mechanisms)."""
        inout = _import("negmas.inout")
        return inout.Scenario(outcome_space=self.outcome_space, ufuns=self.ufuns)

    def choices(self, outcome: Sequence[str]) -> dict[str, str]:
        """``{issue id: option id}`` of a NegMAS outcome."""
        return {issue.name: str(value) for issue, value in
                zip(self.outcome_space.issues, outcome, strict=True)}


def to_negmas(scenario: Scenario) -> NegmasScenario:
    """The scenario's package space as a NegMAS outcome space and utility functions.

    Raises
    ------
    ZopaError
        If NegMAS is not installed.
    ScenarioError
        If every option of an issue is on someone's red lines.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> bridge = to_negmas(random_scenario(2, 3, 3, rng=1))  # doctest: +SKIP
    >>> bridge.outcome_space.cardinality  # doctest: +SKIP
    27
    """
    negmas = _import("negmas")
    preferences = _import("negmas.preferences")
    kept, left_out = [], []
    for issue in scenario.issues:
        vetoed = {o for p in scenario.party_ids for o in scenario.stance(p, issue.id).red_lines}
        kept.append([o for o in issue.options if o.id not in vetoed])
        left_out += [(issue.id, o.id) for o in issue.options if o.id in vetoed]
        if not kept[-1]:
            raise ScenarioError("every option is on some party's red lines; no outcome is left",
                                path=("issues", issue.id))
    issues = [negmas.make_issue([o.id for o in options], name=issue.id)
              for issue, options in zip(scenario.issues, kept, strict=True)]
    space = negmas.make_os(issues)
    ufuns = []
    for party in scenario.parties:
        stances = [scenario.stance(party.id, issue.id) for issue in scenario.issues]
        saliences = [stance.salience.value for stance in stances]
        ufuns.append(preferences.LinearAdditiveUtilityFunction(
            values=[{o.id: stance.value_of(o) for o in options}
                    for stance, options in zip(stances, kept, strict=True)],
            weights=[s / sum(saliences) for s in saliences],
            outcome_space=space, reserved_value=party.reservation.value, name=party.id))
    return NegmasScenario(space, tuple(ufuns), scenario.party_ids, tuple(left_out))


# -- back from NegMAS --------------------------------------------------------------------------
def _options(issue: Any) -> tuple[Option, ...]:
    values = list(issue.all)
    numeric = all(isinstance(v, Real) and not isinstance(v, bool) for v in values)
    low, high = (min(values), max(values)) if numeric else (0, len(values) - 1)
    taken: set[str] = set()
    options = []
    for j, value in enumerate(values):
        at = float(value) if numeric else float(j)
        position = 100.0 * (at - low) / (high - low) if high > low else 50.0
        options.append(Option(slug(str(value), taken), str(value), Uncertain.point(position)))
    return tuple(options)


def _issues(outcome_space: Any) -> tuple[list[Any], tuple[Issue, ...]]:
    raw = list(getattr(outcome_space, "issues", outcome_space))
    issues, taken = [], set()
    for issue in raw:
        if not issue.is_discrete() or not math.isfinite(issue.cardinality):
            raise ZopaError(f"issue {issue.name!r} is not discrete; zopa needs a finite list "
                            "of options per issue")
        if issue.cardinality < 2:
            raise ZopaError(f"issue {issue.name!r} has {issue.cardinality} value(s); zopa needs "
                            "at least 2")
        issues.append(Issue(slug(str(issue.name), taken), str(issue.name), _options(issue)))
    return raw, tuple(issues)


@dataclass(frozen=True, slots=True)
class _Tables:
    """One party's NegMAS utility: weights, value tables per issue, constant, reserved value."""

    weights: list[float]
    values: list[list[float]]
    constant: float
    reserved: float

    @property
    def on_zopa_scale(self) -> bool:
        return (all(0.0 <= v <= 1.0 for row in self.values for v in row)
                and min(self.weights) >= 0 and abs(sum(self.weights) - 1.0) <= _ON_SCALE
                and abs(self.constant) <= _ON_SCALE)


def _tables(ufun: Any, raw: list[Any], k: int) -> _Tables:
    if not hasattr(ufun, "values") or not hasattr(ufun, "weights"):
        raise ZopaError(f"utility function {k + 1} is a {type(ufun).__name__}; zopa reads "
                        "linear-additive utility functions only")
    values = []
    for issue, function in zip(raw, ufun.values, strict=True):
        try:
            values.append([float(function(v)) for v in issue.all])
        except (KeyError, TypeError, ValueError):
            raise ZopaError(f"utility function {k + 1} gives no value to every option of "
                            f"issue {issue.name!r}") from None
    weights = [float(w) for w in ufun.weights]
    first = tuple(next(iter(issue.all)) for issue in raw)
    constant = float(ufun(first)) - sum(w * row[0] for w, row in zip(weights, values,
                                                                      strict=True))
    reserved = getattr(ufun, "reserved_value", None)
    finite = reserved is not None and math.isfinite(reserved)
    return _Tables(weights, values, constant, float(reserved) if finite else -math.inf)


def _party_numbers(tables: _Tables) -> tuple[list[list[float]], list[float], float, str]:
    """Values, saliences, reservation and a note on how the scale was mapped."""
    if tables.on_zopa_scale:
        values, saliences, offset, span = tables.values, tables.weights, 0.0, 1.0
        note = "NegMAS utilities already on 0-1"
    else:
        contributions = [[w * v for v in row] for w, row in zip(tables.weights, tables.values,
                                                                 strict=True)]
        lows = [min(0.0, *row) for row in contributions]
        saliences = [max(row) - low for row, low in zip(contributions, lows, strict=True)]
        offset, span = tables.constant + sum(lows), sum(saliences)
        if span <= 0:
            raise ZopaError("a utility function gives every outcome the same utility")
        values = [[min(1.0, max(0.0, (c - low) / width)) if width > 0 else 0.0 for c in row]
                  for row, low, width in zip(contributions, lows, saliences, strict=True)]
        note = f"NegMAS utility u mapped to (u - {offset:.6g}) / {span:.6g}"
    reservation = max(0.0, (tables.reserved - offset) / span)
    if reservation > 1.0 + _ON_SCALE:
        raise ZopaError(f"reserved value {tables.reserved:g} is above the best outcome's "
                        "utility")
    return values, saliences, min(reservation, 1.0), note


def from_negmas(outcome_space: Any, ufuns: Sequence[Any], names: Sequence[str] | None = None,
                *, scenario_id: str = "negmas", title: str = "Scenario from NegMAS") -> Scenario:
    """A scenario from NegMAS discrete issues and linear-additive utility functions.

    Parameters
    ----------
    outcome_space
        A NegMAS outcome space with discrete issues (or a list of issues).
    ufuns
        One ``LinearAdditiveUtilityFunction`` per party.
    names
        Party names (ids are made from them); default ``party1``, ``party2``, ...
    scenario_id, title
        Id and name of the scenario.

    Raises
    ------
    ZopaError
        For a continuous issue, a utility function that is not linear-additive or
        misses an option, a constant utility function, or a reserved value above
        every outcome. A missing or infinite reserved value becomes 0 (every
        package is acceptable).
    """
    names = list(names) if names is not None else [f"party{k + 1}" for k in range(len(ufuns))]
    if len(names) != len(ufuns):
        raise ZopaError(f"expected {len(ufuns)} names, one per utility function; "
                        f"got {len(names)}")
    raw, issues = _issues(outcome_space)
    taken: set[str] = set()
    parties, stances = [], []
    for k, (ufun, name) in enumerate(zip(ufuns, names, strict=True)):
        values, saliences, reservation, note = _party_numbers(_tables(ufun, raw, k))
        party = Party(slug(name, taken), name, Uncertain.point(
            1.0, note="NegMAS has no capabilities; every party gets 1"),
            Uncertain.point(reservation, note=note))
        parties.append(party)
        for issue, row, salience in zip(issues, values, saliences, strict=True):
            best = max(range(len(row)), key=lambda j: (row[j], -j))
            stances.append(Stance(party.id, issue.id, issue.options[best].position,
                                  Uncertain.point(salience),
                                  tuple((o.id, Uncertain.point(v))
                                        for o, v in zip(issue.options, row, strict=True))))
    return Scenario(scenario_id, title, tuple(parties), issues, tuple(stances))
