"""Charts drawn on the server for the pages: the overview heat map, and the brief's figures
(:mod:`zopa.report.figures`) with titles and, on the frontier, the Kalai–Smorodinsky point.

Figures go into pages as HTML fragments that call ``Plotly.newPlot`` on Plotly's bundle
served by the app. Charts that change as the user works (the deal explorer, the
forecasts) are drawn in the browser from the JSON API instead.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from zopa.analysis import Solution
from zopa.report import BriefData
from zopa.report.assumptions import value_text
from zopa.report.figures import clock_figure, frontier_figure, timeline_figure
from zopa.scenario import Scenario, Uncertain

__all__ = ["clock_chart", "figure_html", "frontier_chart", "overview_chart", "timeline_chart"]

CONFIG = {"displaylogo": False, "responsive": True}
FONT = {"family": "system-ui, sans-serif", "size": 12}
NOTE_LENGTH = 160
SPACING = 0.13


def figure_html(figure: go.Figure | None, name: str) -> str | None:
    """A figure as an HTML fragment for a page (``None`` stays ``None``)."""
    if figure is None:
        return None
    return pio.to_html(figure, full_html=False, include_plotlyjs=False, include_mathjax=False,
                       div_id=f"chart-{name}", config=CONFIG)


def _titled(figure: go.Figure, title: str) -> go.Figure:
    top = figure.layout.margin.t or 30
    figure.update_layout(title={"text": title, "x": 0, "xanchor": "left", "y": 0.99,
                                "yanchor": "top", "font": {"size": 15}},
                         margin={"t": top + 50}, legend={"y": 1.0, "yanchor": "bottom"})
    figure.update_layout(height=(figure.layout.height or 400) + 50)
    return figure


def _hover(scenario: Scenario, value: Uncertain) -> str:
    documents = {s.key: s.document for s in scenario.sources}
    cited = "<br>".join(f"[{k}] {documents.get(k, k)[:90]}" for k in value.sources)
    note = (value.note or "").strip()
    if len(note) > NOTE_LENGTH:
        note = note[:NOTE_LENGTH - 1] + "…"
    kind = " (analyst's judgement)" if value.judgement else ""
    parts = [f"{value_text(value)}{kind}", f"sources:<br>{cited}" if cited else "no source cited"]
    return "<br>".join(parts + ([f"note: {note}"] if note else []))


def overview_chart(scenario: Scenario) -> go.Figure:
    """Heat maps of each party's ideal position and salience weight on every issue."""
    parties, issues = scenario.parties, scenario.issues
    names = ["<br>".join(textwrap.wrap(p.name, 16)) for p in parties]
    rows = [i.name for i in issues]
    ideal, weight, ideal_hover, weight_hover = [], [], [], []
    totals = {p.id: sum(scenario.stance(p.id, i.id).salience.value for i in issues) or 1.0
              for p in parties}
    for issue in issues:
        stances = [scenario.stance(p.id, issue.id) for p in parties]
        ideal.append([s.ideal.value for s in stances])
        weight.append([100 * s.salience.value / totals[p.id] for s, p in zip(stances, parties,
                                                                               strict=True)])
        ideal_hover.append([_hover(scenario, s.ideal) + _red_lines(issue, s.red_lines)
                            for s in stances])
        weight_hover.append([_hover(scenario, s.salience) for s in stances])
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=SPACING,
                           subplot_titles=("Ideal position (0–100 on each issue's scale)",
                                           "Salience (% of the party's attention)"))
    figure.add_trace(go.Heatmap(
        z=ideal, x=names, y=rows, customdata=ideal_hover, colorscale="RdBu_r", zmin=0, zmax=100,
        text=[[f"{v:.0f}" for v in row] for row in ideal], texttemplate="%{text}",
        colorbar={"title": {"text": "position"}, "x": 0.5 - SPACING / 2 + 0.005,
                  "xanchor": "left", "len": 0.9, "thickness": 14},
        hovertemplate="<b>%{x}</b> on %{y}<br>ideal position %{customdata}<extra></extra>"),
        row=1, col=1)
    figure.add_trace(go.Heatmap(
        z=weight, x=names, y=rows, customdata=weight_hover, colorscale="Greens", zmin=0,
        text=[[f"{v:.0f}%" for v in row] for row in weight], texttemplate="%{text}",
        colorbar={"title": {"text": "% weight"}, "x": 1.005, "xanchor": "left", "len": 0.9,
                  "thickness": 14},
        hovertemplate="<b>%{x}</b> on %{y}<br>weight %{z:.1f}%, salience %{customdata}"
                      "<extra></extra>"), row=1, col=2)
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(side="bottom", title_text="party", tickangle=0)
    figure.update_layout(template="plotly_white", font=FONT, height=160 + 34 * len(rows),
                         margin={"l": 10, "r": 10, "t": 40, "b": 50},
                         hoverlabel={"align": "left"})
    return figure


def _red_lines(issue: object, red_lines: frozenset[str]) -> str:
    if not red_lines:
        return ""
    labels = [o.label for o in issue.options if o.id in red_lines]  # type: ignore[attr-defined]
    return "<br>red lines: " + "; ".join(labels)


def frontier_chart(data: BriefData, ks: Solution | None) -> go.Figure | None:
    """The brief's pairwise frontier with the Kalai–Smorodinsky package added to each pair."""
    figure = frontier_figure(data)
    if figure is None:
        return None
    by_name = {data.party_name(p): p for p in data.scenario.party_ids}
    plans = [t for t in figure.data if t.legendgroup == "plan"]
    for k, trace in enumerate(plans if ks is not None else []):
        x_axis = figure.layout["xaxis" + trace.xaxis[1:]]
        y_axis = figure.layout["yaxis" + trace.yaxis[1:]]
        a, b = by_name[x_axis.title.text], by_name[y_axis.title.text]
        label = "Kalai–Smorodinsky package" + ("" if data.nash_basis == "reservations"
                                               else " (from zero)")
        figure.add_trace(go.Scatter(
            x=[ks.utilities[a]], y=[ks.utilities[b]], mode="markers", name=label,  # type: ignore[union-attr]
            legendgroup="ks", showlegend=k == 0, text=[label], xaxis=trace.xaxis,
            yaxis=trace.yaxis, marker={"symbol": "triangle-up", "size": 15, "color": "#8e44ad",
                                       "line": {"width": 1, "color": "#1f2933"}},
            hovertemplate="%{text}<br>%{x:.3f}, %{y:.3f}<extra></extra>"))
    return _titled(figure, "Pareto frontier, projected on pairs of parties (utility 0–1)")


def timeline_chart(data: BriefData) -> go.Figure | None:
    """The brief's ZOPA-over-time chart, titled."""
    figure = timeline_figure(data)
    return None if figure is None else _titled(
        figure, "Reservations over time, and how many Pareto-optimal packages clear them all")


def clock_chart(data: BriefData) -> go.Figure | None:
    """The brief's territorial clock chart, titled."""
    figure = clock_figure(data)
    return None if figure is None else _titled(
        figure, "Days until each demanded area would be taken at the observed rates")
