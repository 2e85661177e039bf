"""KTAB's Spatial Model of Politics (SMP): challenges, bargains and group choice, turn by turn.

Actors hold positions on several dimensions, each with a capability and a
salience per dimension. In every turn each actor looks for the actor whose
position it would most profitably challenge, judging who would win the
contest by the coalitions the other actors would form; it then proposes a
bargain, a point between the two positions weighted by salience and by its
estimated chance of winning. Every actor adopts the bargain in its queue that
the group as a whole would choose in a Probabilistic Condorcet Election (PCE).
All actors move at once; the run stops when the total movement in a turn falls
below 2 % of the movement in the first turn.

The option names and defaults are KTAB's (``smpc``); with the defaults no
random numbers are drawn. The model reproduces KTAB's logged reference runs
on ``SOE-Pol-Comp.csv`` and ``dummyData_3Dim.csv`` (every position at every
turn within the log's rounding).

Conventions
-----------
* Positions are divided by 100 (KTAB works on 0-1).
* KTAB needs saliences in [0, 1] with at most 1 in total per actor. zopa's
  saliences are relative: an actor whose saliences sum to more than 1 has its
  row divided by its sum; smaller rows (such as KTAB-imported ones, which are
  KTAB's percentages divided by 100) are used unchanged.
* Capabilities are used as given (KTAB's small constants, such as the 1e-8
  starting strength of every coalition, are relative to them).
* KTAB reports the final positions and, for each, the probability that it wins
  a PCE over the distinct final positions; it does not collapse them into one
  number. zopa's ``outcome`` is the probability-weighted mean of the distinct
  final positions on each dimension, and ``outcomes`` the same for every turn.

References
----------
KAPSARC. *An Introduction to the KAPSARC Toolkit for Behavioral
Analysis (KTAB) using Policy Models*. KAPSARC discussion paper.
KAPSARC. *Multidimensional Bargaining Using KTAB*. KAPSARC discussion paper.
KAPSARC. *Group Choice with Interdependent Sublinear Voting*. KAPSARC
discussion paper.
KAPSARC (2019). KTAB, KAPSARC Toolkit for Behavioral Analysis, version 1.4
(MIT licence), ``examples/smp``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import ClassVar, Literal

import numpy as np

from zopa._rng import RNGLike, SeedLike, as_generator
from zopa.errors import ModelError
from zopa.models._common import model_provenance
from zopa.models.base import Forecast, SpatialData
from zopa.models.smp_bargain import BARGAIN_RULES, BargainRule, Chooser
from zopa.models.smp_challenge import BIG_R_ADJUSTMENTS, BIG_R_RANGES, BigRAdjust, BigRRange
from zopa.models.smp_turns import SmpRun, play
from zopa.models.smp_voting import (
    PCE_MODELS,
    VICTORY_MODELS,
    VOTING_RULES,
    PceModel,
    VictoryModel,
    VotingRule,
)
from zopa.scenario import Scenario

__all__ = ["SmpRun", "SpatialModelOfPolitics", "ktab_saliences"]

Transitions = Literal["deterministic", "stochastic"]
ThirdPartyCommit = Literal["semi"]
BargainModel = Literal["init_only"]

_CHOICES: dict[str, tuple[str, ...]] = {
    "victory_probability": VICTORY_MODELS, "pce": PCE_MODELS,
    "transitions": ("deterministic", "stochastic"), "voting": VOTING_RULES,
    "big_r_adjust": BIG_R_ADJUSTMENTS, "big_r_range": BIG_R_RANGES,
    "third_party_commit": ("semi",), "bargain": BARGAIN_RULES,
    "bargain_model": ("init_only",),
}


def ktab_saliences(salience: np.ndarray) -> np.ndarray:
    """Saliences as KTAB needs them: rows summing to more than 1 are divided by their sum.

    Examples
    --------
    >>> ktab_saliences(np.array([[3.0, 1.0], [0.2, 0.3]])).tolist()
    [[0.75, 0.25], [0.2, 0.3]]
    """
    total = salience.sum(axis=1, keepdims=True)
    return np.where(total > 1.0, salience / np.where(total > 0, total, 1.0), salience)


def _most_likely(actors: np.ndarray, chances: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Deterministic transitions: every actor adopts its queue's most likely entry."""
    return np.argmax(chances, axis=1)


@dataclass(frozen=True, slots=True)
class SpatialModelOfPolitics:
    """KTAB's Spatial Model of Politics with KTAB's options and defaults.

    Parameters
    ----------
    victory_probability
        How coalition strengths become odds: ``linear`` (2:1 -> 2/3), ``square``,
        ``quartic``, ``octic``, ``binary`` (certain once 10 % stronger).
    pce
        Probabilistic Condorcet Election: ``conditional`` (product of pairwise
        odds), ``markov_uniform``, ``markov_incentive``.
    transitions
        ``deterministic``: each actor adopts the most likely bargain in its
        queue; ``stochastic``: it draws one with those probabilities (uses ``rng``).
    voting
        Voting rule: ``prop``, ``binary``, ``prop_bin``, ``prop_cbc``, ``cubic``,
        ``asym_prosp``.
    big_r_adjust
        How much of another actor's true risk attitude an actor perceives:
        ``none``, ``one_third``, ``half``, ``two_thirds``, ``full``.
    big_r_range
        Range of risk attitudes: ``min`` [0, 1], ``mid`` [-1/2, 1], ``max`` [-1, 1].
    third_party_commit
        Only ``semi`` (KTAB's default); KTAB's "no" and "full" commitment are not
        specified in enough detail to be reproduced.
    bargain
        Bargain interpolation: ``s2p2`` (weights salience^2 x probability^2) or ``s1p1``.
    bargain_model
        Only ``init_only``: the bargain uses the initiator's estimate of its odds.
    min_rounds, max_rounds, tolerance
        Stopping rule: after at least ``min_rounds`` turns, stop when a turn's total
        movement is below ``tolerance`` times the first turn's; at most ``max_rounds``.
    ideal_adjustment
        KTAB's accommodation matrix as ``(adjusting actor, reference actor, weight)``
        triples: each turn ``ideal_a <- sum_r w_ar x_r + (1 - sum_r w_ar) ideal_a``.
        The matrix starts as the identity (ideals follow positions) and each
        triple replaces one entry, as KTAB reads its XML ``<IdealAdjustment>``.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> forecast = SpatialModelOfPolitics(max_rounds=5).run(random_scenario(4, 2, 3, rng=0))
    >>> forecast.trajectory.shape[1:], bool((0 <= forecast.outcome).all())
    ((4, 2), True)
    """

    victory_probability: VictoryModel = "linear"
    pce: PceModel = "conditional"
    transitions: Transitions = "deterministic"
    voting: VotingRule = "prop"
    big_r_adjust: BigRAdjust = "one_third"
    big_r_range: BigRRange = "mid"
    third_party_commit: ThirdPartyCommit = "semi"
    bargain: BargainRule = "s2p2"
    bargain_model: BargainModel = "init_only"
    min_rounds: int = 2
    max_rounds: int = 100
    tolerance: float = 0.02
    ideal_adjustment: tuple[tuple[str, str, float], ...] = ()

    name: ClassVar[str] = "smp"

    def __post_init__(self) -> None:
        for option, allowed in _CHOICES.items():
            value = getattr(self, option)
            if value not in allowed:
                raise ModelError(f"smp: {option}={value!r} is not supported; "
                                 f"expected one of {list(allowed)}")
        if not 1 <= self.min_rounds <= self.max_rounds:
            raise ModelError("smp: expected 1 <= min_rounds <= max_rounds, got "
                             f"{self.min_rounds} and {self.max_rounds}")
        if not self.tolerance > 0:
            raise ModelError(f"smp: expected a positive tolerance, got {self.tolerance}")
        try:
            triples = tuple((str(a), str(r), float(w)) for a, r, w in self.ideal_adjustment)
        except (TypeError, ValueError):
            raise ModelError("smp: ideal_adjustment expects (adjusting actor, reference actor, "
                             f"weight) triples, got {self.ideal_adjustment!r}") from None
        object.__setattr__(self, "ideal_adjustment", triples)

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        """Names of the model's options, in declaration order."""
        return tuple(f.name for f in fields(cls))

    def run(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast ``scenario`` (``rng`` is used only with ``transitions="stochastic"``)."""
        return self.forecast(SpatialData.from_scenario(scenario), rng=rng)

    def forecast(self, data: SpatialData, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast from spatial arrays."""
        history = self.simulate(data, rng=rng)
        return Forecast(self.name, data.actors, data.issues, history.outcomes[-1],
                        trajectory=history.positions, outcomes=history.outcomes,
                        converged=history.converged, notes=self._notes(data, history),
                        provenance=model_provenance(self, data.scenario_hash, rng))

    def simulate(self, data: SpatialData, *, rng: RNGLike | SeedLike = None,
                 chooser: Callable[[int], Chooser] | None = None) -> SmpRun:
        """The full history of a run: positions, ideals, win probabilities, attitudes.

        ``chooser`` maps a turn number (from 1) to the rule that picks each
        actor's queue entry, overriding ``transitions`` (e.g. to replay a logged
        stochastic run); see :data:`~zopa.models.smp_bargain.Chooser`.
        """
        self._check(data)
        salience = ktab_saliences(np.asarray(data.salience, dtype=float))
        return play(self, np.asarray(data.capability, dtype=float),
                    np.asarray(data.position, dtype=float) / 100.0, salience,
                    make_chooser=self._choosers(data.n_actors, rng, chooser),
                    accommodation=self._accommodation(data.actors))

    # -- helpers --------------------------------------------------------------------------------
    def _choosers(self, n: int, rng: RNGLike | SeedLike,
                  chooser: Callable[[int], Chooser] | None) -> Callable[[int], Chooser]:
        if chooser is not None:
            return chooser
        if self.transitions == "deterministic":
            return lambda turn: _most_likely
        generator = as_generator(rng)

        def make(turn: int) -> Chooser:
            draws = generator.random(n)

            def draw(actors: np.ndarray, chances: np.ndarray,
                     candidates: np.ndarray) -> np.ndarray:
                cumulative = np.cumsum(chances, axis=1)
                level = draws[actors, None] * cumulative[:, -1:]
                return (cumulative <= level).sum(axis=1)

            return draw

        return make

    def _accommodation(self, actors: tuple[str, ...]) -> np.ndarray | None:
        if not self.ideal_adjustment:
            return None
        index = {actor: k for k, actor in enumerate(actors)}
        matrix = np.eye(len(actors))
        for adjusting, reference, weight in self.ideal_adjustment:
            for actor in (adjusting, reference):
                if actor not in index:
                    raise ModelError(f"smp: ideal_adjustment names unknown actor {actor!r}")
            matrix[index[adjusting], index[reference]] = float(weight)
        return matrix

    def _check(self, data: SpatialData) -> None:
        if data.n_actors < 1 or data.n_issues < 1:
            raise ModelError("smp: expected at least one actor and one issue")
        if (np.asarray(data.salience) < 0).any():
            raise ModelError("smp: expected saliences >= 0")
        silent = [a for a, row in zip(data.actors, data.salience, strict=True) if row.sum() <= 0]
        if silent:
            raise ModelError(f"smp: actor(s) {silent} have no positive salience")
        if not ((data.position >= 0) & (data.position <= 100)).all():
            raise ModelError("smp: expected positions between 0 and 100")
        if not (np.asarray(data.capability) > 0).all():
            raise ModelError("smp: expected positive capabilities")

    def _notes(self, data: SpatialData, history: SmpRun) -> tuple[str, ...]:
        ratio = history.change_ratio[-1] if history.turns else 0.0
        if history.converged:
            stop = (f"stopped after {history.turns} turns: movement ratio {ratio:.4f} "
                    f"< tolerance {self.tolerance}")
        else:
            stop = (f"did not converge within {self.max_rounds} turns "
                    f"(last movement ratio {ratio:.4f})")
        notes = [stop, "outcome: distinct final positions weighted by their PCE win "
                       "probabilities"]
        rescaled = [a for a, row in zip(data.actors, data.salience, strict=True)
                    if row.sum() > 1.0]
        if rescaled:
            notes.append(f"saliences divided by their sum for {len(rescaled)} actor(s) "
                         f"whose saliences add up to more than 1: {rescaled}")
        return tuple(notes)
