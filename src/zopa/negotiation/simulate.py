"""The negotiation model: parties with concession strategies bargain over packages, in days.

:class:`NegotiationModel` wires the pieces of :mod:`zopa.negotiation` together: the
exact Pareto frontier as the menu of offers (:mod:`~zopa.negotiation.offers`), a
strategy per party (:mod:`~zopa.negotiation.strategies`), who talks to whom and
how long each takes to answer (:mod:`~zopa.negotiation.channels`), and a protocol
(:mod:`~zopa.negotiation.protocols`): multilateral alternating offers or a mediated
single negotiating text, both against a deadline in days while reservations drift
with the scenario's clocks.

:meth:`NegotiationModel.negotiate` gives the whole story (the event log, the agreed
package and day, or the reason for the breakdown); :meth:`NegotiationModel.run`
gives a :class:`~zopa.models.base.Forecast`, so Monte Carlo experiments and model
comparisons run it like any spatial model. The forecast on each issue is the
position of the agreed option. On breakdown it is the issue's status quo where
the scenario names one, otherwise the option of the last package on the table,
and ``converged`` is false. An issue on which every party that cares shares one
ideal point (values derived from it) is forecast at that point when a deal is
made, as the spatial models do: the parties write down what they all want.

Randomness enters only through ``rng``: which party opens (alternating offers) and
the response delays drawn from each party's range.

References
----------
Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. *Econometrica* 50(1),
97–109.
Raiffa, H. (1982). *The Art and Science of Negotiation*. Harvard University Press.
Faratin, P., Sierra, C., & Jennings, N. R. (1998). Negotiation decision functions for
autonomous agents. *Robotics and Autonomous Systems* 24(3–4), 159–182.
Baarslag, T., Hindriks, K., & Jonker, C. (2011). Towards a quantitative concession-based
classification method of negotiation strategies. *PRIMA 2011*, LNCS 7047, 143–158.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from zopa._rng import RNGLike, SeedLike, as_generator
from zopa.analysis.ratify import approved_by_all
from zopa.analysis.results import Provenance
from zopa.errors import ModelError
from zopa.negotiation.channels import (
    ACTIONS,
    NEUTRAL,
    Channels,
    Event,
    EventLog,
    delay_bounds,
    draw_delays,
)
from zopa.negotiation.offers import OfferSpace, offer_space
from zopa.negotiation.protocols import Outcome, Rules, alternating_offers, single_text
from zopa.negotiation.strategies import Strategy, strategy_named
from zopa.scenario import Scenario

if TYPE_CHECKING:
    from zopa.models.base import Forecast

__all__ = ["PROTOCOLS", "NegotiationModel", "NegotiationResult"]

Protocol = Literal["alternating", "mediated"]
PROTOCOLS: tuple[Protocol, ...] = ("alternating", "mediated")


@dataclass(frozen=True, slots=True, eq=False)
class NegotiationResult:
    """What happened in one simulated negotiation.

    Attributes
    ----------
    scenario_id, protocol
        What was negotiated, and how.
    parties, issues
        Ids, in the scenario's order.
    agreement
        ``{issue: option}`` of the agreed package, ``None`` on breakdown.
    day
        Day of the agreement, or of the breakdown.
    rounds
        Offers or drafts that were answered.
    reason
        Why the talks broke down ("" on agreement).
    last_package
        ``{issue: option}`` of the last package on the table (the agreement, if any).
    utilities
        Each party's utility (0–1) of ``last_package``.
    strategies
        Each party's strategy name.
    mediator, opener
        The mediator (a party id, ``"mediator"`` if neutral, ``None``) and the party
        that opened (alternating offers).
    log
        The event log (``None`` when run as a forecasting model).
    provenance
        Model, options, seed, scenario hash.
    """

    scenario_id: str
    protocol: str
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    agreement: dict[str, str] | None
    day: float
    rounds: int
    reason: str
    last_package: dict[str, str] | None
    utilities: dict[str, float]
    strategies: dict[str, str]
    mediator: str | None
    opener: str | None
    log: EventLog | None
    provenance: Provenance

    @property
    def agreed(self) -> bool:
        """True when the talks ended in an agreement."""
        return self.agreement is not None

    @property
    def events(self) -> tuple[Event, ...]:
        """Every message of the talks (empty if the log was not kept)."""
        return () if self.log is None else self.log.events()

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "scenario": self.scenario_id, "protocol": self.protocol,
            "agreed": self.agreed, "agreement": self.agreement, "day": self.day,
            "rounds": self.rounds, "reason": self.reason, "last_package": self.last_package,
            "utilities": self.utilities, "strategies": self.strategies,
            "mediator": self.mediator, "opener": self.opener,
            "events": [e.as_dict() for e in self.events],
            "provenance": self.provenance.as_dict(),
        }


def _parse_overrides(text: str) -> tuple[tuple[str, str], ...]:
    """``"russia:boulware,ukraine=conceder"`` as ``(party, strategy)`` pairs."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        party, sep, name = item.replace("=", ":").partition(":")
        if not sep or not party.strip() or not name.strip():
            raise ModelError(f"expected strategies as party:strategy,..., got {item!r}")
        pairs.append((party.strip(), name.strip()))
    return tuple(pairs)


@dataclass(frozen=True, slots=True)
class NegotiationModel:
    """Agent-based negotiation over the scenario's packages, against a deadline in days.

    Parameters
    ----------
    protocol
        ``"alternating"`` (multilateral alternating offers) or ``"mediated"`` (a
        single negotiating text).
    strategy
        Every party's concession strategy, by name (``boulware``, ``conceder``,
        ``linear``, ``tit-for-tat``, ``reservation-aware``) or as an object.
    strategies
        Per-party overrides, as ``(party, strategy)`` pairs or the text
        ``"russia:boulware,ukraine:tit-for-tat"``.
    deadline_days
        Days until the deadline; nothing after it counts.
    mediator
        A party id, or ``"mediator"`` for a neutral one. With a mediator, parties
        talk only through it. The mediated protocol uses a neutral one by default.
    max_rounds
        Cap on the number of rounds.
    opener
        The party that makes the first offer (alternating offers); drawn at random
        if ``None``.
    delays
        ``"sample"``: each answer's delay is drawn from the party's triangular range;
        ``"mode"``: always the most likely delay.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> result = NegotiationModel().negotiate(random_scenario(3, 4, 3, rng=1), rng=7)
    >>> result.agreed == (result.reason == "")
    True
    """

    protocol: Protocol = "alternating"
    strategy: str | Strategy = "reservation-aware"
    strategies: tuple[tuple[str, str | Strategy], ...] | str = ()
    deadline_days: float = 90.0
    mediator: str | None = None
    max_rounds: int = 200
    opener: str | None = None
    delays: Literal["sample", "mode"] = "sample"

    name: ClassVar[str] = "negotiation"

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise ModelError(f"unknown protocol {self.protocol!r}; expected one of "
                             f"{list(PROTOCOLS)}")
        if isinstance(self.strategies, str):
            object.__setattr__(self, "strategies", _parse_overrides(self.strategies))
        strategy_named(self.strategy)
        for _, named in self.strategies:  # type: ignore[misc]
            strategy_named(named)
        if not (np.isfinite(self.deadline_days) and self.deadline_days > 0):
            raise ModelError(f"expected deadline_days > 0, got {self.deadline_days}")
        if int(self.max_rounds) < 1:
            raise ModelError(f"expected max_rounds >= 1, got {self.max_rounds}")
        if self.delays not in ("sample", "mode"):
            raise ModelError(f"expected delays 'sample' or 'mode', got {self.delays!r}")

    # -- public ----------------------------------------------------------------------------
    def negotiate(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> NegotiationResult:
        """Simulate the talks on ``scenario`` and return the whole story, event log included."""
        offers, outcome, opener = self._play(scenario, rng, record=True)
        return self._result(offers, outcome, opener, rng)

    def run(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast each issue: the position of the agreed option, or of the fallback."""
        offers, outcome, _ = self._play(scenario, rng, record=False)
        forecast = self._forecast(offers, outcome, rng)
        return dataclasses.replace(forecast, metrics=_metrics(scenario, offers, outcome))

    def strategy_of(self, scenario: Scenario) -> tuple[Strategy, ...]:
        """Each party's strategy, in the scenario's order."""
        overrides = dict(self.strategies)  # type: ignore[arg-type]
        unknown = sorted(set(overrides) - set(scenario.party_ids))
        if unknown:
            raise ModelError(f"negotiation: strategy for unknown party {unknown[0]!r}; "
                             f"parties are {list(scenario.party_ids)}")
        return tuple(strategy_named(overrides.get(p, self.strategy)) for p in scenario.party_ids)

    def channels_for(self, scenario: Scenario) -> Channels:
        """The channels: a star around the mediator, or everyone with everyone."""
        mediator = self.mediator
        if self.protocol == "mediated" and mediator is None:
            mediator = NEUTRAL
        try:
            return Channels(scenario.party_ids, mediator)
        except ModelError as error:
            raise ModelError(f"negotiation: {error}") from None

    # -- internals -------------------------------------------------------------------------
    def _play(self, scenario: Scenario, rng: RNGLike | SeedLike,
              record: bool) -> tuple[OfferSpace, Outcome, int | None]:
        strategies = self.strategy_of(scenario)
        channels = self.channels_for(scenario)
        offers = offer_space(scenario)
        generator = as_generator(rng)
        opener = None
        if self.protocol == "alternating":
            opener = self._opener(scenario, generator)
        delays = draw_delays(delay_bounds(scenario.parties), int(self.max_rounds), generator,
                             sample=self.delays == "sample")
        rules = Rules(float(self.deadline_days), int(self.max_rounds))
        if offers.empty:
            return offers, _no_menu(offers, record), opener
        if self.protocol == "alternating":
            assert opener is not None
            outcome = alternating_offers(offers, strategies, channels, delays, opener, rules,
                                         record=record)
        else:
            outcome = single_text(offers, strategies, channels, delays, rules, record=record)
        return offers, outcome, opener

    def _opener(self, scenario: Scenario, generator: np.random.Generator) -> int:
        if self.opener is None:
            return int(generator.integers(len(scenario.parties)))
        if self.opener not in scenario.party_ids:
            raise ModelError(f"negotiation: unknown opener {self.opener!r}; parties are "
                             f"{list(scenario.party_ids)}")
        return scenario.party_ids.index(self.opener)

    def _provenance(self, offers: OfferSpace, rng: RNGLike | SeedLike) -> Provenance:
        seed = int(rng) if isinstance(rng, int | np.integer) else None
        options = tuple(sorted((f.name, getattr(self, f.name)) for f in fields(self)))
        return Provenance(f"zopa.models.{self.name}", options, offers.scenario_hash, seed)

    def _result(self, offers: OfferSpace, outcome: Outcome, opener: int | None,
                rng: RNGLike | SeedLike) -> NegotiationResult:
        space, scenario = offers.space, offers.scenario
        last = outcome.agreed if outcome.agreed is not None else (
            outcome.table[-1] if outcome.rounds else None)
        utilities = {} if last is None else dict(zip(
            space.parties, np.round(offers.package_utilities(last), 9).tolist(), strict=True))
        mediator = self.channels_for(scenario).mediator
        return NegotiationResult(
            scenario.id, self.protocol, space.parties, space.issues,
            None if outcome.agreed is None else space.choices_of(outcome.agreed),
            round(outcome.day, 6), outcome.rounds, outcome.reason,
            None if last is None else space.choices_of(last), utilities,
            {p: s.name for p, s in zip(space.parties, self.strategy_of(scenario), strict=True)},
            mediator, None if opener is None else space.parties[opener], outcome.log,
            self._provenance(offers, rng))

    def _forecast(self, offers: OfferSpace, outcome: Outcome,
                  rng: RNGLike | SeedLike) -> Forecast:
        # imported here, not at the top, so that zopa.models may import this module to
        # register the model without an import cycle
        from zopa.models.base import Forecast

        table = offers.package_positions(outcome.table)
        if outcome.agreed is not None:
            point = offers.package_positions(outcome.agreed)
            point = np.where(np.isnan(offers.consensus), point, offers.consensus)
            notes = (f"agreement on day {outcome.day:g} after {outcome.rounds} rounds",)
        else:
            fallback = table[-1] if outcome.rounds else np.nanmedian(offers.positions, axis=1)
            point = np.where(np.isnan(offers.status_quo), fallback, offers.status_quo)
            notes = (f"breakdown: {outcome.reason}",)
        opening = np.where(np.isnan(offers.status_quo), table[0] if outcome.rounds else point,
                           offers.status_quo)
        return Forecast(
            self.name, offers.space.parties, offers.space.issues, point,
            trajectory=offers.package_positions(outcome.demands),
            outcomes=np.vstack([opening[None, :], table]),
            converged=outcome.agreed is not None, notes=notes,
            provenance=self._provenance(offers, rng))


def _metrics(scenario: Scenario, offers: OfferSpace,
             outcome: Outcome) -> tuple[tuple[str, float], ...]:
    """Agreement, and ratification of the agreement by every ratifier (at the modes)."""
    if outcome.agreed is None:
        return (("agreement", 0.0), ("ratified", 0.0))
    choices = offers.space.choices_of(outcome.agreed)
    return (("agreement", 1.0), ("ratified", 1.0 if approved_by_all(scenario, choices) else 0.0))


def _no_menu(offers: OfferSpace, record: bool) -> Outcome:
    """Breakdown before the talks: red lines rule out every option of some issue."""
    blocked = [issue for issue, ok in zip(offers.space.issues, offers.allowed.any(axis=1),
                                          strict=True) if not ok]
    log = EventLog(offers.space.parties, offers.space.issues, offers.space.options,
                   offers.packages) if record else None
    reason = f"red lines rule out every option of {', '.join(blocked)}"
    if log is not None:
        log.records.append((0.0, -1, -1, ACTIONS.index("breakdown"), None, None))
    wishes = np.nan_to_num(offers.contributions, nan=-np.inf).argmax(axis=1).T
    return Outcome(None, 0.0, 0, reason, np.zeros((0, offers.n_issues), dtype=np.intp),
                   wishes[None, :, :], log)
