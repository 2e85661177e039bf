"""The engine of the mediated single negotiating text (see :mod:`zopa.negotiation.protocols`).

A mediator keeps one text on the table. Each round every party accepts it or objects,
naming the issues where it loses most against its best options, as many as cover its
shortfall to its current target (a party that already has its best option on every
issue objects without naming any: it wants more than any package gives). The mediator
revises: it sets objected issues to other options, one move at a time and at most one
per party that named an issue, keeping a move only if it lowers the table's total
shortfall, and it redrafts from the Nash package of the day
(:meth:`zopa.negotiation.offers.OfferSpace.anchor`) when that would do better.

References
----------
Raiffa, H. (1982). *The Art and Science of Negotiation*, ch. 14. Harvard University Press.
"""

from __future__ import annotations

import numpy as np

from zopa.negotiation.channels import ACTIONS, Calendar, EventLog
from zopa.negotiation.offers import OfferSpace

__all__ = ["SingleText"]

_DRAFT, _OBJECT, _ACCEPT = (ACTIONS.index(a) for a in ("draft", "object", "accept"))
_GAIN_TOLERANCE = 1e-12


class SingleText:
    """The mediator's text, answered and revised round after round.

    While the text stands, everything about the coming rounds is known at once:
    each party's shortfall, its objections, and whether any move (or a fresh
    draft) would lower the total shortfall. So the rounds are run in blocks, from
    one revision to the next, each block in a few array operations. A *move* sets
    one issue to one option; the ``(P, moves)`` table ``flat`` holds every move's
    contribution to every party.
    """

    __slots__ = ("anchor_rows", "anchor_short", "best_options", "best_value", "calendar",
                 "flat", "here", "in_time", "issue_of", "objected", "objecting", "offers",
                 "open", "option_of", "package", "table", "utility", "wanted",
                 "wanted_by_party")

    def __init__(self, offers: OfferSpace, wanted: np.ndarray, calendar: Calendar,
                 deadline: float) -> None:
        rounds, n = wanted.shape
        self.offers, self.wanted, self.calendar = offers, wanted, calendar
        self.wanted_by_party = np.ascontiguousarray(wanted.T)
        self.in_time = calendar.end[:rounds] <= deadline
        self.best_options, self.best_value = offers.best_options()
        self.flat, self.open, self.issue_of, self.option_of = offers.moves()
        self.table = np.zeros((rounds, offers.n_issues), dtype=np.intp)
        self.objected = np.zeros((rounds, offers.n_issues, n), dtype=bool)
        self.objecting = np.zeros((rounds, n), dtype=bool)
        self.anchor_rows = offers.anchors(np.concatenate(([0.0], calendar.end[:rounds])),
                                          deadline)
        self.anchor_short = np.maximum(
            wanted - offers.utilities[self.anchor_rows[1:]], 0.0).sum(axis=1)
        self._draft(int(self.anchor_rows[0]))

    def run(self) -> int | None:
        """Play every round; the round of the agreement, or ``None``."""
        start, rounds = 0, self.wanted.shape[0]
        while start < rounds:
            event, agreed, move, usable = self._block(start)
            if agreed:
                return event
            if event >= rounds:
                return None
            self._revise(event, move, usable)
            start = event + 1
        return None

    def _draft(self, row: int) -> None:
        """Put a frontier package on the table; ``here`` is ``(P, n_issues)``, what its
        option on each issue gives each party."""
        self.package = self.offers.packages[row].copy()
        self.utility = self.offers.utilities[row].copy()
        self.here = self.offers.contributions[np.arange(self.package.size), self.package].T

    def _block(self, start: int) -> tuple[int, bool, int | None, np.ndarray | None]:
        """Rounds from ``start`` under the current text, up to the first agreement or
        revision: ``(that round, agreed, the best move then if it helps, the moves on the
        issues objected to then)``, or ``(rounds, False, None, None)`` if none comes."""
        wanted = self.wanted[start:]
        short = wanted - self.utility
        objected = self._objections(short)
        self.table[start:] = self.package
        self.objected[start:] = objected
        self.objecting[start:] = short > 0
        moved = (self.utility[:, None] - self.here[:, self.issue_of]) + self.flat
        gap = self.wanted_by_party[:, start:, None] - moved[:, None, :]
        after = np.maximum(gap, 0.0, out=gap).sum(axis=0)
        usable = objected.any(axis=2)[:, self.issue_of] & self.open
        after = np.where(usable, after, np.inf)
        choice = after.argmin(axis=1)
        best_move = after[np.arange(choice.size), choice]
        current = np.maximum(short, 0.0).sum(axis=1)
        agreed = (current == 0) & self.in_time[start:]
        better = np.minimum(best_move, self.anchor_short[start:]) < current - _GAIN_TOLERANCE
        events = agreed | better
        if not events.any():
            return self.wanted.shape[0], False, None, None
        first = int(np.argmax(events))
        helps = best_move[first] < current[first] - _GAIN_TOLERANCE
        return (start + first, bool(agreed[first]), int(choice[first]) if helps else None,
                usable[first])

    def _objections(self, short: np.ndarray) -> np.ndarray:
        """``(B, n_issues, P)`` the issues each objector names in each round: its largest
        losses against its best options, as many as cover its shortfall."""
        loss = self.best_value - self.here.T
        order = np.argsort(-loss, axis=0, kind="stable")
        ranked = loss[order, np.arange(loss.shape[1])]
        needed = (np.cumsum(ranked, axis=0)[None] < short[:, None, :]).sum(axis=1) + 1
        needed = np.minimum(needed, (ranked > 0).sum(axis=0))
        rank = np.argsort(order, axis=0, kind="stable")
        return (rank[None] < needed[:, None, :]) & (short > 0)[:, None, :]

    def _revise(self, r: int, move: int | None, usable: np.ndarray | None) -> None:
        """Make ``move`` (the best one, found by :meth:`_block`), then more moves on the
        objected issues (at most one per objector) while they lower the total shortfall;
        redraft if a fresh draft would do better."""
        objected, wanted = self.objected[r], self.wanted[r][:, None]
        current = float(np.maximum(self.wanted[r] - self.utility, 0.0).sum())
        if move is not None:
            current = self._move(move, wanted)
            moves = np.flatnonzero(usable)
            issue_of, flat = self.issue_of[moves], self.flat[:, moves]
            for _ in range(int(objected.any(axis=0).sum()) - 1):
                moved = (self.utility[:, None] - self.here[:, issue_of]) + flat
                total = np.maximum(wanted - moved, 0.0).sum(axis=0)
                k = int(np.argmin(total))
                if not total[k] < current - _GAIN_TOLERANCE:
                    break
                current = self._move(int(moves[k]), wanted)
        if self.anchor_short[r] < current - _GAIN_TOLERANCE:
            self._draft(int(self.anchor_rows[r + 1]))

    def _move(self, move: int, wanted: np.ndarray) -> float:
        """Set one issue to one option; the new total shortfall."""
        issue, column = self.issue_of[move], self.flat[:, move]
        self.utility = self.utility - self.here[:, issue] + column
        self.package[issue] = self.option_of[move]
        self.here[:, issue] = column
        return float(np.maximum(wanted[:, 0] - self.utility, 0.0).sum())

    def demands(self, played: int) -> np.ndarray:
        """Each party's demand: its best options, then the text with its objections."""
        best = self.best_options.T
        asked = np.where(self.objected[:played].transpose(0, 2, 1), best[None],
                         self.table[:played, None, :])
        return np.concatenate((best[None], asked))

    def log_to(self, log: EventLog, hub: int | None, played: int, deadline: float) -> None:
        """Drafts and answers, in the order they happen (answers after the deadline do
        not count and are left out)."""
        n = self.offers.n_parties
        sender = n if hub is None else hub
        starts = self.calendar.start[:played].tolist()
        answers = self.calendar.answer[:played]
        order = np.argsort(answers, axis=1, kind="stable").tolist()
        days, objecting = answers.tolist(), self.objecting[:played].tolist()
        wishes = [self.best_options[:, q] for q in range(n)]
        records = log.records
        for r in range(played):
            records.append((starts[r], sender, -1, _DRAFT, self.table[r], None))
            for q in order[r]:
                day = days[r][q]
                if q == hub or day > deadline:
                    continue
                if objecting[r][q]:
                    records.append((day, q, sender, _OBJECT, wishes[q], self.objected[r, :, q]))
                else:
                    records.append((day, q, sender, _ACCEPT, None, None))
