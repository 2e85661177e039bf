"""``zopa brief``: one plan's price of peace, who decides and who pays, as HTML or Markdown."""

from __future__ import annotations

import enum
import os
from pathlib import Path

import typer

from zopa.cli.inputs import PLAN_OPTION, SCENARIO_ARGUMENT, read_scenario, require_plan
from zopa.errors import ZopaError
from zopa.report import BriefData, collect_brief, render_html, render_markdown

__all__ = ["BriefFormat", "brief"]


class BriefFormat(enum.StrEnum):
    """The brief's file format."""

    html = "html"
    md = "md"


def _render_html(data: BriefData) -> str:
    try:
        return render_html(data)
    except ModuleNotFoundError as error:
        raise ZopaError(f"the HTML brief needs Plotly and Jinja2 ({error}); install them with "
                        "pip install 'zopa[report]'") from None


def _write(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then an atomic rename."""
    folder = path.parent
    if not folder.is_dir():
        raise ZopaError(f"cannot write {path}: no such folder {folder}")
    temporary = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        with temporary.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def brief(
    scenario: str = SCENARIO_ARGUMENT,
    plan: str | None = PLAN_OPTION,
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False,
        help="Write the brief to this file (required for HTML; Markdown goes to stdout "
             "without it)."),
    fmt: BriefFormat = typer.Option(BriefFormat.html, "--format", "-f",
                                    help="html: one self-contained page with charts; "
                                         "md: Markdown tables."),
) -> None:
    """A brief on one plan: the price of peace, who decides, who pays, with charts."""
    if fmt is BriefFormat.html and output is None:
        raise typer.BadParameter("an HTML brief is written to a file: give -o FILE "
                                 "(or --format md for standard output)",
                                 param_hint="'--output' / '-o'")
    s = read_scenario(scenario)
    data = collect_brief(s, require_plan(s, plan))
    text = _render_html(data) if fmt is BriefFormat.html else render_markdown(data)
    if output is None:
        typer.echo(text, nl=False)
        return
    _write(output, text)
    typer.echo(f"wrote {output}: brief on {data.plan.id} ({s.id}), {len(text):,} characters",
               err=True)
