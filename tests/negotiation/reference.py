"""Plain round-by-round versions of the two protocols, to check the vectorised engines.

They share the engines' building blocks (frontier offers, calendars, strategies) but
play one round, and one move, at a time, with scalar strategy calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zopa.negotiation.channels import Channels, alternating_calendar, mediated_calendar
from zopa.negotiation.offers import OfferSpace
from zopa.negotiation.strategies import History, Strategy


@dataclass
class Played:
    table: list[tuple[int, ...]]
    agreed_round: int | None


class _Aspirations:
    def __init__(self, offers: OfferSpace, strategies: tuple[Strategy, ...], deadline: float,
                 round_fraction: float) -> None:
        self.offers, self.strategies, self.deadline = offers, strategies, deadline
        latest = [1.0] * len(strategies)
        self.histories = [History(p, latest, round_fraction) for p in range(len(strategies))]
        self.floor0 = offers.floors(np.zeros(()), deadline)

    def target(self, party: int, day: float) -> float:
        history = self.histories[party]
        level = self.strategies[party].target(day / self.deadline, history)
        history.record(level)
        now = float(self.offers.floors(np.array([day]), self.deadline)[0, party])
        floor = now if self.strategies[party].tracks_reservation else float(self.floor0[party])
        return max(floor + level * (float(self.offers.best[party]) - floor), now)


def alternating(offers: OfferSpace, strategies: tuple[Strategy, ...], channels: Channels,
                delays: np.ndarray, opener: int, deadline: float, max_rounds: int) -> Played:
    n = offers.n_parties
    proposers = (opener + np.arange(max_rounds)) % n
    calendar = alternating_calendar(channels, delays, proposers)
    fraction = float((calendar.end - calendar.start).mean()) / deadline
    aspirations = _Aspirations(offers, strategies, deadline, fraction)
    table = []
    for r in range(max_rounds):
        if calendar.start[r] > deadline:
            break
        p = int(proposers[r])
        row = offers.offer(p, aspirations.target(p, float(calendar.start[r])))
        table.append(tuple(offers.packages[row]))
        utility = offers.utilities[row]
        floor = offers.floors(np.array([calendar.start[r]]), deadline)[0, p]
        agreed = bool(utility[p] >= floor)
        for step in range(1, n):
            q = (p + step) % n
            agreed &= bool(utility[q] >= aspirations.target(q, float(calendar.answer[r, q])))
        if agreed and calendar.end[r] <= deadline:
            return Played(table, r)
    return Played(table, None)


def mediated(offers: OfferSpace, strategies: tuple[Strategy, ...], channels: Channels,
             delays: np.ndarray, deadline: float, max_rounds: int) -> Played:
    n, m = offers.n_parties, offers.n_issues
    calendar = mediated_calendar(channels, delays)
    fraction = float((calendar.end - calendar.start).mean()) / deadline
    aspirations = _Aspirations(offers, strategies, deadline, fraction)
    best_options, best_value = offers.best_options()
    row = offers.anchor(offers.floors(np.zeros(()), deadline))
    package = offers.packages[row].copy()
    table = []
    for r in range(max_rounds):
        if calendar.start[r] > deadline:
            break
        table.append(tuple(package))
        wanted = np.array([aspirations.target(q, float(calendar.answer[r, q]))
                           for q in range(n)])
        utility = offers.package_utilities(package)
        short = wanted - utility
        if np.all(short <= 0):
            if calendar.end[r] <= deadline:
                return Played(table, r)
            continue
        objected, objectors = set(), 0
        for q in np.flatnonzero(short > 0):
            objectors += bool(np.any(best_value[:, q] > offers.contributions[
                np.arange(m), package, q]))
            here = offers.contributions[np.arange(m), package, q]
            loss = best_value[:, q] - here
            covered = 0.0
            for i in np.argsort(-loss, kind="stable"):
                if loss[i] <= 0 or covered >= short[q]:
                    break
                objected.add(int(i))
                covered += loss[i]
        package = _revise(offers, package, wanted, sorted(objected), objectors)
        day = np.floor(calendar.end[r])
        anchor = offers.anchor(offers.floors(np.array(day), deadline))
        if _total(wanted, offers.utilities[anchor]) < _total(
                wanted, offers.package_utilities(package)) - 1e-12:
            package = offers.packages[anchor].copy()
    return Played(table, None)


def _total(wanted: np.ndarray, utility: np.ndarray) -> float:
    return float(np.maximum(wanted - utility, 0.0).sum())


def _revise(offers: OfferSpace, package: np.ndarray, wanted: np.ndarray, issues: list[int],
            moves: int) -> np.ndarray:
    package = package.copy()
    for _ in range(moves):
        current = _total(wanted, offers.package_utilities(package))
        best = None
        for i in issues:
            for j in np.flatnonzero(offers.allowed[i]):
                trial = package.copy()
                trial[i] = j
                total = _total(wanted, offers.package_utilities(trial))
                if total < current - 1e-12 and (best is None or total < best[0]):
                    best = (total, i, j)
        if best is None:
            break
        package[best[1]] = best[2]
    return package
