"""Protocols: multilateral alternating offers, and a mediated single negotiating text.

**Alternating offers** (Rubinstein 1982, extended to many parties). The parties take
turns, in the scenario's order from the opener. The party whose turn it is proposes
the frontier package that meets its current target and is best for the others
(:mod:`zopa.negotiation.offers`); every other party answers, after its response
delay, and accepts iff the package is worth at least its own current target. The
offer is agreed when everyone accepts (and the proposer's own reservation is met),
on the day the last answer is in. Otherwise the next party proposes.

**Single negotiating text** (Fisher's procedure at Camp David, as told by Raiffa
1982). A mediator drafts one text for the whole table: the Nash package of the
current zone of agreement (or, when the zone is empty, the package whose worst-off
party is least far below its reservation). Each party answers with *objections*:
the issues on which it loses most against its best option, as many as it takes to
cover its shortfall to its current target. The mediator revises by moving objected
issues, one option at a time, towards the objectors, keeping a move only if it lowers
the table's total shortfall (the sum of every party's shortfall, so a move that helps
one objector by hurting another as much is not made). If redrafting from scratch
would do better, it redrafts. The text is agreed when nobody objects. The engine is
:class:`zopa.negotiation.mediation.SingleText`.

Both protocols end at the deadline (nothing sent after it counts, and an agreement
needs every answer in by then) or after ``max_rounds`` rounds. Targets come from each
party's strategy (:mod:`zopa.negotiation.strategies`), its floor is its reservation
(on the day, for strategies that track it), and no target is below the party's
current reservation.

References
----------
Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. *Econometrica* 50(1),
97–109.
Raiffa, H. (1982). *The Art and Science of Negotiation*, ch. 14 (the Camp David
negotiations and the single negotiating text). Harvard University Press.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zopa.negotiation.channels import (
    ACTIONS,
    Calendar,
    Channels,
    EventLog,
    alternating_calendar,
    mediated_calendar,
)
from zopa.negotiation.mediation import SingleText
from zopa.negotiation.offers import OfferSpace
from zopa.negotiation.strategies import History, Strategy, time_levels

__all__ = ["Outcome", "Rules", "alternating_offers", "single_text"]

_CODE = {action: code for code, action in enumerate(ACTIONS)}
_PROPOSE, _RELAY, _ACCEPT, _REJECT = (_CODE[a] for a in ("propose", "relay", "accept", "reject"))
_AGREE, _BREAK = _CODE["agreement"], _CODE["breakdown"]


@dataclass(frozen=True, slots=True)
class Rules:
    """What every protocol respects: the deadline (days) and a cap on rounds."""

    deadline_days: float
    max_rounds: int


@dataclass(frozen=True, slots=True, eq=False)
class Outcome:
    """What a protocol produced.

    Attributes
    ----------
    agreed
        Option indices of the agreed package, ``None`` on breakdown.
    day
        Day of the agreement (the last acceptance), or of the breakdown.
    rounds
        Rounds played (offers or drafts that were answered).
    reason
        Why the talks broke down ("" on agreement).
    table
        ``(rounds, n_issues)`` the package on the table in each round.
    demands
        ``(rounds + 1, n_parties, n_issues)`` what each party asked for before the
        talks (its best package) and after each round.
    log
        The event log, if recorded.
    """

    agreed: np.ndarray | None
    day: float
    rounds: int
    reason: str
    table: np.ndarray
    demands: np.ndarray
    log: EventLog | None


class _Targets:
    """Every party's utility target on every move, computed before the talks.

    Levels depend on time and on the levels others revealed, never on the packages
    on the table, so the whole schedule is known in advance: time-only strategies
    in one vectorised call, history-reading ones by replaying the moves in order.
    """

    __slots__ = ("best", "deadline", "floor0", "horizon", "offers", "round_fraction",
                 "strategies", "tracking")

    def __init__(self, offers: OfferSpace, strategies: Sequence[Strategy], rules: Rules,
                 round_fraction: float) -> None:
        self.offers, self.strategies = offers, tuple(strategies)
        self.deadline = self.horizon = rules.deadline_days
        self.round_fraction = round_fraction
        self.best = offers.best
        self.floor0 = offers.floors(np.zeros(()), self.horizon)
        self.tracking = np.array([s.tracks_reservation for s in self.strategies])

    def matrix(self, days: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(targets, floors)``, both ``(R, P)``, for party ``p`` moving on ``days[r, p]``.

        ``order[r]`` lists the parties in the order they move in round ``r``.
        """
        t = days / self.deadline
        levels = np.full(days.shape, np.nan)
        for p, strategy in enumerate(self.strategies):
            found = time_levels(strategy, t[:, p], self.round_fraction)
            if found is not None:
                levels[:, p] = found
        if np.isnan(levels).any():
            levels = self._replay(levels, t, order)
        now = self.offers.floors_of(days, self.horizon)
        floor = np.where(self.tracking, now, self.floor0)
        return np.maximum(floor + levels * (self.best - floor), now), now

    def _replay(self, levels: np.ndarray, t: np.ndarray, order: np.ndarray) -> np.ndarray:
        """Fill in the levels of history-reading strategies, move by move."""
        latest = [1.0] * len(self.strategies)
        histories = [History(p, latest, self.round_fraction) for p in range(len(latest))]
        filled, times = levels.tolist(), t.tolist()
        for r, movers in enumerate(order.tolist()):
            row = filled[r]
            for p in movers:
                if row[p] != row[p]:  # NaN: this strategy reads the history
                    row[p] = self.strategies[p].target(times[r][p], histories[p])
                histories[p].record(row[p])
        return np.array(filled)


def _round_fraction(calendar: Calendar, deadline: float) -> float:
    """The share of the deadline one exchange takes, on average."""
    return float((calendar.end - calendar.start).mean()) / deadline


def _breakdown_reason(played: int, rules: Rules, calendar: Calendar) -> str:
    if played >= rules.max_rounds and calendar.end[played - 1] <= rules.deadline_days:
        return f"no agreement after {rules.max_rounds} rounds (max_rounds)"
    return f"no agreement by the deadline (day {rules.deadline_days:g})"


def _finish(agreed: np.ndarray | None, played: int, rules: Rules, calendar: Calendar,
            table: np.ndarray, demands: np.ndarray, log: EventLog | None) -> Outcome:
    """The outcome, with the closing event in the log."""
    if agreed is not None:
        day = float(calendar.end[played - 1])
        if log is not None:
            log.records.append((day, -1, -1, _AGREE, agreed, None))
        return Outcome(agreed, day, played, "", table, demands, log)
    day = min(rules.deadline_days, float(calendar.end[played - 1])) if played else 0.0
    if log is not None:
        log.records.append((day, -1, -1, _BREAK, table[-1] if played else None, None))
    return Outcome(None, day, played, _breakdown_reason(played, rules, calendar), table,
                   demands, log)


def _new_log(offers: OfferSpace) -> EventLog:
    return EventLog(offers.space.parties, offers.space.issues, offers.space.options,
                    offers.packages)


# -- alternating offers ----------------------------------------------------------------------
def alternating_offers(offers: OfferSpace, strategies: Sequence[Strategy], channels: Channels,
                       delays: np.ndarray, opener: int, rules: Rules, *,
                       record: bool = True) -> Outcome:
    """Multilateral alternating offers (see the module docstring).

    ``delays`` is ``(max_rounds, n_parties)`` response delays in days; ``opener`` the
    index of the party that proposes first.
    """
    n = offers.n_parties
    proposers = (opener + np.arange(rules.max_rounds)) % n
    calendar = alternating_calendar(channels, delays, proposers)
    rounds = min(calendar.rounds_before(rules.deadline_days), rules.max_rounds)
    proposers, each = proposers[:rounds], np.arange(rounds)
    days = calendar.answer[:rounds].copy()
    days[each, proposers] = calendar.start[:rounds]
    order = (proposers[:, None] + np.arange(n)[None, :]) % n
    targets = _Targets(offers, strategies, rules, _round_fraction(calendar, rules.deadline_days))
    wanted, floors = targets.matrix(days, order)
    rows = np.empty(rounds, dtype=np.intp)
    for p in range(n):
        mine = proposers == p
        rows[mine] = offers.offers(p, wanted[mine, p])
    utility = offers.utilities[rows]
    accepts = utility >= wanted
    accepts[each, proposers] = utility[each, proposers] >= floors[each, proposers]
    done = accepts.all(axis=1) & (calendar.end[:rounds] <= rules.deadline_days)
    played = int(np.argmax(done)) + 1 if done.any() else rounds
    table = offers.packages[rows[:played]]
    demands = _offer_demands(offers, proposers[:played], rows[:played])
    log = None
    if record:
        log = _new_log(offers)
        _log_offers(log, calendar, channels.hub, proposers[:played], rows, accepts,
                    rules.deadline_days)
    return _finish(table[-1] if done.any() else None, played, rules, calendar, table, demands,
                   log)


def _log_offers(log: EventLog, calendar: Calendar, hub: int | None, proposers: np.ndarray,
                rows: np.ndarray, accepts: np.ndarray, deadline: float) -> None:
    """Offers, relays through the mediator and answers, in the order they happen (answers
    after the deadline do not count and are left out)."""
    n, played = accepts.shape[1], proposers.size
    starts, relays = calendar.start[:played].tolist(), calendar.relay[:played].tolist()
    answers = calendar.answer[:played]
    order = np.argsort(answers, axis=1, kind="stable").tolist()
    days, yes, offered = answers.tolist(), accepts[:played].tolist(), rows[:played].tolist()
    records = log.records
    for r, p in enumerate(proposers.tolist()):
        day, row = starts[r], offered[r]
        if hub is None or hub == p:
            records.append((day, p, -1, _PROPOSE, row, None))
        else:
            records.append((day, p, hub, _PROPOSE, row, None))
            if day + relays[r] <= deadline:
                records.extend((day + relays[r], hub, q, _RELAY, row, None)
                               for q in range(n) if q not in (p, hub))
        for q in order[r]:
            if q != p and days[r][q] <= deadline:
                records.append((days[r][q], q, p if hub is None or hub == q else hub,
                                _ACCEPT if yes[r][q] else _REJECT, None, None))


def _offer_demands(offers: OfferSpace, proposers: np.ndarray, made: np.ndarray) -> np.ndarray:
    """Each party's latest own offer (its best package before its first) after each round."""
    n, played = offers.n_parties, made.size
    latest = np.zeros((played + 1, n), dtype=np.intp)
    latest[np.arange(1, played + 1), proposers] = np.arange(1, played + 1)
    latest = np.maximum.accumulate(latest, axis=0)
    pool = np.concatenate(([0], made)).astype(np.intp)
    best = np.array([offers.best_row(p) for p in range(n)], dtype=np.intp)
    rows = np.where(latest == 0, best[None, :], pool[latest])
    return offers.packages[rows]


# -- single negotiating text -----------------------------------------------------------------
def single_text(offers: OfferSpace, strategies: Sequence[Strategy], channels: Channels,
                delays: np.ndarray, rules: Rules, *, record: bool = True) -> Outcome:
    """A mediated single negotiating text (see the module docstring).

    ``channels`` must have a mediator (a party or neutral); ``delays`` is
    ``(max_rounds, n_parties)`` response delays in days.
    """
    n = offers.n_parties
    calendar = mediated_calendar(channels, delays)
    rounds = min(calendar.rounds_before(rules.deadline_days), rules.max_rounds)
    targets = _Targets(offers, strategies, rules, _round_fraction(calendar, rules.deadline_days))
    wanted, _ = targets.matrix(calendar.answer[:rounds], np.tile(np.arange(n), (rounds, 1)))
    text = SingleText(offers, wanted, calendar, rules.deadline_days)
    agreed_in = text.run()
    played = rounds if agreed_in is None else agreed_in + 1
    table = text.table[:played]
    log = None
    if record:
        log = _new_log(offers)
        text.log_to(log, channels.hub, played, rules.deadline_days)
    return _finish(None if agreed_in is None else table[-1].copy(), played, rules, calendar,
                   table, text.demands(played), log)
