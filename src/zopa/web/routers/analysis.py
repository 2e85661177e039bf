"""``/api/scenarios/{name}/...``: the ZOPA, the frontier, solutions, and one package's verdicts.

Every route takes ``?version=`` (default: the latest version) and answers with the
version it used. Results are memoised per version (see :mod:`zopa.web.service`);
routes answer from memory on the event loop when they can (see
:func:`zopa.web.deps.memory_first`), so this module does not postpone annotations.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from zopa.analysis import Concessions, PlanEvaluation
from zopa.analysis.payers import Payers
from zopa.analysis.ratify import Ratification
from zopa.analysis.timeline import AreaClock, Timeline
from zopa.web.deps import NamePath, VersionQuery, memory_first, ref_of, target_of, workspace_of
from zopa.web.errors import ERROR_RESPONSES
from zopa.web.schemas import (
    Analysed,
    DealOut,
    DealRequest,
    FrontierOut,
    FrontierPoint,
    SolutionsOut,
    VetoOut,
    ZopaOut,
)
from zopa.web.service import Deal, Target

__all__ = ["router"]

router = APIRouter(tags=["analysis"], responses=ERROR_RESPONSES)
MAX_FRONTIER_POINTS = 20_000


def _deal(request: Request, name: str, version: str, body: DealRequest) -> tuple[Target, Deal]:
    target = target_of(request, name, version)
    return target, workspace_of(request).deal(target, body.plan, body.choices)


@router.get("/scenarios/{name}/zopa", response_model=Analysed[ZopaOut], summary="The ZOPA")
@memory_first
def zopa(request: Request, name: NamePath, version: VersionQuery = "latest"
         ) -> Analysed[ZopaOut]:
    """Is there a deal every party prefers to walking away? How large; who stands in the way."""
    target = target_of(request, name, version)
    found = workspace_of(request).zopa(target)
    result = ZopaOut(exists=found.exists, space_size=found.space_size,
                     admissible_size=found.admissible_size, size=found.size,
                     frontier_size=len(found.frontier), reach=list(found.reach),
                     vetoed=[VetoOut(party=p, issue=i, option=o) for p, i, o in found.vetoed],
                     closest=found.closest, provenance=found.provenance)
    return Analysed[ZopaOut](scenario=ref_of(target), result=result)


@router.get("/scenarios/{name}/frontier", response_model=Analysed[FrontierOut],
            summary="The Pareto frontier")
@memory_first
def frontier(request: Request, name: NamePath, version: VersionQuery = "latest",
             within_reservations: bool = False,
             limit: Annotated[int, Query(ge=0, le=MAX_FRONTIER_POINTS)] = 100,
             ) -> Analysed[FrontierOut]:
    """The exact Pareto frontier within the red lines (the ZOPA's, if asked); first `limit`."""
    target = target_of(request, name, version)
    workspace = workspace_of(request)

    def build() -> FrontierOut:
        found = workspace.frontier(target, within_reservations)
        utilities, parties = found.utilities, list(found.space.parties)
        points = [FrontierPoint(utilities=dict(zip(parties, utilities[k].tolist(), strict=True)),
                                ties=int(found.ties[k]), choices=found.choices(k))
                  for k in range(min(len(found), limit))]
        return FrontierOut(within_reservations=within_reservations, size=len(found),
                           parties=parties, points=points, provenance=found.provenance)

    result = workspace.memo(("frontier-points", target.key, within_reservations, limit), build)
    return Analysed[FrontierOut](scenario=ref_of(target), result=result)


@router.get("/scenarios/{name}/solutions", response_model=Analysed[SolutionsOut],
            summary="Bargaining solutions")
@memory_first
def solutions(request: Request, name: NamePath, version: VersionQuery = "latest",
              disagreement: Literal["reservations", "zero"] = "reservations",
              ) -> Analysed[SolutionsOut]:
    """Nash, Kalai–Smorodinsky, utilitarian and egalitarian packages (none if no ZOPA)."""
    target = target_of(request, name, version)
    found = workspace_of(request).solutions(target, disagreement)
    result = SolutionsOut(disagreement=disagreement, disagreement_point=found.disagreement,
                          zopa_exists=found.zopa_exists, frontier_size=len(found.frontier),
                          solutions=list(found.solutions), provenance=found.provenance)
    return Analysed[SolutionsOut](scenario=ref_of(target), result=result)


@router.post("/scenarios/{name}/evaluate", response_model=Analysed[PlanEvaluation],
             summary="Evaluate a package")
@memory_first
def evaluate(request: Request, name: NamePath, body: DealRequest,
             version: VersionQuery = "latest") -> Analysed[PlanEvaluation]:
    """Each party's utility against its reservation, who blocks, the minimal unblocking change."""
    target, deal = _deal(request, name, version, body)
    result = workspace_of(request).evaluation(target, deal)
    return Analysed[PlanEvaluation](scenario=ref_of(target), result=result)


@router.post("/scenarios/{name}/ratify", response_model=Analysed[Ratification],
             summary="Who decides")
@memory_first
def ratification(request: Request, name: NamePath, body: DealRequest,
                 version: VersionQuery = "latest") -> Analysed[Ratification]:
    """Each ratifier's verdict: yes share, P(approve), the pivotal group, costly provisions."""
    target, deal = _deal(request, name, version, body)
    result = workspace_of(request).ratification(target, deal)
    return Analysed[Ratification](scenario=ref_of(target), result=result)


@router.post("/scenarios/{name}/payers", response_model=Analysed[Payers], summary="Who pays")
@memory_first
def payers(request: Request, name: NamePath, body: DealRequest,
           version: VersionQuery = "latest") -> Analysed[Payers]:
    """How the package's funding provisions split the bills among payers."""
    target, deal = _deal(request, name, version, body)
    return Analysed[Payers](scenario=ref_of(target),
                            result=workspace_of(request).payers(target, deal))


@router.post("/scenarios/{name}/price-of-peace", response_model=Analysed[Concessions],
             summary="The price of peace")
@memory_first
def price(request: Request, name: NamePath, body: DealRequest,
          version: VersionQuery = "latest") -> Analysed[Concessions]:
    """What each party gives up, issue by issue, against its ideal."""
    target, deal = _deal(request, name, version, body)
    return Analysed[Concessions](scenario=ref_of(target),
                                 result=workspace_of(request).concessions(target, deal))


@router.post("/scenarios/{name}/deal", response_model=Analysed[DealOut],
             summary="Everything about a package")
@memory_first
def deal(request: Request, name: NamePath, body: DealRequest,
         version: VersionQuery = "latest") -> Analysed[DealOut]:
    """Evaluation, ratification, payers and price of peace in one answer (the deal explorer)."""
    target, found = _deal(request, name, version, body)
    workspace = workspace_of(request)
    result = DealOut(plan=found.name, choices=found.choices,
                     evaluation=workspace.evaluation(target, found),
                     ratification=workspace.ratification(target, found),
                     payers=workspace.payers(target, found),
                     concessions=workspace.concessions(target, found))
    return Analysed[DealOut](scenario=ref_of(target), result=result)


@router.get("/scenarios/{name}/timeline", response_model=Analysed[Timeline],
            summary="The ZOPA over time")
@memory_first
def zopa_over_time(request: Request, name: NamePath, version: VersionQuery = "latest",
                   days: Annotated[int, Query(ge=0, le=3650)] = 365,
                   step: Annotated[int, Query(ge=1, le=3650)] = 30) -> Analysed[Timeline]:
    """The ZOPA and its Nash package every `step` days (at most 61 points: `days / step + 1`)."""
    target = target_of(request, name, version)
    return Analysed[Timeline](scenario=ref_of(target),
                              result=workspace_of(request).timeline(target, days, step))


@router.get("/scenarios/{name}/clock", response_model=Analysed[list[AreaClock]],
            summary="The territorial clock")
@memory_first
def clock(request: Request, name: NamePath, version: VersionQuery = "latest"
          ) -> Analysed[list[AreaClock]]:
    """Days until each demanded area would be taken at the observed rates of advance."""
    target = target_of(request, name, version)
    return Analysed[list[AreaClock]](scenario=ref_of(target),
                                     result=list(workspace_of(request).clocks(target)))
