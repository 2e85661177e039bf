"""What the routers call: scenario versions from the store and their analyses, memoised.

A version's id is its content hash, so every analysis of it is a pure function of that
id (and the request's parameters): results are kept in a bounded memo and shared by
all requests. The latest version of a name is read from the store at most every
``HEAD_SECONDS`` (a save made through this app is seen at once; one made by another
process within that time), so that a burst of requests does not queue on the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from zopa.analysis import (
    Concessions,
    DealSpace,
    Frontier,
    PlanEvaluation,
    Provenance,
    Solutions,
    ZopaResult,
    compute_frontier,
    find_zopa,
    price_of_peace,
    solve,
)
from zopa.analysis.payers import Payers, who_pays
from zopa.analysis.plans import evaluate_package
from zopa.analysis.ratify import Ratification, ratify
from zopa.analysis.timeline import AreaClock, Timeline, territorial_clock, timeline
from zopa.errors import ScenarioError, ZopaError
from zopa.report import BriefData, collect_brief
from zopa.scenario import Scenario
from zopa.store import Store, Version
from zopa.web.memo import Memo, NotInMemory, work_allowed

__all__ = ["MAX_TIMELINE_POINTS", "Deal", "NotFoundError", "Target", "Workspace"]

logger = logging.getLogger(__name__)
T = TypeVar("T")
MAX_TIMELINE_POINTS = 61
HEAD_SECONDS = 1.0
RATIFICATION_SEED = 0
CUSTOM = "custom package"


class NotFoundError(ZopaError):
    """Something a URL names does not exist (answered with 404)."""


@dataclass(frozen=True, slots=True)
class Target:
    """A scenario version a request is about."""

    version: Version
    scenario: Scenario

    @property
    def key(self) -> str:
        """The content hash: what every analysis of this version is keyed by."""
        return self.version.id


@dataclass(frozen=True, slots=True)
class Deal:
    """A package of a scenario: the choices, their option indices, and what to call it."""

    name: str
    choices: dict[str, str]
    package: tuple[int, ...]

    @property
    def argument(self) -> str | dict[str, str]:
        """What the analysis functions take: the plan's id if it is one, else the choices."""
        return self.choices if self.name == CUSTOM else self.name


class Workspace:
    """The store and the memoised analyses of its versions.

    Parameters
    ----------
    store
        An open store.
    size
        How many results to keep.
    """

    def __init__(self, store: Store, *, size: int = 512, head_seconds: float = HEAD_SECONDS
                 ) -> None:
        self.store = store
        self._memo = Memo(size)
        self._head_seconds = head_seconds
        self._heads: dict[str, tuple[float, Version]] = {}
        self._lock = threading.Lock()

    # -- versions -------------------------------------------------------------------------------
    def head(self, name: str) -> Version:
        """The latest version of ``name`` (the catalog's ukraine-2025 is saved on first use)."""
        now = time.monotonic()
        with self._lock:
            seen = self._heads.get(name)
        if seen is not None and now - seen[0] < self._head_seconds:
            return seen[1]
        if not work_allowed():
            raise NotInMemory(("head", name))
        version = self.store.scenarios.head(name)
        if version is None:
            known = list(self.store.scenarios.names())
            raise NotFoundError(f"no scenario named {name!r}; scenarios in the store: {known}")
        self._remember(version, now)
        return version

    def saved(self, version: Version) -> None:
        """Note a version this app just saved: it is the latest of its name from now on."""
        self._remember(version, time.monotonic())

    def _remember(self, version: Version, when: float) -> None:
        with self._lock:
            known = self._heads.get(version.name)
            if known is None or known[1].number <= version.number:
                self._heads[version.name] = (when, version)

    def version(self, name: str, reference: str = "latest") -> Version:
        """The version of ``name`` a reference names (``latest``, ``@N`` or a hash prefix)."""
        head = self.head(name)
        if reference == "latest":
            return head
        if not work_allowed():
            raise NotInMemory(("version", name, reference))
        return self.store.scenarios.get(name, reference)

    def target(self, name: str, reference: str = "latest") -> Target:
        """A version and its scenario (loaded once per content hash)."""
        version = self.version(name, reference)
        scenario = self._memo.get(("scenario", version.id),
                                  lambda: self.store.scenarios.load(version))
        return Target(version, scenario)

    def memo(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """A result kept for later requests; ``key`` must include the content hash."""
        return self._memo.get(key, compute)

    def forget(self) -> None:
        """Drop every memoised result."""
        self._memo.clear()

    # -- the deal space -------------------------------------------------------------------------
    def space(self, target: Target) -> DealSpace:
        return self._memo.get(("space", target.key),
                              lambda: DealSpace.from_scenario(target.scenario))

    def deal(self, target: Target, plan: str | None, changes: Mapping[str, str]) -> Deal:
        """Resolve a plan and/or option choices into a full package.

        The package is named after the plan it equals, if any (so that a plan picked
        option by option is recognised), else ``custom package``.

        Raises
        ------
        ScenarioError
            For an unknown plan, issue or option, or when neither a plan nor a choice for
            every issue is given.
        """
        scenario = target.scenario
        choices: dict[str, str] = {}
        if plan is not None:
            ids = [p.id for p in scenario.proposals]
            if plan not in ids:
                raise ScenarioError(f"unknown plan {plan!r}; expected one of {ids}",
                                    path=("plan",))
            choices = dict(scenario.proposal(plan).choices)
        elif not changes:
            raise ScenarioError("expected a plan or a choice of option for every issue",
                                path=("choices",))
        for issue in changes:
            if issue not in scenario.issue_ids:
                raise ScenarioError(f"unknown issue {issue!r}; expected one of "
                                    f"{list(scenario.issue_ids)}", path=("choices", issue))
        choices.update(changes)
        try:
            package = self.space(target).package_from_choices(choices)
        except ScenarioError as error:
            raise ScenarioError(error.message, path=("choices", *error.path)) from None
        full = {i: choices[i] for i in scenario.issue_ids}
        named = [p.id for p in scenario.proposals if dict(p.choices) == full]
        name = plan if plan in named else (named[0] if named else CUSTOM)
        return Deal(name, full, package)

    # -- analyses -------------------------------------------------------------------------------
    def zopa(self, target: Target) -> ZopaResult:
        return self._memo.get(("zopa", target.key), lambda: find_zopa(target.scenario))

    def frontier(self, target: Target, within_reservations: bool) -> Frontier:
        return self._memo.get(("frontier", target.key, within_reservations),
                              lambda: compute_frontier(target.scenario,
                                                       within_reservations=within_reservations))

    def solutions(self, target: Target, disagreement: Literal["reservations", "zero"]
                  ) -> Solutions:
        return self._memo.get(("solve", target.key, disagreement),
                              lambda: solve(target.scenario, disagreement=disagreement))

    def evaluation(self, target: Target, deal: Deal) -> PlanEvaluation:
        def compute() -> PlanEvaluation:
            made = Provenance("zopa.analysis.plans.evaluate_plan", (("plan", deal.name),),
                              target.key)
            return evaluate_package(self.space(target), deal.package, name=deal.name,
                                    made=made, closest=self.zopa(target).closest)

        return self._memo.get(("evaluate", target.key, deal.package, deal.name), compute)

    def ratification(self, target: Target, deal: Deal) -> Ratification:
        return self._memo.get(("ratify", target.key, deal.package, deal.name),
                              lambda: ratify(target.scenario, deal.argument,
                                             rng=RATIFICATION_SEED))

    def payers(self, target: Target, deal: Deal) -> Payers:
        return self._memo.get(("payers", target.key, deal.package, deal.name),
                              lambda: who_pays(target.scenario, deal.argument))

    def concessions(self, target: Target, deal: Deal) -> Concessions:
        return self._memo.get(("concessions", target.key, deal.package, deal.name),
                              lambda: price_of_peace(target.scenario, deal.argument))

    def timeline(self, target: Target, days: int, step: int) -> Timeline:
        if days < 0 or step < 1 or days // step + 1 > MAX_TIMELINE_POINTS:
            raise ScenarioError(f"expected days >= 0, step >= 1 and at most "
                                f"{MAX_TIMELINE_POINTS} points (days / step + 1); got "
                                f"days={days}, step={step}", path=("days",))
        return self._memo.get(("timeline", target.key, days, step),
                              lambda: timeline(target.scenario, days=days, step=step))

    def clocks(self, target: Target) -> tuple[AreaClock, ...]:
        return self._memo.get(("clock", target.key), lambda: territorial_clock(target.scenario))

    def brief(self, target: Target, plan: str) -> BriefData:
        """The brief's data for one plan: the frontier and time pages draw its figures."""
        return self._memo.get(("brief", target.key, plan),
                              lambda: collect_brief(target.scenario, plan))

    def warm(self, name: str, stop: threading.Event | None = None) -> None:
        """Compute the latest version's expensive results ahead of the first visitor.

        Stops between steps once ``stop`` is set (the server is shutting down).
        """
        halt = stop or threading.Event()
        try:
            target = self.target(name)
            steps: list[Callable[[], object]] = [lambda: self.zopa(target),
                                                 lambda: self.solutions(target, "zero")]
            for proposal in target.scenario.proposals:
                deal = self.deal(target, proposal.id, {})
                steps += [lambda deal=deal: self.evaluation(target, deal),  # type: ignore[misc]
                          lambda deal=deal: self.ratification(target, deal)]  # type: ignore[misc]
            if target.scenario.proposals:
                steps.append(lambda: self.brief(target, target.scenario.proposals[0].id))
                steps.append(lambda: self.timeline(target, 365, 30))
            for step in steps:
                if halt.is_set():
                    return
                step()
        except Exception as error:  # warming is an optimisation: never fatal
            logger.info("not warming %s: %s", name, error)
