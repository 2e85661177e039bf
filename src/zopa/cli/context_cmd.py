"""``zopa analyze timeline|clock|ratify|payers``: time, who decides, who pays."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import typer

from zopa.analysis.payers import Payers, who_pays
from zopa.analysis.ratify import Ratification, ratify
from zopa.analysis.timeline import territorial_clock, timeline
from zopa.cli.inputs import PLAN_OPTION, SCENARIO_ARGUMENT, read_scenario, require_plan
from zopa.cli.render import OutputFormat, Section, emit
from zopa.cli.saving import DB_OPTION, SAVE_OPTION, save_run

FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the ``analyze`` group."""
    app.command("timeline")(timeline_command)
    app.command("clock")(clock_command)
    app.command("ratify")(ratify_command)
    app.command("payers")(payers_command)
    app.command("sensitivity")(sensitivity_command)


def timeline_command(
    scenario: str = SCENARIO_ARGUMENT,
    days: int = typer.Option(365, "--days", min=0, help="How far ahead, in days."),
    step: int = typer.Option(30, "--step", min=1, help="Days between evaluations."),
    save: bool = SAVE_OPTION,
    db: str | None = DB_OPTION,
    fmt: OutputFormat = FORMAT,
) -> None:
    """Over time: does a ZOPA exist, how large, the Nash package, and the ripeness window."""
    s = read_scenario(scenario)
    result = timeline(s, days=days, step=step)
    rows = [[p.day, *[p.reservations[q] for q in s.party_ids],
             "yes" if p.zopa_exists else "no", p.frontier_size,
             ", ".join(f"{i}={o}" for i, o in (p.nash or {}).items()) or "-"]
            for p in result.points]
    windows = ", ".join(f"days {a}-{b}" for a, b in result.windows) or "none in this horizon"
    section = Section(f"ZOPA over time for {s.name} (reservations drift with the clocks)",
                      ["day", *[f"{q} reservation" for q in s.party_ids], "ZOPA",
                       "Pareto-optimal ZOPA packages", "Nash package"], rows,
                      notes=[f"Ripeness window (a ZOPA exists): {windows}."])
    emit([section], {"points": [asdict(p) for p in result.points],
                     "windows": [list(w) for w in result.windows],
                     "provenance": result.provenance.as_dict()}, fmt)
    save_run(save, db, "timeline", s, {"days": days, "step": step}, result)


def clock_command(scenario: str = SCENARIO_ARGUMENT, fmt: OutputFormat = FORMAT) -> None:
    """The territorial clock: days until each demanded area would be taken at observed rates."""
    s = read_scenario(scenario)
    clocks = territorial_clock(s)
    references = sorted({r for c in clocks for r in c.in_reference_units})
    rows = [[c.name, c.demanded_by or "-", f"{c.km2:,.0f}",
             f"{c.km2_range[0]:,.0f}-{c.km2_range[1]:,.0f}",
             f"{c.rate_range[0]:g} / {c.rate_range[1]:g} / {c.rate_range[2]:g}",
             round(c.days_fast), round(c.days_central), round(c.days_slow),
             f"{c.days_range[0]:.0f}-{c.days_range[1]:.0f}",
             *[f"{c.in_reference_units[r]:.2f}" for r in references]] for c in clocks]
    section = Section(
        f"Territorial clock for {s.name}",
        ["area", "demanded by", "km2", "km2 range", "rate low/central/high (per day)",
         "days at high rate", "days at central rate", "days at low rate",
         "days (all bounds)", *[f"x {r}" for r in references]], rows,
        notes=[] if clocks else ["No area in this scenario has a clock."])
    emit([section], [asdict(c) for c in clocks], fmt)


def _ratify_sections(result: Ratification) -> list[Section]:
    summary = Section(
        f"Who decides: ratification of {result.plan}",
        ["ratifier", "kind", "party", "yes share", "turnout", "majority", "quorum", "verdict",
         "P(approve)", "pivotal group", "sequencing"],
        [[v.name, v.kind, v.party, v.yes_share, v.turnout, v.majority, v.quorum,
          "approves" if v.approves else "REJECTS", v.probability, v.pivotal or "-",
          v.sequencing or "-"] for v in result.verdicts],
        caption="P(approve): share of 2,000 draws of the inputs' ranges in which it approves")
    sections = [summary]
    for v in result.verdicts:
        sections.append(Section(
            f"{v.name}: groups", ["group", "share", "turnout", "utility", "threshold",
                                  "red lines crossed", "vote"],
            [[g.group, g.share, g.turnout, g.utility, g.threshold,
              ", ".join(g.red_lines_hit) or "-", "yes" if g.yes else "no"] for g in v.groups]))
        if v.costly_provisions:
            sections.append(Section(
                f"{v.name}: provisions that cost most votes",
                ["issue", "deal's option", "option that wins most", "yes share gained"],
                [[p.issue, p.option, p.better_option, p.votes_gained]
                 for p in v.costly_provisions]))
    return sections


def ratify_command(scenario: str = SCENARIO_ARGUMENT, plan: str | None = PLAN_OPTION,
                   seed: int = typer.Option(0, "--seed", help="Seed for P(approve)."),
                   save: bool = SAVE_OPTION, db: str | None = DB_OPTION,
                   fmt: OutputFormat = FORMAT) -> None:
    """Each ratifier's approval, its probability under the input ranges, the pivotal group."""
    s = read_scenario(scenario)
    result = ratify(s, require_plan(s, plan), rng=seed)
    sections = _ratify_sections(result) if result.verdicts else [
        Section("Who decides", ["finding"], [["this scenario has no ratifiers"]])]
    emit(sections, {"plan": result.plan, "ratified": result.ratified,
                    "verdicts": [asdict(v) for v in result.verdicts],
                    "provenance": result.provenance.as_dict()}, fmt)
    save_run(save, db, "ratify", s, {"plan": result.plan}, result, seed)


def payers_command(scenario: str = SCENARIO_ARGUMENT, plan: str | None = PLAN_OPTION,
                   save: bool = SAVE_OPTION, db: str | None = DB_OPTION,
                   fmt: OutputFormat = FORMAT) -> None:
    """Who pays: each payer's share of the bills in money and in utility."""
    s = read_scenario(scenario)
    result = who_pays(s, require_plan(s, plan))
    sections = [_payers_section(bill) for bill in (result, *result.others)]
    emit(sections, {"plan": result.plan,
                    "bills": [_payers_data(bill) for bill in (result, *result.others)],
                    "provenance": result.provenance.as_dict()}, fmt)
    save_run(save, db, "who_pays", s, {"plan": result.plan}, result)


def _payers_data(bill: Payers) -> dict[str, Any]:
    data = asdict(bill)
    data.pop("others", None)
    data.pop("provenance", None)
    return data


def _payers_section(result: Payers) -> Section:
    rows = [[p.payer, p.low, p.central, p.high, p.share_of_total,
             "-" if p.utility_cost is None else p.utility_cost] for p in result.shares]
    rows.append(["unfunded", *result.unfunded,
                 result.unfunded[1] / result.total[1] if result.total[1] else 0.0, "-"])
    applied = ", ".join(f"{i}={o}" for i, o in result.rules_applied)
    return Section(
        f"Who pays under {result.plan} ({result.unit}; total {result.total[1]:g}, range "
        f"{result.total[0]:g}-{result.total[2]:g})",
        ["payer", "low", "central", "high", "share of total", "utility given up"], rows,
        notes=[f"Funding rules applied: {applied}" if applied
               else "No funding rule matches this plan."])


def sensitivity_command(
    scenario: str = SCENARIO_ARGUMENT,
    target: str = typer.Option(..., "--target", help=(
        "utility:PARTY:PLAN, surplus:PARTY:PLAN, forecast:MODEL:ISSUE, "
        "ratify:RATIFIER:PLAN or nash:ISSUE")),
    draws: int = typer.Option(256, "--draws", min=0,
                              help="Joint draws for the global indices (0: tornado only)."),
    top: int = typer.Option(20, "--top", min=1, help="Show the N most influential inputs."),
    seed: int = typer.Option(0, "--seed"),
    save: bool = SAVE_OPTION,
    db: str | None = DB_OPTION,
    fmt: OutputFormat = FORMAT,
) -> None:
    """The tornado: each ranged input's swing on a conclusion, most influential first."""
    from zopa.simulation.sensitivity import sensitivity

    s = read_scenario(scenario)
    result = sensitivity(s, target, draws=draws, rng=seed)
    rows = [[w.input, w.low, w.mode, w.high, w.at_low, w.at_high, w.swing,
             "-" if w.first_order is None else w.first_order] for w in result.swings[:top]]
    notes = [f"Baseline (every input at its mode): {result.baseline:.4g}."]
    if result.variance is not None:
        notes.append(f"Global indices from {result.draws} joint draws (seed {seed}); "
                     f"variance of the target {result.variance:.4g}.")
    section = Section(f"Sensitivity of {target} ({len(result.swings)} ranged inputs)",
                      ["input", "low", "mode", "high", "target at low", "target at high",
                       "swing", "first-order index"], rows, notes=notes)
    emit([section], {"target": result.target, "baseline": result.baseline,
                     "swings": [asdict(w) for w in result.swings], "draws": result.draws,
                     "variance": result.variance, "provenance": result.provenance.as_dict()},
         fmt)
    save_run(save, db, "sensitivity", s, {"target": target, "draws": draws}, result, seed)
