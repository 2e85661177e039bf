"""The pages: overview, deal explorer, frontier, forecast, time, versions.

Each page is rendered on the server from the same memoised analyses the API serves;
the deal explorer, the forecasts and the version editor then talk to the JSON API
from small scripts in ``static/``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zopa.errors import ScenarioError
from zopa.models import REGISTRY
from zopa.report.assumptions import value_text
from zopa.web import charts
from zopa.web.deps import NamePath, settings_of, target_of, templates_of, workspace_of
from zopa.web.edits import editable_values
from zopa.web.routers.assets import PLOTLY_PATH
from zopa.web.routers.scenarios import version_out
from zopa.web.service import Target

__all__ = ["PAGES", "router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PlanQuery = Annotated[str | None, Query(max_length=100, description="a named plan")]
PAGES: tuple[tuple[str, str, str], ...] = (
    ("overview", "", "Overview"),
    ("explore", "/explore", "Deal explorer"),
    ("frontier", "/frontier", "Frontier"),
    ("forecast", "/forecast", "Forecast"),
    ("time", "/time", "Time"),
    ("versions", "/versions", "Versions"),
)


def _render(request: Request, template: str, page: str, target: Target,
            **context: Any) -> Response:
    names = workspace_of(request).store.scenarios.names()
    base = {"page": page, "pages": PAGES, "name": target.version.name,
            "version": target.version, "scenario": target.scenario, "names": names,
            "plotly_path": PLOTLY_PATH, "value_text": value_text,
            "party_names": {p.id: p.name for p in target.scenario.parties}}
    return templates_of(request).TemplateResponse(request, template, {**base, **context})


def _plan(target: Target, plan: str | None) -> str | None:
    ids = [p.id for p in target.scenario.proposals]
    if plan is None:
        return ids[0] if ids else None
    if plan not in ids:
        raise ScenarioError(f"unknown plan {plan!r}; expected one of {ids}", path=("plan",))
    return plan


@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse(f"/scenarios/{settings_of(request).scenario}", status_code=307)


@router.get("/scenarios/{name}")
def overview(request: Request, name: NamePath) -> Response:
    target = target_of(request, name)
    figure = workspace_of(request).memo(("figure", "overview", target.key), lambda: (
        charts.figure_html(charts.overview_chart(target.scenario), "overview")))
    sources = {s.key: s for s in target.scenario.sources}
    return _render(request, "overview.html.j2", "overview", target, figure=figure,
                   sources=sources)


@router.get("/scenarios/{name}/explore")
def explore(request: Request, name: NamePath, plan: PlanQuery = None) -> Response:
    """The deal explorer, starting from a plan, with ``?ISSUE=OPTION`` changes from it."""
    target = target_of(request, name)
    scenario = target.scenario
    chosen = _plan(target, plan)
    changes = {i.id: request.query_params[i.id] for i in scenario.issues
               if request.query_params.get(i.id) in i.option_ids}
    if plan is None and changes:
        chosen = None
    start = dict(scenario.proposal(chosen).choices) if chosen else {
        i.id: (i.status_quo or i.options[0].id) for i in scenario.issues}
    start.update(changes)
    data = {"name": name, "plan": chosen, "choices": start,
            "parties": {p.id: p.name for p in scenario.parties},
            "issues": {i.id: {"name": i.name, "options": {o.id: o.label for o in i.options}}
                       for i in scenario.issues},
            "plans": {p.id: dict(p.choices) for p in scenario.proposals},
            "groups": {r.id: {g.id: g.name for g in r.groups} for r in scenario.ratifiers}}
    return _render(request, "explore.html.j2", "explore", target, plan=chosen, start=start,
                   data=data)


@router.get("/scenarios/{name}/frontier")
def frontier(request: Request, name: NamePath, plan: PlanQuery = None) -> Response:
    target = target_of(request, name)
    chosen = _plan(target, plan)
    workspace = workspace_of(request)
    zopa = workspace.zopa(target)
    basis = "reservations" if zopa.exists else "zero"
    solutions = workspace.solutions(target, basis)  # type: ignore[arg-type]
    figure = None
    if chosen is not None:
        brief = workspace.brief(target, chosen)
        figure = workspace.memo(("figure", "frontier", target.key, chosen), lambda: (
            charts.figure_html(charts.frontier_chart(brief, solutions.get("kalai-smorodinsky")),
                               "frontier")))
    proposals = [(p, workspace.evaluation(target, workspace.deal(target, p.id, {})))
                 for p in target.scenario.proposals]
    return _render(request, "frontier.html.j2", "frontier", target, plan=chosen, zopa=zopa,
                   basis=basis, solutions=solutions, figure=figure, proposals=proposals)


@router.get("/scenarios/{name}/forecast")
def forecast(request: Request, name: NamePath) -> Response:
    target = target_of(request, name)
    scenario = target.scenario
    data = {"name": name, "max_runs": request.app.state.jobs.max_runs,
            "issues": {i.id: {"name": i.name, "low": i.low_label, "high": i.high_label,
                              "options": [{"id": o.id, "label": o.label,
                                           "position": o.position.value} for o in i.options]}
                       for i in scenario.issues}}
    models = [(n, (m.__doc__ or "").strip().splitlines()[0]) for n, m in sorted(REGISTRY.items())]
    return _render(request, "forecast.html.j2", "forecast", target, models=models, data=data)


@router.get("/scenarios/{name}/time")
def time(request: Request, name: NamePath, plan: PlanQuery = None) -> Response:
    target = target_of(request, name)
    chosen = _plan(target, plan)
    workspace = workspace_of(request)
    clocks = workspace.clocks(target)
    timeline = workspace.timeline(target, 365, 30)
    figures: dict[str, str | None] = {"timeline": None, "clock": None}
    if chosen is not None:
        brief = workspace.brief(target, chosen)
        figures = {kind: workspace.memo(("figure", kind, target.key, chosen),
                                        lambda draw=draw, kind=kind:  # type: ignore[misc]
                                        charts.figure_html(draw(brief), kind))
                   for kind, draw in (("timeline", charts.timeline_chart),
                                      ("clock", charts.clock_chart))}
    references = [a for a in target.scenario.areas if a.reference]
    return _render(request, "time.html.j2", "time", target, clocks=clocks, timeline=timeline,
                   figures=figures, references=references)


@router.get("/scenarios/{name}/versions")
def versions(request: Request, name: NamePath,
             saved: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    target = target_of(request, name)
    history = workspace_of(request).store.scenarios.history(name)
    values = editable_values(target.scenario)
    data = {"name": name, "parent": target.version.id, "values": values,
            "sources": {s.key: s.document for s in target.scenario.sources},
            "history": [version_out(v).model_dump(mode="json") for v in history]}
    return _render(request, "versions.html.j2", "versions", target,
                   history=list(reversed(history)), saved=saved, data=data)
