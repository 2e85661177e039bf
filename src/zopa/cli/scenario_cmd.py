"""``zopa scenario ...``: list, show, validate, schema, random."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from zopa.catalog import DEFAULT_SCENARIO, catalog_names, load_catalog_scenario
from zopa.cli.inputs import SCENARIO_ARGUMENT, read_scenario
from zopa.cli.render import OutputFormat, Section, emit
from zopa.formats import dump_scenario, dumps_scenario
from zopa.formats.exporters import export_scenario
from zopa.formats.importers import IMPORTERS, import_scenario
from zopa.scenario import Scenario, Uncertain, content_hash, json_schema, scenario_to_data
from zopa.scenario.synthetic import random_scenario

app = typer.Typer(help="Describe negotiations: list, show, validate and generate scenarios.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")


def _uncertain(value: Uncertain) -> str:
    text = f"{value.mode:g}" if value.is_point else f"{value.mode:g} [{value.low:g}-{value.high:g}]"
    return text + (" *" if value.judgement else "")


@app.command("list")
def list_scenarios(fmt: OutputFormat = FORMAT) -> None:
    """List the scenarios shipped in the catalog."""
    rows, data = [], []
    for name in catalog_names():
        s = load_catalog_scenario(name)
        default = "yes" if name == DEFAULT_SCENARIO else ""
        rows.append([name, s.name, len(s.parties), len(s.issues), len(s.proposals), default])
        data.append({"name": name, "title": s.name, "parties": len(s.parties),
                     "issues": len(s.issues), "proposals": len(s.proposals),
                     "default": name == DEFAULT_SCENARIO})
    emit([Section("Catalog", ["name", "title", "parties", "issues", "proposals", "default"],
                  rows)], data, fmt)


@app.command()
def show(scenario: str = SCENARIO_ARGUMENT, fmt: OutputFormat = FORMAT) -> None:
    """Show a scenario's parties, issues, stances and proposals."""
    s = read_scenario(scenario)
    parties = Section(f"{s.name}: parties", ["id", "name", "capability", "reservation"],
                      [[p.id, p.name, _uncertain(p.capability), _uncertain(p.reservation)]
                       for p in s.parties],
                      caption="* = analyst's judgement; [low-high] = range")
    issues = Section("Issues and options (position on 0-100)", ["issue", "option", "position"],
                     [[i.id if k == 0 else "", f"{o.id}: {o.label}", _uncertain(o.position)]
                      for i in s.issues for k, o in enumerate(i.options)])
    stances = Section("Stances: ideal / salience (red lines)",
                      ["issue", *s.party_ids],
                      [[i.id, *[_stance_cell(s, p, i.id) for p in s.party_ids]]
                       for i in s.issues])
    plans = Section("Proposals", ["id", "name", *s.issue_ids],
                    [[p.id, p.name, *[p.option_for(i) for i in s.issue_ids]]
                     for p in s.proposals])
    emit([parties, issues, stances, plans], scenario_to_data(s), fmt)


def _stance_cell(s: Scenario, party: str, issue: str) -> str:
    stance = s.stance(party, issue)
    cell = f"{stance.ideal.mode:g} / {stance.salience.mode:g}"
    if stance.red_lines:
        cell += f" (no {', '.join(sorted(stance.red_lines))})"
    return cell


@app.command()
def validate(scenario: str = SCENARIO_ARGUMENT) -> None:
    """Check a scenario; print a one-line summary, or one line naming the problem (exit 1)."""
    s = read_scenario(scenario)
    typer.echo(f"ok: {s.id} ({len(s.parties)} parties, {len(s.issues)} issues, "
               f"{len(s.proposals)} proposals, {len(s.sources)} sources) "
               f"sha256 {content_hash(s)[:12]}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    typer.echo(json.dumps(json_schema(), indent=2))


@app.command("import")
def import_command(
    fmt: str = typer.Argument(..., metavar="FORMAT",
                              help=f"One of: {', '.join(sorted(IMPORTERS))}."),
    files: list[Path] = typer.Argument(..., help="The file to import (GENIUS: DOMAIN then "
                                       "one PROFILE per party)."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Write the scenario here (YAML, or JSON by suffix)."),
) -> None:
    """Import another tool's file (KTAB, BdM CSV, Decide, GENIUS, tables) as a zopa scenario."""
    s = import_scenario(fmt, *files)
    if output is None:
        typer.echo(dumps_scenario(s), nl=False)
    else:
        dump_scenario(s, output)
        typer.echo(f"wrote {output}: {len(s.parties)} parties, {len(s.issues)} issues", err=True)


@app.command("export")
def export_command(
    fmt: str = typer.Argument(..., metavar="FORMAT", help="genius or table."),
    scenario: str = SCENARIO_ARGUMENT,
    output: Path = typer.Option(..., "--output", "-o",
                                help="Directory (genius, table) or .xlsx workbook (table)."),
) -> None:
    """Export a scenario to GENIUS XML or spreadsheet tables; prints the files written."""
    for path in export_scenario(fmt, read_scenario(scenario), output):
        typer.echo(str(path))


@app.command("random")
def random_command(
    parties: int = typer.Option(3, "--parties", min=1, max=12, help="Number of parties."),
    issues: int = typer.Option(6, "--issues", min=1, max=500, help="Number of issues."),
    options: int = typer.Option(3, "--options", min=2, max=50, help="Options per issue."),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same scenario)."),
    reservations: bool = typer.Option(True, help="Draw reservations from U[0.3, 0.5]."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write YAML here."),
) -> None:
    """Write a random additive scenario (each party with its own random values) as YAML."""
    s = random_scenario(parties, issues, options, reservations=reservations, rng=seed)
    if output is None:
        typer.echo(dumps_scenario(s), nl=False)
    else:
        dump_scenario(s, output)
