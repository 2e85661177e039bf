"""The deal space of a scenario as numeric tables: one utility table per issue.

Party utilities are additive over issues (see :mod:`zopa.scenario.preferences`), so
a deal space of a scenario with n issues is fully described by n small tables
``T_i[option, party] = w_pi * v_pi(option)``. Analyses work on these tables and
never list the packages when the structure allows a merge.

Exactness: the tables are also kept in fixed point (integers, ``2**40`` units per
utility point), so that sums of contributions are exact, ties between packages
are exact, and every analysis decides "at least as good" identically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from zopa.errors import ScenarioError
from zopa.scenario import Proposal, Scenario

__all__ = ["FIXED_POINT_UNIT", "DealSpace", "Package", "from_fixed"]

FIXED_POINT_UNIT = 2**40
REPORTED_DECIMALS = 9
Package = tuple[int, ...]


def from_fixed(fixed: np.ndarray | np.integer | int) -> np.ndarray:
    """Fixed-point utilities back on the 0–1 scale, rounded to 9 decimals for reporting.

    The rounding hides the 2**-40 grid of the fixed-point representation (0.6
    rather than 0.6000000000003638); it is far below any meaningful difference.
    """
    return np.round(np.asarray(fixed) / FIXED_POINT_UNIT, REPORTED_DECIMALS)


def _weights(scenario: Scenario, party_id: str) -> np.ndarray:
    saliences = np.array([scenario.stance(party_id, i.id).salience.value for i in scenario.issues])
    return saliences / saliences.sum()


@dataclass(frozen=True, slots=True, eq=False)
class DealSpace:
    """Per-issue utility tables of a scenario, in floating and fixed point.

    Attributes
    ----------
    parties, issues
        Ids, in the scenario's order (columns and tables follow it).
    options
        Option ids per issue.
    tables
        ``tables[i]`` is a float array ``(n_options_i, n_parties)``: the contribution of
        each option of issue ``i`` to each party's 0–1 utility.
    fixed
        The same tables as int64 fixed point (``FIXED_POINT_UNIT`` per utility point).
    vetoed
        ``vetoed[i]`` is a bool array ``(n_options_i, n_parties)``: which party has which
        option of issue ``i`` on its red lines.
    reservations
        Walk-away utilities, float ``(n_parties,)``.
    """

    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    tables: tuple[np.ndarray, ...]
    fixed: tuple[np.ndarray, ...]
    vetoed: tuple[np.ndarray, ...]
    reservations: np.ndarray

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> DealSpace:
        """Tabulate a scenario's utilities (modes of its uncertain inputs)."""
        weights = np.column_stack([_weights(scenario, p) for p in scenario.party_ids])
        tables, vetoed = [], []
        for index, issue in enumerate(scenario.issues):
            stances = [scenario.stance(p, issue.id) for p in scenario.party_ids]
            values = np.array([[s.value_of(o) for s in stances] for o in issue.options])
            tables.append(values * weights[index])
            vetoed.append(np.array([[o.id in s.red_lines for s in stances] for o in issue.options],
                                   dtype=bool))
        fixed = tuple(np.rint(t * FIXED_POINT_UNIT).astype(np.int64) for t in tables)
        reservations = np.array([p.reservation.value for p in scenario.parties])
        return cls(scenario.party_ids, scenario.issue_ids,
                   tuple(i.option_ids for i in scenario.issues), tuple(tables), fixed,
                   tuple(vetoed), reservations)

    # -- sizes ---------------------------------------------------------------------------------
    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def size(self) -> int:
        """Number of packages in the whole space (a Python int: it can be astronomically large)."""
        return int(np.prod([len(o) for o in self.options], dtype=object))

    @property
    def reservation_floor(self) -> np.ndarray:
        """Reservations in fixed point: p accepts a package iff its fixed utility >= this."""
        return np.ceil(self.reservations * FIXED_POINT_UNIT - 1e-6).astype(np.int64)

    def admissible(self) -> tuple[np.ndarray, ...]:
        """Per issue, indices of the options no party has on its red lines."""
        return tuple(np.flatnonzero(~v.any(axis=1)) for v in self.vetoed)

    # -- packages ------------------------------------------------------------------------------
    def package_of(self, proposal: Proposal) -> Package:
        """Option indices of a proposal's choices."""
        return tuple(self.options[i].index(proposal.option_for(issue))
                     for i, issue in enumerate(self.issues))

    def package_from_choices(self, choices: Mapping[str, str]) -> Package:
        """Option indices from an ``{issue_id: option_id}`` mapping naming every issue."""
        package = []
        for index, issue in enumerate(self.issues):
            if issue not in choices:
                raise ScenarioError(f"no option chosen for issue {issue!r}", path=(issue,))
            if choices[issue] not in self.options[index]:
                raise ScenarioError(
                    f"unknown option {choices[issue]!r}; expected one of "
                    f"{list(self.options[index])}", path=(issue,))
            package.append(self.options[index].index(choices[issue]))
        unknown = sorted(set(choices) - set(self.issues))
        if unknown:
            raise ScenarioError(f"unknown issue {unknown[0]!r}", path=(unknown[0],))
        return tuple(package)

    def choices_of(self, package: Sequence[int]) -> dict[str, str]:
        """``{issue_id: option_id}`` of a package."""
        return {issue: self.options[i][int(j)] for i, (issue, j) in
                enumerate(zip(self.issues, package, strict=True))}

    def fixed_utilities(self, packages: np.ndarray) -> np.ndarray:
        """Exact utilities of packages ``(N, n_issues)`` as int64 ``(N, n_parties)``."""
        packages = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        total = np.zeros((packages.shape[0], self.n_parties), dtype=np.int64)
        for i, table in enumerate(self.fixed):
            total += table[packages[:, i]]
        return total

    def utilities(self, packages: np.ndarray) -> np.ndarray:
        """Utilities (0–1) of packages ``(N, n_issues)`` as float ``(N, n_parties)``."""
        return from_fixed(self.fixed_utilities(packages))

    def red_lines_hit(self, package: Sequence[int]) -> list[tuple[str, str, str]]:
        """``(party, issue, option)`` for every red line the package crosses."""
        hits = []
        for i, j in enumerate(package):
            for p in np.flatnonzero(self.vetoed[i][int(j)]):
                hits.append((self.parties[p], self.issues[i], self.options[i][int(j)]))
        return hits
