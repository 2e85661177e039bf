"""``zopa scenario save|history|diff|checkout`` and ``zopa runs list|show|export|rerun``.

The store (SQLAlchemy) is imported only when one of these commands runs, so the
rest of the command line works without the ``store`` extra.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import typer

from zopa.catalog import DEFAULT_SCENARIO
from zopa.cli.inputs import read_scenario
from zopa.cli.render import OutputFormat, Section, emit
from zopa.errors import StoreError
from zopa.formats import dumps_scenario

__all__ = ["register_scenario_commands", "runs_app"]

FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")
DB = typer.Option(None, "--db", metavar="URL",
                  help="Database URL or SQLite file (default: $ZOPA_DATABASE_URL, else "
                       "zopa.db in the user's data directory).")
NAME = typer.Argument(DEFAULT_SCENARIO, help="Scenario name (the scenario's id).")
CELL = 70

runs_app = typer.Typer(help="Recorded runs: list, show, export and re-run them.",
                       no_args_is_help=True)


def _store() -> ModuleType:
    try:
        import zopa.store as store
    except ModuleNotFoundError as error:
        raise StoreError(f"the store needs the 'store' extra ({error.name} is not installed): "
                         "pip install 'zopa[store]'") from None
    return store


def _cell(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= CELL else text[:CELL - 3] + "..."


def _when(version_or_run: Any) -> str:
    return f"{version_or_run.created_at:%Y-%m-%d %H:%M}"


# -- scenario versions ------------------------------------------------------------------------
def save(
    file: str = typer.Argument(..., help="Scenario file (YAML/JSON), '-' for stdin, or a "
                                         "catalog name."),
    message: str = typer.Option("", "--message", "-m", help="Why: the news behind the change."),
    source: list[str] = typer.Option([], "--source", "-s", metavar="URL",
                                     help="A source behind the change (repeatable)."),
    author: str | None = typer.Option(None, "--author",
                                      help="Who (default: $ZOPA_AUTHOR, else the OS user)."),
    parent: str | None = typer.Option(
        None, "--parent", metavar="VERSION",
        help="The version you edited (hash prefix or @N); if another version was saved "
             "since, the save fails with a conflict. Default: the latest version."),
    db: str | None = DB,
    fmt: OutputFormat = FORMAT,
) -> None:
    """Save a scenario as the next version of its name, with message, sources and author."""
    scenario = read_scenario(file)
    with _store().open_store(db) as store:
        base = parent if parent is not None else store.scenarios.head(scenario.id)
        result = store.scenarios.save(scenario, parent=base, author=author, message=message,
                                      sources=source)
    v = result.version
    title = (f"Saved {v.name} {v.label} {v.short}" if result.created else
             f"Unchanged: {v.name} {v.label} {v.short} already has this content")
    rows = [["name", v.name], ["version", v.label], ["id", v.id],
            ["parent", "-" if v.parent is None else f"@{v.parent_number} {v.parent[:12]}"],
            ["author", v.author], ["saved", f"{_when(v)} UTC"], ["message", v.message],
            ["sources", "; ".join(v.sources) or "-"]]
    emit([Section(title, ["field", "value"], rows)], result.as_dict(), fmt)


def history(name: str = NAME, db: str | None = DB, fmt: OutputFormat = FORMAT) -> None:
    """Every version of a scenario: when, who, why and on what sources."""
    with _store().open_store(db) as store:
        versions = store.scenarios.history(name)
    rows = [[v.label, v.short, _when(v), v.author, _cell(v.message), "; ".join(v.sources)]
            for v in versions]
    emit([Section(f"History of {name}: {len(versions)} version(s), oldest first",
                  ["version", "id", "saved (UTC)", "author", "message", "sources"], rows)],
         [v.as_dict() for v in versions], fmt)


def diff(
    name: str = typer.Argument(..., help="Scenario name (the scenario's id)."),
    old: str = typer.Argument(..., help="From version: hash prefix, @N or latest."),
    new: str = typer.Argument("latest", help="To version (default: latest)."),
    db: str | None = DB,
    fmt: OutputFormat = FORMAT,
) -> None:
    """What changed between two versions: parties, issues, options, values and sources."""
    module = _store()
    with module.open_store(db) as store:
        before = store.scenarios.checkout(name, old)
        after = store.scenarios.checkout(name, new)
    found = module.diff_scenarios(before.scenario, after.scenario)
    describe = module.describe
    rows = [[e.section, e.item, e.field or "(whole item)", e.change, _cell(describe(e.before)),
             _cell(describe(e.after))] for e in found.entries] or [["-", "-", "-",
                                                                    "no differences", "-", "-"]]
    a, b = before.version, after.version
    counts = ", ".join(f"{s} {found.count(s)}" for s in module.SECTIONS if found.count(s))
    notes = [f"{a.label} {a.short}: {a.message or 'no message'} ({a.author}, {_when(a)})",
             f"{b.label} {b.short}: {b.message or 'no message'} ({b.author}, {_when(b)})",
             f"Changes: {counts or 'none'}."]
    data = {"name": name, "from": a.as_dict(), "to": b.as_dict(), **found.as_dict()}
    emit([Section(f"{name}: {a.label} {a.short} -> {b.label} {b.short}",
                  ["section", "item", "field", "change", "from", "to"], rows, notes=notes)],
         data, fmt)


def checkout(
    name: str = NAME,
    version: str = typer.Argument("latest", help="Hash prefix, @N or latest."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Write here (JSON if it ends in .json, else "
                                            "YAML); default: YAML on stdout."),
    db: str | None = DB,
) -> None:
    """Write a version of a scenario to a file, to edit it or analyse it."""
    with _store().open_store(db) as store:
        found = store.scenarios.checkout(name, version)
    if output is None:
        typer.echo(dumps_scenario(found.scenario), nl=False)
        return
    text = dumps_scenario(found.scenario, format="json" if output.suffix == ".json" else "yaml")
    temporary = output.with_name(f".{output.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(output)
    v = found.version
    typer.echo(f"wrote {output}: {v.name} {v.label} {v.short}. After editing, save with: "
               f"zopa scenario save {output} --parent {v.short}", err=True)


def register_scenario_commands(app: typer.Typer) -> None:
    """Add ``save``, ``history``, ``diff`` and ``checkout`` to the ``zopa scenario`` app."""
    app.command("save")(save)
    app.command("history")(history)
    app.command("diff")(diff)
    app.command("checkout")(checkout)


# -- runs -------------------------------------------------------------------------------------
def _run_fields(run: Any) -> list[list[Any]]:
    version = "" if run.version_number is None else f" @{run.version_number}"
    return [["id", run.id], ["recorded", f"{_when(run)} UTC"], ["kind", run.kind],
            ["method", run.method], ["scenario", f"{run.scenario_name}{version}"],
            ["scenario id", run.scenario_hash],
            ["parameters", json.dumps(run.parameters, ensure_ascii=False)],
            ["seed", "-" if run.seed is None else run.seed], ["zopa", run.zopa_version],
            ["author", run.author], ["result sha256", run.result_hash]]


def _run_row(run: Any) -> list[Any]:
    version = "" if run.version_number is None else f" @{run.version_number}"
    parameters = json.dumps(run.parameters, ensure_ascii=False, separators=(",", ":"))
    return [run.id[:12], _when(run), run.method, f"{run.scenario_name}{version}",
            _cell(parameters), "-" if run.seed is None else run.seed]


@runs_app.command("list")
def list_runs(
    scenario: str | None = typer.Option(None, "--scenario", help="Only runs on this name."),
    kind: str | None = typer.Option(None, "--kind",
                                    help="analysis, forecast, negotiation or experiment."),
    method: str | None = typer.Option(None, "--method", help="Only runs of this method."),
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many, newest first."),
    db: str | None = DB,
    fmt: OutputFormat = FORMAT,
) -> None:
    """Recorded runs, newest first."""
    with _store().open_store(db) as store:
        runs = store.runs.list(scenario=scenario, kind=kind, method=method, limit=limit)
    columns = ["id", "recorded (UTC)", "method", "scenario", "parameters", "seed"]
    emit([Section(f"Runs: {len(runs)} shown, newest first", columns,
                  [_run_row(r) for r in runs])],
         [r.as_dict() for r in runs], fmt)


@runs_app.command("show")
def show_run(run_id: str = typer.Argument(..., metavar="ID", help="Run id (6+ hex digits)."),
             db: str | None = DB, fmt: OutputFormat = FORMAT) -> None:
    """One run: its inputs, provenance and result."""
    with _store().open_store(db) as store:
        run = store.runs.get(run_id)
    fields = Section(f"Run {run.id[:12]}", ["field", "value"], _run_fields(run))
    result = run.result if isinstance(run.result, dict) else {"result": run.result}
    summary = Section("Result (JSON format shows it whole)", ["key", "value"],
                      [[k, _cell(json.dumps(v, ensure_ascii=False))] for k, v in result.items()])
    emit([fields, summary], run.as_dict(), fmt)


@runs_app.command("export")
def export_runs(
    run_ids: list[str] = typer.Argument(None, metavar="[ID]...", help="Runs (default: all)."),
    with_scenario: bool = typer.Option(False, "--with-scenario",
                                       help="Include each run's scenario."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write JSON here."),
    db: str | None = DB,
) -> None:
    """Export runs, with their results, as JSON."""
    with _store().open_store(db) as store:
        data = store.runs.export(run_ids or (), with_scenario=with_scenario)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {len(data)} run(s) to {output}", err=True)


@runs_app.command("rerun")
def rerun(run_id: str = typer.Argument(..., metavar="ID", help="Run id (6+ hex digits)."),
          db: str | None = DB, fmt: OutputFormat = FORMAT) -> None:
    """Run again from the stored scenario, parameters and seed; exit 1 if the result differs."""
    with _store().open_store(db) as store:
        again = store.runs.rerun(run_id)
    run = again.run
    rows = [["run", run.id], ["method", run.method], ["scenario", run.scenario_name],
            ["zopa then / now", f"{run.zopa_version} / {again.zopa_version}"],
            ["result", "EQUAL to the stored one" if again.equal else "DIFFERENT"]]
    rows += [["difference", d] for d in again.differences]
    emit([Section(f"Re-run of {run.id[:12]}", ["check", "finding"], rows)],
         {"run": run.id, "equal": again.equal, "differences": list(again.differences),
          "zopa_version": {"stored": run.zopa_version, "now": again.zopa_version}}, fmt)
    if not again.equal:
        raise typer.Exit(1)
