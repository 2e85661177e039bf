"""Concession strategies: how much each party still asks for as the talks go on.

A strategy gives a party's *aspiration level* at a moment of the talks, a number
between 1 and 0: 1 means it asks for its best package, 0 that it settles for its
floor (its reservation utility). The protocols turn a level into a utility target,

    target = floor + level * (best - floor),

where ``best`` is the party's best utility on the Pareto frontier. Time is the
fraction of the deadline that has passed, ``t = day / deadline_days`` in [0, 1].

Time-dependent tactics (Faratin, Sierra & Jennings 1998) follow

    level(t) = 1 - t ** (1 / beta)

with zopa's convention, the one of that paper: ``beta < 1`` is **Boulware** (holds
firm and concedes late), ``beta = 1`` is **linear**, ``beta > 1`` is **Conceder**
(gives ground early). All three start at 1 and reach 0 at the deadline, and for
every ``t`` Boulware >= linear >= Conceder.

**Tit-for-tat** (a behaviour-dependent tactic) lowers its level by as much as its
opponents lowered theirs, on average, since its own last move. **Reservation-aware**
is time-dependent but knows that one exchange takes time: it plans to reach its
floor one exchange before the deadline (so it concedes faster as the deadline
nears) and, unlike the others, follows its reservation as it drifts over time.

No strategy ever goes below the party's current reservation: the protocols clamp
every target there (a rational party does not accept less than walking away).

References
----------
Faratin, P., Sierra, C., & Jennings, N. R. (1998). Negotiation decision functions for
autonomous agents. *Robotics and Autonomous Systems* 24(3–4), 159–182.
Baarslag, T., Hindriks, K., & Jonker, C. (2011). Towards a quantitative concession-based
classification method of negotiation strategies. *PRIMA 2011*, LNCS 7047, 143–158.
Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

import numpy as np

from zopa.errors import ModelError

__all__ = [
    "STRATEGIES",
    "Boulware",
    "Conceder",
    "History",
    "Linear",
    "ReservationAware",
    "Strategy",
    "TimeDependent",
    "TitForTat",
    "strategy_named",
]

_MAX_ROUND_FRACTION = 0.5
"""Reservation-aware parties plan for at most half the deadline per exchange."""


class History:
    """What one party knows of the talks when it decides: the levels revealed so far.

    The protocols own it and update it after every move; strategies only read it.
    ``latest[q]`` is the level party ``q`` revealed with its latest move (1 before
    its first), ``seen[q]`` the level ``q`` had revealed when this party last
    moved, and ``moved`` whether this party has moved yet.

    Parameters
    ----------
    party
        Index of the party this history belongs to.
    latest
        Shared list of every party's latest revealed level.
    round_fraction
        The share of the deadline one exchange is expected to take.
    """

    __slots__ = ("latest", "moved", "party", "round_fraction", "seen")

    def __init__(self, party: int, latest: list[float], round_fraction: float = 0.0) -> None:
        self.party = party
        self.latest = latest
        self.seen = list(latest)
        self.moved = False
        self.round_fraction = round_fraction

    @property
    def own_level(self) -> float:
        """This party's latest level (1 before its first move)."""
        return self.latest[self.party]

    def opponents_concession(self) -> float:
        """Mean drop of the opponents' levels since this party last moved (0 if alone)."""
        others = [self.seen[q] - level for q, level in enumerate(self.latest) if q != self.party]
        return sum(others) / len(others) if others else 0.0

    def record(self, level: float) -> None:
        """Note a move of this party at ``level`` (called by the protocols)."""
        self.latest[self.party] = level
        self.seen = list(self.latest)
        self.moved = True


@runtime_checkable
class Strategy(Protocol):
    """A concession strategy: the aspiration level (0–1) at time ``t`` (0–1)."""

    name: ClassVar[str]
    uses_history: ClassVar[bool]
    tracks_reservation: ClassVar[bool]

    def target(self, t: float, history: History) -> float:
        """Aspiration level at time ``t`` given what the party knows."""
        ...


def _curve(t: np.ndarray | float, beta: float) -> np.ndarray:
    """``1 - t ** (1 / beta)`` on t clipped to [0, 1] (works on scalars and arrays)."""
    return 1.0 - np.clip(t, 0.0, 1.0) ** (1.0 / beta)


def _check_beta(beta: float) -> None:
    if not beta > 0:
        raise ModelError(f"expected a concession exponent beta > 0, got {beta}")


@dataclass(frozen=True, slots=True)
class TimeDependent:
    """Time-dependent tactic ``level(t) = 1 - t ** (1 / beta)`` (Faratin et al. 1998).

    Examples
    --------
    >>> TimeDependent(1.0).levels(np.array([0.0, 0.5, 1.0])).tolist()
    [1.0, 0.5, 0.0]
    """

    beta: float = 1.0

    name: ClassVar[str] = "time-dependent"
    uses_history: ClassVar[bool] = False
    tracks_reservation: ClassVar[bool] = False

    def __post_init__(self) -> None:
        _check_beta(self.beta)

    def levels(self, t: np.ndarray, round_fraction: float = 0.0) -> np.ndarray:
        """Levels at many times at once (the protocols precompute them)."""
        return _curve(t, self.beta)

    def target(self, t: float, history: History) -> float:
        """Aspiration level at time ``t`` (the history is not used)."""
        return float(self.levels(np.array([t]), history.round_fraction)[0])


@dataclass(frozen=True, slots=True)
class Boulware(TimeDependent):
    """Concedes little until close to the deadline (``beta < 1``; default 0.2).

    Examples
    --------
    >>> round(Boulware().target(0.5, History(0, [1.0])), 3)
    0.969
    """

    beta: float = 0.2
    name: ClassVar[str] = "boulware"

    def __post_init__(self) -> None:
        _check_beta(self.beta)
        if self.beta >= 1:
            raise ModelError(f"a Boulware strategy needs beta < 1, got {self.beta}")


@dataclass(frozen=True, slots=True)
class Conceder(TimeDependent):
    """Gives ground early (``beta > 1``; default 5).

    Examples
    --------
    >>> round(Conceder().target(0.5, History(0, [1.0])), 3)
    0.129
    """

    beta: float = 5.0
    name: ClassVar[str] = "conceder"

    def __post_init__(self) -> None:
        _check_beta(self.beta)
        if self.beta <= 1:
            raise ModelError(f"a Conceder strategy needs beta > 1, got {self.beta}")


@dataclass(frozen=True, slots=True)
class Linear(TimeDependent):
    """Concedes at a constant rate (``beta = 1``)."""

    beta: float = 1.0
    name: ClassVar[str] = "linear"

    def __post_init__(self) -> None:
        if self.beta != 1.0:
            raise ModelError(f"a linear strategy has beta = 1, got {self.beta}")


@dataclass(frozen=True, slots=True)
class ReservationAware:
    """Time-dependent, aiming to reach the floor one exchange before the deadline.

    ``level(t) = 1 - min(1, t / (1 - f)) ** (1 / beta)`` where ``f`` is the share of
    the deadline one exchange is expected to take (capped at one half). The party's
    floor is its reservation *on the day*, so it follows reservations that drift with
    the scenario's clocks; the other strategies keep the reservation of day 0.

    Examples
    --------
    >>> s = ReservationAware(beta=1.0)
    >>> s.target(0.5, History(0, [1.0], round_fraction=0.5)), s.target(0.5, History(0, [1.0]))
    (0.0, 0.5)
    """

    beta: float = 0.5
    name: ClassVar[str] = "reservation-aware"
    uses_history: ClassVar[bool] = False
    tracks_reservation: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _check_beta(self.beta)

    def levels(self, t: np.ndarray, round_fraction: float = 0.0) -> np.ndarray:
        """Levels at many times at once."""
        horizon = 1.0 - min(max(round_fraction, 0.0), _MAX_ROUND_FRACTION)
        return _curve(np.asarray(t) / horizon, self.beta)

    def target(self, t: float, history: History) -> float:
        """Aspiration level at time ``t``, given the expected length of an exchange."""
        return float(self.levels(np.array([t]), history.round_fraction)[0])


@dataclass(frozen=True, slots=True)
class TitForTat:
    """Concede as much as the opponents conceded since my last move (relative tit-for-tat).

    The opening level is 1; afterwards the level drops by the opponents' mean
    concession (never rising again), and by at least ``minimum_concession`` per
    move. Two tit-for-tat parties alone never move first: they need a partner that
    concedes with time, or a positive ``minimum_concession``.

    Examples
    --------
    >>> latest = [1.0, 0.8, 0.6]
    >>> history = History(0, latest)
    >>> history.seen = [1.0, 1.0, 1.0]; history.moved = True
    >>> round(TitForTat().target(0.3, history), 3)
    0.7
    """

    minimum_concession: float = 0.0
    name: ClassVar[str] = "tit-for-tat"
    uses_history: ClassVar[bool] = True
    tracks_reservation: ClassVar[bool] = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.minimum_concession <= 1.0:
            raise ModelError(
                f"expected a minimum concession in 0-1, got {self.minimum_concession}")

    def target(self, t: float, history: History) -> float:
        """Own last level minus the opponents' mean concession (1 for the opening move)."""
        if not history.moved:
            return 1.0
        step = max(history.opponents_concession(), self.minimum_concession, 0.0)
        return max(0.0, history.own_level - step)


STRATEGIES: dict[str, Strategy] = {
    "boulware": Boulware(),
    "conceder": Conceder(),
    "linear": Linear(),
    "tit-for-tat": TitForTat(),
    "reservation-aware": ReservationAware(),
}
"""The named strategies with their default parameters."""


def strategy_named(name: str | Strategy) -> Strategy:
    """The strategy called ``name`` (a strategy object is returned as is).

    Raises
    ------
    ModelError
        If no strategy has that name.
    """
    if not isinstance(name, str):
        return name
    key = name.strip().lower().replace("_", "-")
    if key not in STRATEGIES:
        raise ModelError(f"unknown strategy {name!r}; expected one of {sorted(STRATEGIES)}")
    return STRATEGIES[key]


def time_levels(strategy: Strategy, t: np.ndarray, round_fraction: float) -> np.ndarray | None:
    """Levels of a time-only strategy at the times ``t`` (``None`` if it needs the history)."""
    levels = getattr(strategy, "levels", None)
    if strategy.uses_history or levels is None:
        return None
    return np.asarray(levels(t, round_fraction), dtype=float)


def strategy_names(strategies: Sequence[Strategy]) -> tuple[str, ...]:
    """The names of several strategies (for reports)."""
    return tuple(s.name for s in strategies)
