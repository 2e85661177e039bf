"""One round of Bueno de Mesquita's expected-utility model, for many issues at once.

The functions here are the arithmetic of a single round, written for arrays laid
out *issues first*: positions ``x`` are ``(m, n)`` for ``m`` issues and ``n``
actors, and every pairwise quantity is ``(m, n, n)`` with ``[:, a, b]`` meaning
"actor ``a`` against actor ``b``". Nothing loops over actors or issues in Python;
the only loop is over chunks of issues in :func:`vote_margins`, to keep the
``(m, n, n, n)`` voter-by-pair tensor small enough to stay in cache.

The model itself, its options and its stopping rule are in
:mod:`zopa.models.expected_utility`; the equations are explained in
``docs/explanation/model-expected-utility.md``.

References
----------
Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method.
In B. Bueno de Mesquita & F. Stokman (eds.), *European Community Decision Making*,
71–104. Yale University Press.
Scholz, J. B., Calbert, G. J., & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
group decision model. *Journal of Theoretical Politics* 23(4), 510–531.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "CAPITULATION",
    "COMPROMISE",
    "CONFLICT",
    "NO_OFFER",
    "OFFER_KINDS",
    "Exchange",
    "expected_utilities",
    "resolve_offers",
    "risk_exponents",
    "vote_margins",
    "win_probabilities",
]

NO_OFFER, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
#: Names of the offer kinds, indexed by the integer codes above.
OFFER_KINDS = ("none", "conflict", "compromise", "capitulation")

_CHUNK_ELEMENTS = 1 << 18  # voter x pair x issue elements per chunk of vote_margins


def vote_margins(distance: np.ndarray, weight: np.ndarray,
                 exponent: np.ndarray | None) -> np.ndarray:
    """Weighted support for each position over each other one, voter by voter.

    ``N[:, i, j] = sum_k w_k * max(0, u_k(x_i) - u_k(x_j))`` where voter ``k``'s
    utility of a position at normalised distance ``d`` is ``-d ** r_k``.

    Parameters
    ----------
    distance
        ``(m, n, n)`` distances between actors' positions divided by the issue's spread.
    weight
        ``(m, n)`` capability x salience of each voter (0 for actors who do not vote).
    exponent
        ``(m, n)`` each voter's risk exponent ``r_k``, or None when all are 1.

    Examples
    --------
    >>> d = np.array([[[0.0, 1.0], [1.0, 0.0]]])
    >>> vote_margins(d, np.array([[2.0, 1.0]]), np.ones((1, 2)))[0]
    array([[0., 2.],
           [1., 0.]])
    """
    m, n, _ = distance.shape
    # loss[:, k, a]: voter k's loss at x_a (no power needed when every r_k is 1)
    loss = distance if exponent is None else distance ** exponent[:, :, None]
    margins = np.empty((m, n, n))
    step = max(1, _CHUNK_ELEMENTS // max(1, n**3))
    for start in range(0, m, step):
        part = loss[start:start + step]
        size = part.shape[0]
        # gain[:, k, i, j] = loss_k(x_j) - loss_k(x_i): how much k prefers x_i to x_j
        gain = part[:, :, None, :] - part[:, :, :, None]
        np.maximum(gain, 0.0, out=gain)
        voters = weight[start:start + step, None, :]
        margins[start:start + step] = (voters @ gain.reshape(size, n, n * n)).reshape(size, n, n)
    return margins


def win_probabilities(margins: np.ndarray, rule: str, active: np.ndarray) -> np.ndarray:
    """``P[:, i, j]``: probability that ``x_i`` prevails over ``x_j`` in a contest.

    Parameters
    ----------
    margins
        ``(m, n, n)`` output of :func:`vote_margins`.
    rule
        ``"paper"``: ``N_ij / (N_ij + N_ji)``, i.e. positive contributions over the
        sum of absolute differences for this pair (0/0 read as an even contest);
        ``"signed"``: ``max(0, N_ij - N_ji) / (N_ij + N_ji)``, the net signed vote;
        ``"scholz"``: ``N_ij`` over the sum of absolute differences over *all*
        voters and *all* ordered pairs of actors, as in Scholz's code.
    active
        ``(m, n)`` actors taking part in each issue (pairs with others are ignored).
    """
    against = np.swapaxes(margins, 1, 2)
    if rule == "scholz":
        pair = active[:, :, None] & active[:, None, :]
        total = 2.0 * np.where(pair, margins, 0.0).sum(axis=(1, 2))
        return np.divide(margins, total[:, None, None], out=np.zeros_like(margins),
                         where=total[:, None, None] > 0)
    total = margins + against
    if rule == "signed":
        numerator = np.maximum(margins - against, 0.0)
        return np.divide(numerator, total, out=np.zeros_like(margins), where=total > 0)
    return np.divide(margins, total, out=np.full_like(margins, 0.5), where=total > 0)


def _utility(inner: np.ndarray, exponent: np.ndarray | None) -> np.ndarray:
    """BdM's utility shape ``2 - 4 * inner ** r`` (inner clipped at 0; ``None`` means r = 1)."""
    inner = np.maximum(inner, 0.0)
    return 2.0 - 4.0 * (inner if exponent is None else inner**exponent)


def expected_utilities(distance: np.ndarray, to_forecast: np.ndarray, probability: np.ndarray,
                       salience: np.ndarray, exponent: np.ndarray | None, q: float,
                       t: float) -> np.ndarray:
    """``E[:, a, b]``: expected utility to actor ``a`` of challenging actor ``b``.

    ``E = s_b [P_ab U_s + (1 - P_ab) U_f] + (1 - s_b) U_s - Q U_sq - (1 - Q)[T U_b + (1 - T) U_w]``
    with ``U_s = 2 - 4(1/2 - d/2)^r``, ``U_f = 2 - 4(1/2 + d/2)^r``,
    ``U_b = 2 - 4(1/2 - (d_mu + d)/4)^r``, ``U_w = 2 - 4(1/2 + (d_mu + d)/4)^r`` and
    ``U_sq = 2 - 4 (1/2)^r``; ``d`` is the normalised distance between ``a`` and ``b``
    and ``d_mu`` that between ``a`` and the current forecast.

    Parameters
    ----------
    distance
        ``(m, n, n)`` normalised distances between actors.
    to_forecast
        ``(m, n)`` normalised distance of each actor from the forecast (used when ``q < 1``).
    probability
        ``(m, n, n)`` win probabilities from :func:`win_probabilities`.
    salience
        ``(m, n)`` saliences in [0, 1]: ``s_b`` is the chance that ``b`` resists.
    exponent
        ``(m, n, n)`` the risk exponent used for each pair, or None when all are 1.
    q, t
        Probability that the status quo persists if nobody challenges it, and
        probability that a change is for the better.
    """
    success = _utility(0.5 - 0.5 * distance, exponent)
    failure = _utility(0.5 + 0.5 * distance, exponent)
    status_quo = 0.0 if exponent is None else 2.0 - 4.0 * 0.5**exponent
    resist = salience[:, None, :]
    value = resist * (probability * success + (1.0 - probability) * failure) \
        + (1.0 - resist) * success - q * status_quo
    if q < 1.0:
        drift = 0.25 * (to_forecast[:, :, None] + distance)
        better = _utility(0.5 - drift, exponent)
        worse = _utility(0.5 + drift, exponent)
        value -= (1.0 - q) * (t * better + (1.0 - t) * worse)
    return value


def risk_exponents(challenge: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Each actor's risk exponent from how exposed its position is to challenges.

    The danger to ``k`` is ``S_k = sum_{j != k} E_j(U_jk)``; with ``S_max``, ``S_min``
    over the issue's actors, ``R_k = (2 S_k - S_max - S_min) / (S_max - S_min)`` and
    ``r_k = (1 - R_k / 3) / (1 + R_k / 3)``, in [1/2, 2]. When every actor is in the
    same danger, ``R = 0`` and ``r = 1``.

    Parameters
    ----------
    challenge
        ``(m, n, n)`` expected utilities of challenges computed with ``r = 1``.
    active
        ``(m, n)`` actors taking part in each issue.
    """
    n = challenge.shape[1]
    others = active[:, :, None] & active[:, None, :] & ~np.eye(n, dtype=bool)[None]
    danger = np.where(others, challenge, 0.0).sum(axis=1)
    high = np.where(active, danger, -np.inf).max(axis=1, keepdims=True)
    low = np.where(active, danger, np.inf).min(axis=1, keepdims=True)
    span = high - low
    relative = np.divide(2.0 * danger - high - low, span, out=np.zeros_like(danger),
                         where=active & (span > 0))
    return (1.0 - relative / 3.0) / (1.0 + relative / 3.0)


@dataclass(frozen=True, slots=True, eq=False)
class Exchange:
    """The offers accepted in one round, one per receiving actor (``(m, n)`` arrays).

    Attributes
    ----------
    position
        Each actor's position after the round (unchanged where it accepted nothing).
    kind
        Code of the accepted offer (index into :data:`OFFER_KINDS`; 0 for none).
    proposer
        Index of the actor whose offer was accepted (-1 for none).
    own_utility, proposer_utility
        ``E_ij`` and ``E_ji`` of the accepted offer, as the receiver ``i`` sees them
        (NaN for none).
    """

    position: np.ndarray
    kind: np.ndarray
    proposer: np.ndarray
    own_utility: np.ndarray
    proposer_utility: np.ndarray


def _classify(own: np.ndarray, other: np.ndarray, eligible: np.ndarray,
              capitulation_as_coded: bool) -> np.ndarray:
    """Offer kind for receiver ``i`` (axis 1) and proposer ``j`` (axis 2)."""
    threat = eligible & (other > 0)
    conflict = threat & (own > 0) & (other > own)
    losing = threat & (own < 0)
    compromise = losing & (other > -own)
    if capitulation_as_coded:
        # Scholz's code tests ``E_ji < |E_ji|``, which never holds when E_ji > 0.
        capitulation = losing & (other < np.abs(other))
    else:
        capitulation = losing & (-own > other)
    kind = np.full(own.shape, NO_OFFER, dtype=np.int8)
    kind[capitulation] = CAPITULATION
    kind[compromise] = COMPROMISE
    kind[conflict] = CONFLICT
    return kind


def _offered_positions(x: np.ndarray, own: np.ndarray, other: np.ndarray,
                       kind: np.ndarray) -> np.ndarray:
    """Where receiver ``i`` would move under each offer from ``j``."""
    mine, theirs = x[:, :, None], x[:, None, :]
    share = np.divide(np.abs(own), other, out=np.zeros_like(own), where=kind == COMPROMISE)
    return np.where(kind == COMPROMISE, mine + (theirs - mine) * share, theirs)


def _choice_key(x: np.ndarray, own: np.ndarray, other: np.ndarray, kind: np.ndarray,
                offered: np.ndarray, resolution: str) -> np.ndarray:
    """Key to minimise over proposers (inf where the offer is not considered)."""
    move = np.abs(offered - x[:, :, None])
    if resolution == "nearest":
        return np.where(kind != NO_OFFER, move, np.inf)
    # Scholz: the first kind available in the order conflict, compromise, capitulation.
    present = [(kind == code).any(axis=2, keepdims=True)
               for code in (CONFLICT, COMPROMISE)]
    chosen = np.where(present[0], CONFLICT, np.where(present[1], COMPROMISE, CAPITULATION))
    mine, theirs = x[:, :, None], x[:, None, :]
    weighted = np.divide(np.abs(own) * mine + np.abs(other) * theirs,
                         np.abs(own) + np.abs(other), out=np.zeros_like(own),
                         where=kind == COMPROMISE)
    key = np.where(kind == COMPROMISE, weighted, move)
    return np.where((kind == chosen) & (kind != NO_OFFER), key, np.inf)


def resolve_offers(x: np.ndarray, own: np.ndarray, other: np.ndarray, eligible: np.ndarray,
                   resolution: str) -> Exchange:
    """Every actor accepts at most one offer; all move at once.

    Parameters
    ----------
    x
        ``(m, n)`` positions at the start of the round.
    own, other
        ``(m, n, n)``: for receiver ``i`` and proposer ``j``, ``E_ij`` (the receiver's
        expected utility of challenging the proposer) and ``E_ji`` (the proposer's
        expected utility of challenging the receiver), both as ``i`` perceives them.
    eligible
        ``(m, n, n)`` pairs that may exchange offers (both active, positions differ).
    resolution
        ``"nearest"``, ``"scholz"`` or ``"scholz_code"`` (see
        :class:`~zopa.models.expected_utility.ExpectedUtility`).
    """
    kind = _classify(own, other, eligible, resolution == "scholz_code")
    offered = _offered_positions(x, own, other, kind)
    key = _choice_key(x, own, other, kind, offered, resolution)
    best = np.argmin(key, axis=2)[:, :, None]
    taken = np.isfinite(np.take_along_axis(key, best, axis=2))[:, :, 0]

    def pick(values: np.ndarray, missing: float) -> np.ndarray:
        return np.where(taken, np.take_along_axis(values, best, axis=2)[:, :, 0], missing)

    return Exchange(
        position=np.where(taken, np.take_along_axis(offered, best, axis=2)[:, :, 0], x),
        kind=np.where(taken, np.take_along_axis(kind, best, axis=2)[:, :, 0], NO_OFFER)
        .astype(np.int8),
        proposer=np.where(taken, best[:, :, 0], -1),
        own_utility=pick(own, np.nan),
        proposer_utility=pick(other, np.nan),
    )
