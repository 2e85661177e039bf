"""Normative analysis of a deal space: what is feasible, efficient and fair; who blocks."""

from zopa.analysis.bargaining import CONCEPTS, Solution, Solutions, solve
from zopa.analysis.concessions import Concession, Concessions, price_of_peace
from zopa.analysis.feasibility import PartyReach, ZopaResult, find_zopa
from zopa.analysis.frontier import Frontier, compute_frontier
from zopa.analysis.plans import Change, PartyVerdict, PlanEvaluation, Unblocking, evaluate_plan
from zopa.analysis.results import Provenance
from zopa.analysis.space import FIXED_POINT_UNIT, DealSpace

__all__ = [
    "CONCEPTS",
    "FIXED_POINT_UNIT",
    "Change",
    "Concession",
    "Concessions",
    "DealSpace",
    "Frontier",
    "PartyReach",
    "PartyVerdict",
    "PlanEvaluation",
    "Provenance",
    "Solution",
    "Solutions",
    "Unblocking",
    "ZopaResult",
    "compute_frontier",
    "evaluate_plan",
    "find_zopa",
    "price_of_peace",
    "solve",
]
