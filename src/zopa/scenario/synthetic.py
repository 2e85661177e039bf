"""Random additive scenarios for tests, benchmarks and teaching.

Each party gets its own random value for every option (uniform on 0–1, rounded
to 6 decimals), a random salience per issue, a capability and, optionally, a
reservation drawn uniformly from 0.3–0.5 (the family used by the benchmarks).
"""

from __future__ import annotations

import numpy as np

from zopa._rng import RNGLike, SeedLike, as_generator
from zopa.errors import ScenarioError
from zopa.scenario.issue import Issue, Option
from zopa.scenario.party import Party
from zopa.scenario.preferences import Stance
from zopa.scenario.proposal import Proposal
from zopa.scenario.scenario import Scenario
from zopa.scenario.uncertain import Uncertain

__all__ = ["random_scenario"]

_DIGITS = 6


def _point(value: float) -> Uncertain:
    return Uncertain.point(round(float(value), _DIGITS))


def _issues(n_issues: int, n_options: int) -> tuple[Issue, ...]:
    positions = np.linspace(0, 100, n_options)
    return tuple(
        Issue(f"issue{i + 1}", f"Issue {i + 1}",
              tuple(Option(f"o{j + 1}", f"Option {j + 1}", _point(x))
                    for j, x in enumerate(positions)))
        for i in range(n_issues)
    )


def random_scenario(
    parties: int,
    issues: int,
    options: int,
    *,
    reservations: bool = True,
    rng: RNGLike | SeedLike = None,
) -> Scenario:
    """A random scenario with additive utilities.

    Parameters
    ----------
    parties, issues, options
        Sizes: the space has ``options ** issues`` packages.
    reservations
        Draw reservations from U[0.3, 0.5]; otherwise every reservation is 0.
    rng
        Seed or generator; the same seed gives the same scenario.

    Examples
    --------
    >>> a = random_scenario(3, 4, 3, rng=1)
    >>> a == random_scenario(3, 4, 3, rng=1), len(a.parties), len(a.issues)
    (True, 3, 4)
    """
    if parties < 1 or issues < 1 or options < 2:
        raise ScenarioError("expected at least 1 party, 1 issue and 2 options per issue")
    generator = as_generator(rng)
    party_list = tuple(
        Party(f"p{k + 1}", f"Party {k + 1}", _point(generator.uniform(0.5, 1.5)),
              _point(generator.uniform(0.3, 0.5) if reservations else 0.0))
        for k in range(parties)
    )
    issue_list = _issues(issues, options)
    stances = []
    for party in party_list:
        for issue in issue_list:
            values = generator.uniform(0, 1, options)
            stances.append(Stance(
                party.id, issue.id, _point(generator.uniform(0, 100)),
                _point(generator.uniform(0.05, 1.0)),
                tuple((o.id, _point(v)) for o, v in zip(issue.options, values, strict=True)),
            ))
    plan = Proposal("plan-a", "A random package",
                    tuple((i.id, i.options[int(generator.integers(options))].id)
                          for i in issue_list))
    return Scenario(f"random-{parties}x{issues}x{options}",
                    f"Random scenario: {parties} parties, {issues} issues x {options} options",
                    party_list, issue_list, tuple(stances), (plan,))
