"""Bueno de Mesquita's expected-utility model, in the reading of Scholz, Calbert & Smith (2011).

Actors hold positions on each issue and, round after round, weigh challenging one
another: actor ``i`` estimates its expected utility ``E_ij`` of challenging ``j``
and ``E_ji`` of ``j`` challenging it, from the chance of winning a contest (a vote
of all actors weighted by capability x salience), the chance that ``j`` resists
(its salience) and what winning, losing and the status quo are worth to it. Each
actor's risk attitude is set every round from how exposed its position is. Offers
that ``i`` expects to lose (conflict), to settle halfway (compromise) or to give in
to (capitulation) move it; all actors move at once, and the forecast of each issue
is the decision-rule position (the weighted median, by default) when the rounds stop.

Each issue is modelled on its own. The arithmetic of a round is in
:mod:`zopa.models.expected_utility_round` (vectorised over issues and actor pairs),
the rounds and the stopping rule in :mod:`zopa.models.expected_utility_loop`; the
model is explained step by step in ``docs/explanation/model-expected-utility.md``.

The model is deterministic: ``rng`` is accepted for the common interface and unused,
so the same scenario and options always give the same forecast.

References
----------
Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method.
In B. Bueno de Mesquita & F. Stokman (eds.), *European Community Decision Making*,
71–104. Yale University Press.
Bueno de Mesquita, B. (1997). A decision making model: its structure and form.
*International Interactions* 23(3–4), 235–266.
Bueno de Mesquita, B. (2002). *Predicting Politics*. Ohio State University Press.
Scholz, J. B., Calbert, G. J., & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
group decision model. *Journal of Theoretical Politics* 23(4), 510–531.
Replications consulted for the points where readings differ (not sources of code):
D. Masad, ``BDM_DecisionModel_Replication`` (2014) and J. McKibben,
``bdm-scholz-expected-utility-model`` (2014), which follows Scholz's own code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar, Literal, get_args

import numpy as np

from zopa._rng import RNGLike, SeedLike
from zopa.errors import ModelError
from zopa.models._common import model_provenance
from zopa.models.base import Forecast, SpatialData
from zopa.models.expected_utility_loop import (
    AGREED,
    CYCLE,
    RUNNING,
    STEADY,
    Book,
    ExpectedUtilityRun,
    simulate,
)
from zopa.scenario import Scenario

__all__ = [
    "DecisionRule",
    "ExpectedUtility",
    "ExpectedUtilityRun",
    "OfferResolution",
    "RiskExponentOf",
    "Stopping",
    "WinProbability",
]

WinProbability = Literal["paper", "signed", "scholz"]
RiskExponentOf = Literal["receiver", "own"]
OfferResolution = Literal["nearest", "scholz", "scholz_code"]
DecisionRule = Literal["median", "mean"]
Stopping = Literal["settled", "forecast", "rounds"]

_CHOICES = {"win_probability": WinProbability, "risk_exponent_of": RiskExponentOf,
            "offer_resolution": OfferResolution, "decision_rule": DecisionRule,
            "stopping": Stopping}
_LISTED = 5  # issues named in a note before "and N more"


@dataclass(frozen=True, slots=True)
class ExpectedUtility:
    """Bueno de Mesquita's expected-utility model, with its contested points as options.

    Parameters
    ----------
    win_probability
        How the chance ``P_ij`` that ``x_i`` beats ``x_j`` is computed from the weighted
        vote of all actors. ``"paper"`` (default): the positive contributions over the sum
        of absolute differences for this pair, as the equation is printed (so
        ``P_ij + P_ji = 1``). ``"signed"``: the net signed vote, ``max(0, sum)`` over the
        same denominator (Masad's final version). ``"scholz"``: the denominator sums over
        all actors *and all ordered pairs of actors*, as in Scholz's code, which makes
        every ``P`` small.
    risk_exponent_of
        Whose risk exponent enters ``E_ji``, the proposer's expected utility of
        challenging the receiver ``i``. ``"receiver"`` (default): ``i``'s own, because
        ``i`` judges the offer with its own perception (BdM's ``E^i(U_ji)``; also
        Scholz's code). ``"own"``: the proposer's (Masad's reading). ``E_ij`` always
        uses ``r_i``; each voter in ``P`` always uses its own exponent.
    offer_resolution
        Which offer an actor accepts when several arrive (ties go to the proposer listed
        first). ``"nearest"`` (default): the one needing the smallest move, whatever its
        kind, as the paper and BdM state.
        ``"scholz"``: by kind first (conflict, then compromise, then capitulation);
        nearest conflict or capitulation, and among compromises the smallest
        ``(|E_ij| x_i + |E_ji| x_j) / (|E_ij| + |E_ji|)``, as in Scholz's code.
        ``"scholz_code"``: as ``"scholz"``, but with the capitulation test as coded
        (``E_ji < |E_ji|``), so no actor ever capitulates; needed to reproduce the
        Sultan trace.
    decision_rule
        The forecast from positions: ``"median"`` (default; capability x salience
        weighted median, the pairwise-vote winner) or ``"mean"`` (weighted mean).
    q, t
        Probability that the status quo persists if nobody challenges, and that a change
        is for the better (both 1 by default, as in BdM's examples and Scholz's code).
        With ``q < 1`` the utilities of change are measured from the current forecast.
    max_rounds
        Most rounds played (default 200).
    tolerance
        On the issue's 0–100 scale (default 0.05, half the last digit of a forecast given
        to 0.1): moves smaller than this count as no move, and states closer than this
        (every actor within ``tolerance``) as the same state.
    stopping
        ``"settled"`` (default): an issue stops when, in one round, its forecast moved
        less than ``tolerance`` *and* no actor moved more than ``tolerance`` (the state
        is at rest, so later rounds repeat it). ``"forecast"``: it stops at the first
        round in which the forecast moved less than ``tolerance`` (BdM 2002), which a
        pause in the movement can fool. ``"rounds"``: play ``max_rounds`` rounds, as the
        replications do. An issue whose positions return (within ``tolerance``) to
        those of an earlier round is in a cycle: it stops, unconverged, with the cycle
        length in the notes (under ``"rounds"`` it plays on and the cycle is noted).

    Notes
    -----
    Saliences are BdM's probabilities of resisting, in [0, 1]: they are used as given
    when all lie in [0, 1] and divided by the scenario's largest salience otherwise.
    Actors with salience 0 on an issue take no part in it. ``Δ`` (distances are divided
    by it) is the spread of the actors' starting positions on the issue; an issue on
    which all agree is forecast at that position without rounds.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> forecast = ExpectedUtility().run(random_scenario(4, 2, 3, rng=0))
    >>> forecast.trajectory.shape[1:], forecast.outcomes.shape[1]
    ((4, 2), 2)
    >>> ExpectedUtility.scholz_replication().offer_resolution
    'scholz_code'
    """

    name: ClassVar[str] = "expected_utility"
    issue_separable: ClassVar[bool] = True

    win_probability: WinProbability = "paper"
    risk_exponent_of: RiskExponentOf = "receiver"
    offer_resolution: OfferResolution = "nearest"
    decision_rule: DecisionRule = "median"
    q: float = 1.0
    t: float = 1.0
    max_rounds: int = 200
    tolerance: float = 0.05
    stopping: Stopping = "settled"

    def __post_init__(self) -> None:
        for key, kind in _CHOICES.items():
            if getattr(self, key) not in get_args(kind):
                raise ModelError(f"{self.name}: option {key} expects one of "
                                 f"{list(get_args(kind))}, got {getattr(self, key)!r}")
        for key in ("q", "t"):
            if not _real(getattr(self, key)) or not 0.0 <= getattr(self, key) <= 1.0:
                raise ModelError(f"{self.name}: option {key} is a probability; expected a "
                                 f"value in [0, 1], got {getattr(self, key)!r}")
        rounds = self.max_rounds
        if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 1:
            raise ModelError(f"{self.name}: expected an integer max_rounds >= 1, got {rounds!r}")
        if not _real(self.tolerance) or not self.tolerance > 0:
            raise ModelError(f"{self.name}: expected tolerance > 0, got {self.tolerance!r}")

    @classmethod
    def scholz_replication(cls, **overrides: Any) -> ExpectedUtility:
        """The options that follow Scholz's code (as replicated by McKibben).

        ``win_probability="scholz"``, ``risk_exponent_of="receiver"``,
        ``offer_resolution="scholz_code"``, median, ``q = t = 1``; the stopping rule and
        its settings stay the model's own unless overridden (use ``max_rounds=10`` for
        the published 10-round traces).
        """
        preset = cls(win_probability="scholz", risk_exponent_of="receiver",
                     offer_resolution="scholz_code", decision_rule="median", q=1.0, t=1.0)
        return replace(preset, **overrides)

    def run(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast every issue of ``scenario`` (deterministic; ``rng`` is unused)."""
        return self.forecast(SpatialData.from_scenario(scenario), rng=rng)

    def forecast(self, data: SpatialData, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast from spatial arrays."""
        return self.simulate(data, rng=rng).forecast

    def simulate(self, data: SpatialData, *, rng: RNGLike | SeedLike = None
                 ) -> ExpectedUtilityRun:
        """Forecast with the round-by-round detail: offers accepted and risk exponents."""
        data.require_weight(self.name)
        book, active = simulate(self, data)
        forecast = Forecast(
            self.name, data.actors, data.issues, book.outcomes[-1].copy(),
            trajectory=np.stack(book.positions).transpose(0, 2, 1),
            outcomes=np.stack(book.outcomes),
            converged=bool(np.all(_converged(book.status))),
            issue_converged=_converged(book.status),
            notes=_notes(self, data, book, active),
            provenance=model_provenance(self, data.scenario_hash, rng))
        return _run_record(forecast, book, data)


def _real(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _converged(status: np.ndarray) -> np.ndarray:
    return (status != RUNNING) & (status != CYCLE)


def _run_record(forecast: Forecast, book: Book, data: SpatialData) -> ExpectedUtilityRun:
    m, n = data.n_issues, data.n_actors

    def stacked(name: str, empty: float) -> np.ndarray:
        if not book.exchanges:
            return np.full((0, n, m), empty)
        return np.stack([getattr(e, name) for e in book.exchanges]).transpose(0, 2, 1)

    risk = (np.stack(book.risks).transpose(0, 2, 1) if book.risks else np.ones((0, n, m)))
    return ExpectedUtilityRun(forecast, stacked("kind", 0).astype(np.int8),
                              stacked("proposer", -1).astype(int), stacked("own_utility", np.nan),
                              stacked("proposer_utility", np.nan), risk, book.played.copy())


def _named(issues: list[str]) -> str:
    shown = ", ".join(issues[:_LISTED])
    more = len(issues) - _LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def _notes(model: ExpectedUtility, data: SpatialData, book: Book,
           active: np.ndarray) -> tuple[str, ...]:
    """Diagnostics in words: salience scaling, absent actors, how each issue ended."""
    notes: list[str] = []
    top = float(data.salience.max())
    if top > 1.0:
        notes.append(f"saliences divided by the largest ({top:g}) to lie in [0, 1]")
    if not active.all():
        notes.append(f"{int((~active).sum())} actor-issue pair(s) with salience 0 left out")
    issues = np.array(data.issues, dtype=object)
    agreed = list(issues[book.status == AGREED])
    if agreed:
        notes.append(f"all actors agree on {_named(agreed)}: forecast without rounds")
    if model.stopping == "forecast" and (book.status == STEADY).any():
        notes.append(f"forecast steady but positions still moving on "
                     f"{_named(list(issues[book.status == STEADY]))}")
    for length in sorted(set(book.cycle[book.status == CYCLE].tolist())):
        which = list(issues[(book.status == CYCLE) & (book.cycle == length)])
        notes.append(f"not converged: cycle of length {length} rounds on {_named(which)} "
                     f"(positions within tolerance of those {length} rounds earlier)")
    running = list(issues[book.status == RUNNING])
    if running:
        moves = np.abs(book.outcomes[-1] - book.outcomes[-2]) if book.exchanges else np.zeros(1)
        shift = float(moves[book.status == RUNNING].max()) if book.exchanges else 0.0
        notes.append(f"not converged: {_named(running)} not settled after {model.max_rounds} "
                     f"rounds (last forecast move up to {shift:.3g} on 0-100)")
    return tuple(notes)
