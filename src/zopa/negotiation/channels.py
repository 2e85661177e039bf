"""Channels: who talks to whom, how long each party takes to answer, and the event log.

**Who talks to whom.** By default every party talks to every other directly (a
conference). With a *mediator* the channels form a star: parties talk only to the
mediator, who carries every message between them (shuttle diplomacy). The
mediator is one of the parties (e.g. the United States between Russia and Ukraine)
or a neutral third party (``"mediator"``).

**Response delays.** Each party takes its own number of days to answer a message or
to formulate a counter-proposal: the Kremlin "will study it and formulate its
position". They come from the party's ``response_delay_days`` in the scenario (an
uncertain number; 1 day where a scenario file gives none). Each answer's delay is drawn
from the triangular distribution (low, mode, high), or fixed at the mode. A
neutral mediator takes :data:`NEUTRAL_MEDIATOR_DAYS` to relay or redraft; a mediating
party takes its own delay.

**The event log** records every message: the day it was sent, sender, receiver,
action and the package it carries (``receiver == "all"`` for a message to the
whole table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zopa.errors import ModelError
from zopa.scenario import Party

__all__ = [
    "ACTIONS",
    "ALL",
    "DEFAULT_DELAY_DAYS",
    "NEUTRAL",
    "NEUTRAL_MEDIATOR_DAYS",
    "Calendar",
    "Channels",
    "Event",
    "EventLog",
    "alternating_calendar",
    "delay_bounds",
    "draw_delays",
    "mediated_calendar",
]

ALL = "all"
"""Receiver of a message to the whole table."""
NEUTRAL = "mediator"
"""Name of a neutral mediator (not a party)."""
DEFAULT_DELAY_DAYS = 1.0
NEUTRAL_MEDIATOR_DAYS = 1.0
ACTIONS = ("propose", "relay", "accept", "reject", "draft", "object", "agreement", "breakdown")
"""Every action an event can carry, in the codes the protocols record."""


@dataclass(frozen=True, slots=True)
class Event:
    """One message of the talks.

    Attributes
    ----------
    day
        Day the message was sent (0 = the start of the talks).
    sender, receiver
        Party ids, ``"mediator"`` for a neutral mediator, ``"all"`` for everybody.
    action
        One of :data:`ACTIONS`.
    package
        ``(issue, option)`` pairs: the package proposed, drafted, relayed or agreed;
        for an objection, the options the objector asks for on the issues it objects
        to; empty for a plain answer.
    detail
        Words: e.g. the reason of a breakdown.
    """

    day: float
    sender: str
    receiver: str
    action: str
    package: tuple[tuple[str, str], ...] = ()
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {"day": self.day, "from": self.sender, "to": self.receiver,
                "action": self.action, "package": dict(self.package), "detail": self.detail}


class EventLog:
    """Compact record of the talks; :meth:`events` turns it into :class:`Event` objects.

    The protocols append raw tuples ``(day, sender, receiver, action, package,
    issues)``: indices into ``names`` (``-1`` = all, ``n_parties`` = the neutral
    mediator), an index into :data:`ACTIONS`, a frontier row or an option-index
    array, and a mask of the issues an objection concerns (``None`` for every issue).
    Turning them into objects only when asked keeps the simulation fast.
    """

    __slots__ = ("_issues", "_names", "_options", "_rows", "records")

    def __init__(self, parties: Sequence[str], issues: Sequence[str],
                 options: Sequence[Sequence[str]], rows: np.ndarray) -> None:
        self._names = (*parties, NEUTRAL)
        self._issues = tuple(issues)
        self._options = tuple(tuple(o) for o in options)
        self._rows = rows
        self.records: list[tuple[float, int, int, int, object, object]] = []

    def __len__(self) -> int:
        return len(self.records)

    def _name(self, index: int) -> str:
        return ALL if index < 0 else self._names[index]

    def _package(self, package: object, issues: list[int] | None) -> tuple[tuple[str, str], ...]:
        if package is None:
            return ()
        chosen = self._rows[package] if isinstance(package, int | np.integer) else package
        which = range(len(self._issues)) if issues is None else issues
        return tuple((self._issues[i], self._options[i][int(chosen[i])])  # type: ignore[index]
                     for i in which)

    def _event(self, record: tuple[float, int, int, int, object, object]) -> Event:
        day, sender, receiver, action, package, issues = record
        which = None if issues is None else np.flatnonzero(issues).tolist()
        detail = ""
        if ACTIONS[action] == "object" and which is not None:
            detail = ("objects to " + ", ".join(self._issues[i] for i in which) if which
                      else "wants more than any package gives")
        return Event(round(float(day), 6), self._name(sender), self._name(receiver),
                     ACTIONS[action], self._package(package, which), detail)

    def events(self) -> tuple[Event, ...]:
        """Every message, in the order the protocols recorded them."""
        return tuple(self._event(record) for record in self.records)


@dataclass(frozen=True, slots=True)
class Channels:
    """Who talks to whom: everyone directly, or everyone through a mediator.

    Parameters
    ----------
    parties
        Party ids, in the scenario's order.
    mediator
        ``None`` (everyone talks to everyone), a party id, or ``"mediator"`` for a
        neutral mediator.

    Examples
    --------
    >>> c = Channels(("ru", "ua", "us"), mediator="us")
    >>> c.talks("ru", "us"), c.talks("ru", "ua"), c.hub
    (True, False, 2)
    """

    parties: tuple[str, ...]
    mediator: str | None = None

    def __post_init__(self) -> None:
        if self.mediator is not None and self.mediator not in (*self.parties, NEUTRAL):
            raise ModelError(f"unknown mediator {self.mediator!r}; expected a party id "
                             f"{list(self.parties)} or {NEUTRAL!r}")

    @property
    def hub(self) -> int | None:
        """Index of the mediator: a party's index, ``len(parties)`` if neutral, else ``None``."""
        if self.mediator is None:
            return None
        if self.mediator == NEUTRAL:
            return len(self.parties)
        return self.parties.index(self.mediator)

    @property
    def neutral(self) -> bool:
        return self.mediator == NEUTRAL

    def talks(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` talk directly."""
        return self.mediator is None or self.mediator in (a, b)

    def hops(self) -> np.ndarray:
        """``(P, P)`` 1 where a message between two parties passes through the mediator."""
        n = len(self.parties)
        relayed = np.zeros((n, n))
        hub = self.hub
        if hub is not None:
            relayed[:, :] = 1.0
            if hub < n:
                relayed[hub, :] = relayed[:, hub] = 0.0
            np.fill_diagonal(relayed, 0.0)
        return relayed


def delay_bounds(parties: Sequence[Party]) -> np.ndarray:
    """``(3, P)`` low, mode and high response delay (days) of each party.

    From each party's ``response_delay_days`` (an uncertain number; the scenario
    format defaults it to :data:`DEFAULT_DELAY_DAYS`).
    """
    return np.array([[p.response_delay_days.low, p.response_delay_days.mode,
                      p.response_delay_days.high] for p in parties], dtype=float).T.reshape(
        3, len(parties))


def draw_delays(bounds: np.ndarray, rounds: int, rng: np.random.Generator,
                *, sample: bool) -> np.ndarray:
    """``(rounds, P)`` response delays: triangular draws, or the modes if not ``sample``.

    One uniform draw per entry, mapped through the triangular inverse CDF, so the
    number of random numbers consumed does not depend on the scenario's ranges.
    """
    low, mode, high = bounds
    if not sample or np.all(low == high):
        return np.broadcast_to(mode, (rounds, mode.size)).copy()
    u = rng.random((rounds, mode.size))
    span = np.where(high > low, high - low, 1.0)
    split = (mode - low) / span
    rising = low + np.sqrt(u * span * (mode - low))
    falling = high - np.sqrt((1.0 - u) * span * (high - mode))
    return np.where(high > low, np.where(u < split, rising, falling), mode)


@dataclass(frozen=True, slots=True, eq=False)
class Calendar:
    """When each round of the talks happens.

    Attributes
    ----------
    start
        ``(R,)`` day each round's offer or draft is sent.
    answer
        ``(R, P)`` day each party answers it (for a mediating party: the day the
        mediator has every answer and decides for itself).
    end
        ``(R,)`` day every answer is in (an agreement is made on this day).
    relay
        ``(R,)`` days the mediator takes to pass a message on or redraft (0 without one).
    """

    start: np.ndarray
    answer: np.ndarray
    end: np.ndarray
    relay: np.ndarray

    def rounds_before(self, deadline: float) -> int:
        """Number of rounds whose offer or draft goes out no later than ``deadline``."""
        return int(np.searchsorted(self.start, deadline, side="right"))


def _relay_days(channels: Channels, delays: np.ndarray) -> np.ndarray:
    hub = channels.hub
    if hub is None:
        return np.zeros(delays.shape[0])
    if channels.neutral:
        return np.full(delays.shape[0], NEUTRAL_MEDIATOR_DAYS)
    return delays[:, hub].copy()


def alternating_calendar(channels: Channels, delays: np.ndarray,
                         proposers: np.ndarray) -> Calendar:
    """Days of alternating offers: each offer reaches the others (through the mediator,
    if any), each answers after its delay, and the next offer goes out when every
    answer is back.
    """
    rounds, n = delays.shape
    relay = _relay_days(channels, delays)
    hops = channels.hops()
    out = relay[:, None] * hops[proposers]
    back = relay[:, None] * hops[:, proposers].T
    answer_offset = out + delays
    others = np.arange(n)[None, :] != proposers[:, None]
    if n > 1:
        duration = np.where(others, answer_offset + back, -np.inf).max(axis=1)
    else:
        duration = delays[:, 0].copy()
    start = np.concatenate(([0.0], np.cumsum(duration)[:-1]))
    return Calendar(start, start[:, None] + answer_offset, start + duration, relay)


def mediated_calendar(channels: Channels, delays: np.ndarray) -> Calendar:
    """Days of a mediated text: the mediator sends the text to every party, each answers
    after its delay, and the mediator redrafts once every answer is in.
    """
    rounds, n = delays.shape
    relay = _relay_days(channels, delays)
    hub = channels.hub
    answering = np.arange(n) != hub
    if answering.any():
        collect = delays[:, answering].max(axis=1)
    else:
        collect = np.zeros(rounds)
    start = np.concatenate(([0.0], np.cumsum(collect + relay)[:-1]))
    end = start + collect
    answer = start[:, None] + delays
    if hub is not None and hub < n:
        answer[:, hub] = end
    return Calendar(start, answer, end, relay)
