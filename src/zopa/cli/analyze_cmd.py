"""``zopa analyze ...``: the ZOPA, the frontier, bargaining solutions, plans, concessions."""

from __future__ import annotations

import enum
from dataclasses import asdict
from typing import Any

import typer

from zopa.analysis import (
    Frontier,
    PartyVerdict,
    Solution,
    compute_frontier,
    evaluate_plan,
    find_zopa,
    price_of_peace,
    solve,
)
from zopa.cli.inputs import PLAN_OPTION, SCENARIO_ARGUMENT, read_scenario, require_plan
from zopa.cli.render import OutputFormat, Section, emit
from zopa.cli.saving import DB_OPTION, SAVE_OPTION, save_run
from zopa.scenario import Scenario

app = typer.Typer(help="Analyse the deal space: ZOPA, frontier, solutions, plans, concessions.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")


class Disagreement(enum.StrEnum):
    """Where gains are measured from."""

    reservations = "reservations"
    zero = "zero"


def _package_text(choices: dict[str, str]) -> str:
    return ", ".join(f"{issue}={option}" for issue, option in choices.items())


def _frontier_rows(frontier: Frontier, limit: int) -> list[list[Any]]:
    rows = []
    for k in range(min(len(frontier), limit)):
        rows.append([k + 1, *[u for u in frontier.utilities[k]], int(frontier.ties[k]),
                     _package_text(frontier.choices(k))])
    return rows


def _frontier_data(frontier: Frontier, limit: int) -> list[dict[str, Any]]:
    return [{"utilities": dict(zip(frontier.space.parties, frontier.utilities[k].tolist(),
                                   strict=True)),
             "ties": int(frontier.ties[k]), "package": frontier.choices(k)}
            for k in range(min(len(frontier), limit))]


@app.command()
def zopa(scenario: str = SCENARIO_ARGUMENT, save: bool = SAVE_OPTION, db: str | None = DB_OPTION,
         fmt: OutputFormat = FORMAT) -> None:
    """Is there a deal every party prefers to walking away? How large, and who stands in the way."""
    s = read_scenario(scenario)
    result = find_zopa(s)
    size = "not counted (space too large)" if result.size is None else f"{result.size:,}"
    summary = Section(f"ZOPA of {s.name}", ["question", "answer"], [
        ["ZOPA exists", "yes" if result.exists else "no"],
        ["packages in the space", f"{result.space_size:,}"],
        ["packages within every red line", f"{result.admissible_size:,}"],
        ["packages in the ZOPA", size],
        ["Pareto-optimal ZOPA packages", f"{len(result.frontier):,}"],
        ["options ruled out by red lines", str(len(result.vetoed))],
    ])
    reach = Section("Reach: each party's best package among those all others accept",
                    ["party", "reservation", "reach", "shortfall"],
                    [[r.party, r.reservation, r.reach, r.shortfall]
                     for r in result.reach],
                    caption="shortfall > 0: the party rejects every package the others accept; "
                            "reach -: the others cannot agree even among themselves")
    sections = [summary, reach]
    if result.closest is not None:
        sections.append(_closest_section(s, result.closest))
    data = {"exists": result.exists, "space_size": result.space_size,
            "admissible_size": result.admissible_size, "size": result.size,
            "frontier_size": len(result.frontier),
            "reach": [asdict(r) for r in result.reach],
            "vetoed": [{"party": p, "issue": i, "option": o} for p, i, o in result.vetoed],
            "closest": None if result.closest is None else asdict(result.closest),
            "provenance": result.provenance.as_dict()}
    emit(sections, data, fmt)
    save_run(save, db, "find_zopa", s, {}, result)


def _closest_section(s: Scenario, closest: Solution,
                     plan: dict[str, str] | None = None) -> Section:
    surplus = ", ".join(f"{p} {g:+.3f}" for p, g in closest.gains.items())
    title = "Closest package: the worst-off party is least far below its reservation"
    notes = [f"Surplus over reservation: {surplus}."]
    if plan is None:
        rows = [[s.issue(i).name, s.issue(i).option(o).label] for i, o in closest.choices.items()]
        return Section(title, ["issue", "option"], rows, notes=notes)
    rows = [[i, plan[i], o] for i, o in closest.choices.items() if plan[i] != o]
    return Section(f"No change wins every party. {title}", ["issue", "plan's option", "closest"],
                   rows, notes=notes)


@app.command()
def frontier(
    scenario: str = SCENARIO_ARGUMENT,
    within_reservations: bool = typer.Option(
        False, "--within-reservations", help="Only packages every party prefers to no deal."),
    limit: int = typer.Option(50, "--limit", min=1, help="Print at most this many points."),
    save: bool = SAVE_OPTION,
    db: str | None = DB_OPTION,
    fmt: OutputFormat = FORMAT,
) -> None:
    """The exact Pareto frontier (within every red line), one row per distinct utility vector."""
    s = read_scenario(scenario)
    result = compute_frontier(s, within_reservations=within_reservations)
    shown = min(len(result), limit)
    section = Section(f"Pareto frontier of {s.name}: {len(result):,} points (showing {shown})",
                      ["#", *s.party_ids, "ties", "package"], _frontier_rows(result, limit))
    emit([section], {"size": len(result), "points": _frontier_data(result, limit),
                     "provenance": result.provenance.as_dict()}, fmt)
    save_run(save, db, "compute_frontier", s, {"within_reservations": within_reservations},
             result)


@app.command()
def solutions(
    scenario: str = SCENARIO_ARGUMENT,
    disagreement: Disagreement = typer.Option(
        Disagreement.reservations, "--disagreement",
        help="'reservations' (within the ZOPA) or 'zero' (best compromise even with no ZOPA)."),
    save: bool = SAVE_OPTION,
    db: str | None = DB_OPTION,
    fmt: OutputFormat = FORMAT,
) -> None:
    """Nash, Kalai-Smorodinsky, utilitarian and egalitarian packages."""
    s = read_scenario(scenario)
    result = solve(s, disagreement=disagreement.value)
    notes = [] if result.zopa_exists else [
        "No package clears every reservation: the ZOPA is empty. "
        "Try --disagreement zero for the best compromise."]
    rows = [[x.concept, *[x.utilities[p] for p in s.party_ids], x.alternatives]
            for x in result.solutions]
    utilities = Section(f"Bargaining solutions for {s.name} (disagreement: {disagreement.value})",
                        ["solution", *s.party_ids, "alternatives"], rows, notes=notes)
    packages = Section("Their packages", ["issue", *[x.concept for x in result.solutions]],
                       [[i, *[x.choices[i] for x in result.solutions]] for i in s.issue_ids])
    sections = [utilities, packages] if result.solutions else [utilities]
    emit(sections, {"zopa_exists": result.zopa_exists, "disagreement": result.disagreement,
                     "solutions": [asdict(x) for x in result.solutions],
                     "provenance": result.provenance.as_dict()}, fmt)
    save_run(save, db, "solve", s, {"disagreement": disagreement.value}, result)


def _verdict_rows(verdicts: tuple[PartyVerdict, ...]) -> list[list[Any]]:
    return [[v.party, v.utility, v.reservation, v.surplus,
             "; ".join(f"{i}={o}" for i, o in v.red_lines_hit) or "-",
             "accepts" if v.accepts else "BLOCKS"] for v in verdicts]


@app.command()
def plan(scenario: str = SCENARIO_ARGUMENT, plan: str | None = PLAN_OPTION,
         save: bool = SAVE_OPTION, db: str | None = DB_OPTION,
         fmt: OutputFormat = FORMAT) -> None:
    """Evaluate a plan: each party's utility against its reservation, blockers, minimal fix."""
    s = read_scenario(scenario)
    result = evaluate_plan(s, require_plan(s, plan))
    columns = ["party", "utility", "reservation", "surplus", "red lines crossed", "verdict"]
    proposal = s.proposal(result.plan)
    package = Section(f"{proposal.name} ({result.plan})", ["issue", "option"],
                      [[s.issue(i).name, s.issue(i).option(o).label]
                       for i, o in result.choices.items()])
    verdicts = Section("Who gains, who blocks", columns, _verdict_rows(result.verdicts),
                       caption="blocks: below its reservation or crosses one of its red lines")
    sections = [package, verdicts, _unblocking_section(result)]
    if result.closest is not None:
        sections.append(_closest_section(s, result.closest, result.choices))
    emit(sections, _plan_data(result), fmt)
    save_run(save, db, "evaluate_plan", s, {"plan": result.plan}, result)


def _unblocking_section(result: Any) -> Section:
    fix = result.unblocking
    if fix is None:
        return Section("Minimal unblocking change", ["finding"],
                       [["none: no package clears every reservation and red line (empty ZOPA)"]])
    if not fix.changes:
        return Section("Minimal unblocking change", ["finding"],
                       [["none needed: every party accepts the plan"]])
    rows = [[c.issue, c.from_option, c.to_option] for c in fix.changes]
    verdict = ", ".join(f"{v.party} {v.utility:.3f}" for v in fix.verdicts)
    return Section(f"Minimal unblocking change: {len(fix.changes)} issue(s)",
                   ["issue", "plan's option", "change to"], rows,
                   notes=[f"Utilities after the change: {verdict}.",
                          f"Pareto-efficient changes of this size: {fix.alternatives}."])


def _plan_data(result: Any) -> dict[str, Any]:
    fix = result.unblocking
    return {"plan": result.plan, "package": result.choices, "accepted": result.accepted,
            "blockers": list(result.blockers),
            "verdicts": [asdict(v) for v in result.verdicts],
            "unblocking": None if fix is None else {
                "changes": [asdict(c) for c in fix.changes], "package": fix.choices,
                "verdicts": [asdict(v) for v in fix.verdicts],
                "alternatives": fix.alternatives},
            "closest": None if result.closest is None else asdict(result.closest),
            "provenance": result.provenance.as_dict()}


@app.command()
def concessions(scenario: str = SCENARIO_ARGUMENT, plan: str | None = PLAN_OPTION,
                save: bool = SAVE_OPTION, db: str | None = DB_OPTION,
                fmt: OutputFormat = FORMAT) -> None:
    """The price of peace: each party's distance from its ideal, issue by issue, under a plan."""
    s = read_scenario(scenario)
    result = price_of_peace(s, require_plan(s, plan))
    by_key = {(c.party, c.issue): c for c in result.items}
    rows = [[i, *[f"{by_key[(p, i)].distance:g}" for p in s.party_ids]] for i in s.issue_ids]
    rows.append(["utility lost", *[result.total_loss[p] for p in s.party_ids]])
    rows.append(["utility kept", *[result.utility[p] for p in s.party_ids]])
    section = Section(f"Price of peace under {result.plan}: distance from each party's ideal "
                      "(0-100 scale)", ["issue", *s.party_ids], rows)
    emit([section], {"plan": result.plan, "items": [asdict(c) for c in result.items],
                     "total_loss": result.total_loss, "utility": result.utility,
                     "provenance": result.provenance.as_dict()}, fmt)
    save_run(save, db, "price_of_peace", s, {"plan": result.plan}, result)
