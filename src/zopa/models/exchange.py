"""Stokman's exchange model: actors trade voting positions on the issues they care less about.

Two actors who stand on opposite sides of the expected outcome on two issues can both
gain if each gives way on the issue it cares less about: actor ``i`` moves its voting
position on ``p`` towards ``j``'s, ``j`` moves on ``q`` towards ``i``'s, and each sees
the outcome of the issue it cares more about move its way. The expected outcome of an
issue is the capability x salience weighted mean of the voting positions (the
compromise model), so a move of ``dx`` by actor ``a`` shifts it by
``dx * c_a s_a / sum(c s)``.

In the *equal-gain* variant the shifts are set so that both actors gain equally:
``dO_q / dO_p = (s_ip + s_jp) / (s_iq + s_jq)``, as large as the positions allow (no
supplier passes its partner's position; the outcome does not pass the demander's). The
best exchanges are realised first, one after another, within a round; at the end of a
round every actor's position moves part of the way towards its voting position, and
the next round starts from there. The forecast is the weighted mean of the positions
after the last round.

zopa follows the ``decide-exchange-model`` package (Decide, by Stokman, Draaijer and
others) step for step, including the points the publications leave open, which were
found by running the package as a black box (see
``docs/explanation/model-exchange.md``). The candidate exchanges and their terms are
in :mod:`zopa.models.exchange_terms` (vectorised), the order in which they are
realised in :mod:`zopa.models.exchange_round`.

References
----------
Stokman, F. N., & Van Oosten, R. (1994). The exchange of voting positions: an
object-oriented model of policy networks. In B. Bueno de Mesquita & F. N. Stokman
(eds.), *European Community Decision Making*, 105–127. Yale University Press.
Stokman, F. N., & Thomson, R. (2015). *Forecasting the Paris 2015 UNFCCC negotiations:
the exchange model's analysis of developments and potential obstacles to reaching an
agreement*. Technical report, doi:10.13140/RG.2.1.4523.8483.
Dijkstra, J., Van Assen, M. A. L. M., Stokman, F. N., & Draaijer, J. (2018). Random
variation of exchange rates in the equal utility exchange model. Technical report
(first draft).
Draaijer, J. et al. ``decide-exchange-model`` (PyPI, version 2022.1.28), used as a
reference oracle only (run, not read or copied).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, get_args

import numpy as np

from zopa._rng import RNGLike, SeedLike, as_generator
from zopa.errors import ModelError
from zopa.models._common import model_provenance
from zopa.models.base import Forecast, SpatialData
from zopa.models.exchange_round import RoundResult, TieBreak, Trades, outcome_of, play_round
from zopa.models.exchange_terms import Context, Variant
from zopa.scenario import Scenario

__all__ = ["Exchange", "ExchangeRun", "Trades"]

_CHOICES = {"variant": Variant, "tie_break": TieBreak}


@dataclass(frozen=True, slots=True, eq=False)
class ExchangeRun:
    """A forecast with the round-by-round detail of the exchanges.

    Attributes
    ----------
    forecast
        The forecast (``trajectory`` holds the positions each round starts from).
    voting
        ``(rounds, n, m)`` voting positions at the end of each round's exchanges.
    exchanges, ties, candidates
        Per round: exchanges realised, picks decided between equally good candidates,
        candidate exchanges at the start of the round.
    trades
        Per round, the exchanges realised, in order (who moved on which issue, where to,
        for what gain; actors and issues as indices into the forecast's ids).
    """

    forecast: Forecast
    voting: np.ndarray
    exchanges: tuple[int, ...]
    ties: tuple[int, ...]
    candidates: tuple[int, ...]
    trades: tuple[Trades, ...]


@dataclass(frozen=True, slots=True)
class Exchange:
    """Stokman's exchange of voting positions, as computed by Decide.

    Parameters
    ----------
    variant
        ``"equal_gain"`` (default): both partners of an exchange gain the same expected
        utility (Stokman & Van Oosten 1994; Decide's equal-gain model).
        ``"random_rate"``: the exchange rate ``dO_q / dO_p`` is drawn uniformly between
        the two rates at which one partner would gain nothing (one draw per candidate
        and round, from ``rng``), after Dijkstra et al. (2018); candidates are ranked by
        the smaller of the two partners' gains, which for equal gain is the gain itself.
        This is zopa's reading of the published idea, not a copy of Decide's variant.
    rounds
        Most rounds played (default 10, as in Decide's examples).
    tolerance
        Stop early once no outcome moves by more than this in a round, on the issue's
        0–100 scale (default 0: stop only when no exchange is left). Either way the
        forecast reports ``converged``; a round without exchanges is not counted.
    tie_break
        Which of two equally good exchanges goes first. ``"first"`` (default,
        deterministic): the one listed first (see :mod:`zopa.models.exchange_round`).
        ``"random"``: the second with probability 1/2, drawn from ``rng``, as Decide
        does by default.
    fixed_weight, salience_weight
        At the end of a round, each actor's position on an issue moves towards its last
        voting position by the share ``fixed_weight + salience_weight * (1 - s)``
        (defaults 0.1 and 0.4, Decide's constants): actors move furthest on what they
        care least about. Their sum must not exceed 1.

    Notes
    -----
    Saliences are Decide's, in [0, 1]: they are used as given when all lie in [0, 1]
    and divided by the scenario's largest salience otherwise (only the end-of-round
    share depends on the scale). Actor-issue pairs with salience 0 take no part.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> forecast = Exchange(rounds=3).run(random_scenario(4, 3, 3, rng=0))
    >>> forecast.outcomes.shape[1], forecast.trajectory.shape[1:]
    (3, (4, 3))
    """

    name: ClassVar[str] = "exchange"

    variant: Variant = "equal_gain"
    rounds: int = 10
    tolerance: float = 0.0
    tie_break: TieBreak = "first"
    fixed_weight: float = 0.1
    salience_weight: float = 0.4

    def __post_init__(self) -> None:
        for key, kind in _CHOICES.items():
            if getattr(self, key) not in get_args(kind):
                raise ModelError(f"{self.name}: option {key} expects one of "
                                 f"{list(get_args(kind))}, got {getattr(self, key)!r}")
        rounds = self.rounds
        if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 1:
            raise ModelError(f"{self.name}: expected an integer rounds >= 1, got {rounds!r}")
        if not _real(self.tolerance) or not self.tolerance >= 0:
            raise ModelError(f"{self.name}: expected tolerance >= 0, got {self.tolerance!r}")
        for key in ("fixed_weight", "salience_weight"):
            if not _real(getattr(self, key)) or not getattr(self, key) >= 0:
                raise ModelError(f"{self.name}: expected {key} >= 0, got {getattr(self, key)!r}")
        if self.fixed_weight + self.salience_weight > 1:
            raise ModelError(f"{self.name}: fixed_weight + salience_weight must not exceed 1, "
                             f"got {self.fixed_weight + self.salience_weight:g}")

    def run(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast every issue of ``scenario``."""
        return self.forecast(SpatialData.from_scenario(scenario), rng=rng)

    def forecast(self, data: SpatialData, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast from spatial arrays."""
        return self.simulate(data, rng=rng).forecast

    def simulate(self, data: SpatialData, *, rng: RNGLike | SeedLike = None) -> ExchangeRun:
        """Forecast with the round-by-round detail (voting positions, exchanges, ties)."""
        data.require_weight(self.name)
        context = _context(data)
        generator = as_generator(rng)
        positions = [data.position.astype(float)]
        outcomes = [outcome_of(positions[0], context)]
        played: list[RoundResult] = []
        stop = ""
        for _ in range(self.rounds):
            result = play_round(positions[-1], context, variant=self.variant,
                                tie_break=self.tie_break, fixed_weight=self.fixed_weight,
                                salience_weight=self.salience_weight, rng=generator)
            if result.exchanges == 0:
                stop = "no exchange left"
                break
            played.append(result)
            positions.append(result.positions)
            outcomes.append(outcome_of(result.positions, context))
            if np.abs(outcomes[-1] - outcomes[-2]).max() <= self.tolerance:
                stop = f"no outcome moved more than {self.tolerance:g}"
                break
        forecast = Forecast(
            self.name, data.actors, data.issues, outcomes[-1].copy(),
            trajectory=np.stack(positions), outcomes=np.stack(outcomes),
            converged=bool(stop), notes=_notes(self, data, played, stop),
            provenance=model_provenance(self, data.scenario_hash, rng))
        n, m = data.position.shape
        voting = (np.stack([r.voting for r in played]) if played else np.zeros((0, n, m)))
        return ExchangeRun(forecast, voting, tuple(r.exchanges for r in played),
                           tuple(r.ties for r in played), tuple(r.candidates for r in played),
                           tuple(r.trades for r in played))


def _real(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _context(data: SpatialData) -> Context:
    """Weights, totals and saliences on 0–1 for the rounds."""
    salience = data.salience.astype(float)
    top = float(salience.max())
    weight = data.capability[:, None] * salience
    return Context(salience / top if top > 1.0 else salience, weight, weight.sum(axis=0),
                   weight > 0)


def _notes(model: Exchange, data: SpatialData, played: list[RoundResult],
           stop: str) -> tuple[str, ...]:
    """Diagnostics in words: salience scaling, who sat out, exchanges and ties per round."""
    notes: list[str] = []
    top = float(data.salience.max())
    if top > 1.0:
        notes.append(f"saliences divided by the largest ({top:g}) to lie in [0, 1]")
    absent = int((data.salience <= 0).sum())
    if absent:
        notes.append(f"{absent} actor-issue pair(s) with salience 0 left out")
    counts = [r.exchanges for r in played]
    notes.append(f"exchanges per round: {counts}" if counts else "no exchange possible")
    ties = sum(r.ties for r in played)
    if ties:
        how = "by list order" if model.tie_break == "first" else "at random (rng)"
        notes.append(f"{ties} pick(s) between equally good exchanges, decided {how}")
    if stop:
        notes.append(f"stopped after {len(played)} round(s): {stop}")
    else:
        notes.append(f"not converged: exchanges still possible after {model.rounds} rounds")
    return tuple(notes)
