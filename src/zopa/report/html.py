"""Render a brief as one self-contained HTML file.

The page is a Jinja2 template shipped with the package; Plotly's JavaScript is
inlined from the installed ``plotly`` package (never fetched from a CDN), so the
file opens offline and can be mailed as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
import plotly.io as pio
import plotly.offline
from plotly.graph_objects import Figure

from zopa.__about__ import __version__
from zopa.report import figures, wording
from zopa.report.assumptions import value_text
from zopa.report.brief import BriefData

__all__ = ["plotly_javascript", "render_html"]

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

FIGURES: dict[str, Callable[[BriefData], Figure | None]] = {
    "standing": figures.standing_figure,
    "concessions": figures.concessions_figure,
    "ratification": figures.ratification_figure,
    "payers": figures.payers_figure,
    "frontier": figures.frontier_figure,
    "clock": figures.clock_figure,
    "timeline": figures.timeline_figure,
}


def plotly_javascript() -> str:
    """Plotly's JavaScript bundle from the installed package, with a guard against early ``</``.

    The bundle goes inside a ``<script>`` element; ``</script`` inside it would end the
    element early, so any such sequence is escaped (none is expected).
    """
    return plotly.offline.get_plotlyjs().replace("</script", "<\\/script")


def _figure_html(figure: Figure | None, name: str) -> str | None:
    if figure is None:
        return None
    return pio.to_html(figure, full_html=False, include_plotlyjs=False,
                       include_mathjax=False, div_id=f"figure-{name}", config=PLOTLY_CONFIG)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("zopa.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["fixed"] = wording.fixed
    env.filters["percent"] = wording.percent
    env.filters["amount"] = wording.amount
    return env


def _context(data: BriefData) -> dict[str, Any]:
    groups: dict[str, list[Any]] = {}
    for assumption in data.assumptions:
        groups.setdefault(assumption.section, []).append(assumption)
    cited = {key for a in data.assumptions for key in a.value.sources}
    cited |= {key for p in data.scenario.proposals for key in p.sources}
    return {
        "data": data,
        "s": data.scenario,
        "w": wording,
        "version": __version__,
        "figures": {name: _figure_html(build(data), name) for name, build in FIGURES.items()},
        "concession": {(c.party, c.issue): c for c in data.concessions.items},
        "assumption_groups": list(groups.items()),
        "judgements": sum(1 for a in data.assumptions if a.judgement),
        "cited": cited,
        "plotly_js": plotly_javascript(),
        "not_modelled": wording.NOT_MODELLED,
        "value_text": value_text,
    }


def render_html(data: BriefData) -> str:
    """The brief as one HTML document (a string), Plotly included.

    Examples
    --------
    >>> from zopa.report.brief import collect_brief
    >>> from zopa.scenario.synthetic import random_scenario
    >>> page = render_html(collect_brief(random_scenario(2, 3, 3, rng=1), "plan-a", days=30))
    >>> page.startswith("<!DOCTYPE html>"), 'src="http' in page
    (True, False)
    """
    template = _environment().get_template("brief.html.j2")
    return template.render(**_context(data))
