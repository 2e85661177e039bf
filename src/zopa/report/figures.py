"""Plotly figures of a brief, built from :class:`~zopa.report.brief.BriefData` only.

Every function returns a :class:`plotly.graph_objects.Figure`, or ``None`` when the
scenario does not model what the figure would show (no clocks, no costs, no
ratifiers). Figures use SVG traces only (no WebGL), so they render the same in a
headless browser without a GPU.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from zopa.report.brief import BriefData

__all__ = [
    "MAX_PAIRS",
    "clock_figure",
    "concessions_figure",
    "frontier_figure",
    "party_colors",
    "payers_figure",
    "ratification_figure",
    "standing_figure",
    "timeline_figure",
]

MAX_PAIRS = 6
GRID = 0.01  # frontier points are merged on this utility grid for drawing (1/100 of the scale)
PALETTE = qualitative.Safe
NEUTRAL = "#9aa5b1"
TEMPLATE = "plotly_white"


def party_colors(data: BriefData) -> dict[str, str]:
    """One colour per party (and per non-party payer), stable across the brief's charts."""
    ids = list(data.scenario.party_ids)
    ids += [s.payer for s in data.payers.shares if s.payer not in ids]
    return {pid: PALETTE[i % len(PALETTE)] for i, pid in enumerate(ids)}


def _layout(fig: go.Figure, height: int) -> go.Figure:
    """Shared look; titles are left to the page, so the legend can sit on top."""
    fig.update_layout(template=TEMPLATE, height=height,
                      margin={"l": 60, "r": 30, "t": 30, "b": 50},
                      font={"family": "system-ui, sans-serif", "size": 12},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0,
                              "traceorder": "normal"})
    return fig


def standing_figure(data: BriefData) -> go.Figure:
    """Each party's utility under the plan, against its reservation and its ideal package."""
    names = [s.name for s in data.standings]
    fig = go.Figure()
    fig.add_bar(y=names, x=[s.utility for s in data.standings], orientation="h",
                name="the plan", marker_color=[NEUTRAL if s.accepts else "#c9a227"
                                               for s in data.standings],
                text=[f"{s.utility:.3f}" for s in data.standings], textposition="inside",
                hovertemplate="%{y}: the plan is worth %{x:.3f}<extra></extra>")
    fig.add_scatter(y=names, x=[s.reservation for s in data.standings], mode="markers",
                    name="reservation (walk-away)",
                    marker={"symbol": "line-ns", "size": 26, "line": {"width": 3,
                                                                       "color": "#1f2933"}},
                    hovertemplate="%{y}: reservation %{x:.3f}<extra></extra>")
    fig.add_scatter(y=names, x=[s.ideal_utility for s in data.standings], mode="markers",
                    name="own ideal package", marker={"symbol": "star", "size": 12,
                                                      "color": "#3b6ea5"},
                    hovertemplate="%{y}: ideal package %{x:.3f}<extra></extra>")
    fig.update_xaxes(title_text="utility (0–1, each party's own scale)", range=[0, 1.05])
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 150 + 48 * len(names))


def concessions_figure(data: BriefData) -> go.Figure:
    """Heat map: utility each party gives up on each issue; cells show distance from its ideal."""
    scenario = data.scenario
    by_key = {(c.party, c.issue): c for c in data.concessions.items}
    parties, issues = scenario.party_ids, scenario.issue_ids
    z = [[by_key[(p, i)].utility_loss for p in parties] for i in issues]
    text = [[f"{by_key[(p, i)].distance:g}" for p in parties] for i in issues]
    custom = [[[scenario.issue(i).option(by_key[(p, i)].option).label, by_key[(p, i)].ideal,
                by_key[(p, i)].position] for p in parties] for i in issues]
    fig = go.Figure(go.Heatmap(
        z=z, y=[scenario.issue(i).name for i in issues], x=[data.party_name(p) for p in parties],
        text=text, texttemplate="%{text}", customdata=custom, colorscale="Blues", zmin=0,
        colorbar={"title": {"text": "utility<br>given up"}},
        hovertemplate=("%{x} on %{y}<br>plan: %{customdata[0]} (position %{customdata[2]})"
                       "<br>its ideal: %{customdata[1]}<br>utility given up: %{z:.3f}"
                       "<extra></extra>")))
    fig.update_xaxes(side="top")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, 170 + 30 * len(issues))


def _pairs(data: BriefData) -> list[tuple[int, int]]:
    """Pairs of parties to draw: those involving a party that does not accept come first."""
    ids = data.scenario.party_ids
    refusing = set(data.evaluation.blockers)
    pairs = list(combinations(range(len(ids)), 2))
    pairs.sort(key=lambda pq: 0 if {ids[pq[0]], ids[pq[1]]} & refusing else 1)
    return pairs[:MAX_PAIRS]


def _projection(utilities: np.ndarray, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct points of the frontier projected on parties i and j, and their upper envelope."""
    cloud = np.unique(np.round(utilities[:, [i, j]] / GRID) * GRID, axis=0)
    order = np.lexsort((-cloud[:, 1], -cloud[:, 0]))
    envelope, best = [], -math.inf
    for row in cloud[order]:
        if row[1] > best:
            envelope.append(row)
            best = row[1]
    return cloud, np.array(envelope).reshape(-1, 2)


def _markers(data: BriefData, fig: go.Figure, i: int, j: int, row: int, col: int,
             first: bool) -> None:
    ids = data.scenario.party_ids
    a, b = ids[i], ids[j]
    others = [p for p in data.proposals if not p.is_plan]
    if others:
        fig.add_scatter(x=[p.utilities[a] for p in others], y=[p.utilities[b] for p in others],
                        mode="markers", name="other proposals", legendgroup="proposals",
                        showlegend=first, text=[p.name for p in others],
                        marker={"symbol": "circle-open", "size": 10, "color": "#52606d",
                                "line": {"width": 2}},
                        hovertemplate="%{text}<br>%{x:.3f}, %{y:.3f}<extra></extra>",
                        row=row, col=col)
    if data.nash is not None:
        label = "Nash package" + ("" if data.nash_basis == "reservations" else " (from zero)")
        fig.add_scatter(x=[data.nash.utilities[a]], y=[data.nash.utilities[b]],
                        mode="markers", name=label, legendgroup="nash", showlegend=first,
                        text=[label], marker={"symbol": "star", "size": 20, "color": "#3b6ea5"},
                        hovertemplate="%{text}<br>%{x:.3f}, %{y:.3f}<extra></extra>",
                        row=row, col=col)
    plan = next(p for p in data.proposals if p.is_plan)
    fig.add_scatter(x=[plan.utilities[a]], y=[plan.utilities[b]], mode="markers",
                    name="the plan", legendgroup="plan", showlegend=first,
                    text=[plan.name], marker={"symbol": "diamond", "size": 11, "color": "#c9a227",
                                              "line": {"width": 1, "color": "#1f2933"}},
                    hovertemplate="%{text}<br>%{x:.3f}, %{y:.3f}<extra></extra>",
                    row=row, col=col)


def frontier_figure(data: BriefData) -> go.Figure | None:
    """The Pareto frontier projected on pairs of parties, with the plan, proposals and Nash.

    Dashed lines mark the two parties' reservations: points up and to the right of
    both clear both reservations. ``None`` with fewer than two parties or an empty frontier.
    """
    ids = data.scenario.party_ids
    pairs = _pairs(data)
    if not pairs or len(data.frontier) == 0:
        return None
    utilities = data.frontier.utilities
    cols = min(3, len(pairs))
    rows = math.ceil(len(pairs) / cols)
    fig = make_subplots(rows=rows, cols=cols, horizontal_spacing=0.08, vertical_spacing=0.14)
    reservation = {s.party: s.reservation for s in data.standings}
    for k, (i, j) in enumerate(pairs):
        row, col, first = k // cols + 1, k % cols + 1, k == 0
        cloud, envelope = _projection(utilities, i, j)
        fig.add_scatter(x=cloud[:, 0], y=cloud[:, 1], mode="markers",
                        name="Pareto-optimal packages (projected)", legendgroup="cloud",
                        showlegend=first, marker={"size": 6, "color": NEUTRAL, "opacity": 0.6},
                        hoverinfo="skip", row=row, col=col)
        fig.add_scatter(x=envelope[:, 0], y=envelope[:, 1], mode="lines",
                        name="best trade-off for this pair", legendgroup="envelope",
                        showlegend=first, line={"color": "#52606d", "width": 1.5},
                        hoverinfo="skip", row=row, col=col)
        _markers(data, fig, i, j, row, col, first)
        fig.add_vline(x=reservation[ids[i]], line={"dash": "dash", "color": "#7b8794"},
                      row=row, col=col)
        fig.add_hline(y=reservation[ids[j]], line={"dash": "dash", "color": "#7b8794"},
                      row=row, col=col)
        fig.update_xaxes(title_text=data.party_name(ids[i]), range=[0, 1.02], row=row, col=col)
        fig.update_yaxes(title_text=data.party_name(ids[j]), range=[0, 1.02], row=row, col=col)
    return _layout(fig, 120 + 330 * rows)


def clock_figure(data: BriefData) -> go.Figure | None:
    """Days until each demanded area would be taken, at the high, central and low rate."""
    if not data.clocks:
        return None
    names = [c.name for c in data.clocks]
    fig = go.Figure()
    for label, attr, colour in (("at the high rate", "days_fast", "#3b6ea5"),
                                ("at the central rate", "days_central", "#7b8794"),
                                ("at the low rate", "days_slow", "#c9a227")):
        days = [getattr(c, attr) for c in data.clocks]
        fig.add_bar(y=names, x=days, orientation="h", name=label, marker_color=colour,
                    text=[f"{d:,.0f}" for d in days], textposition="outside",
                    hovertemplate=f"%{{y}}: %{{x:,.0f}} days {label}<extra></extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="days")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 180 + 90 * len(names))


def timeline_figure(data: BriefData) -> go.Figure | None:
    """Reservations over time and the number of Pareto-optimal ZOPA packages each day."""
    points = data.timeline.points
    if not points:
        return None
    days = [p.day for p in points]
    colors = party_colors(data)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(x=days, y=[p.frontier_size for p in points],
                name="Pareto-optimal ZOPA packages", marker_color=NEUTRAL, opacity=0.5,
                hovertemplate="day %{x}: %{y} packages<extra></extra>", secondary_y=True)
    for party in data.scenario.party_ids:
        fig.add_scatter(x=days, y=[p.reservations[party] for p in points], mode="lines+markers",
                        name=f"{data.party_name(party)} reservation",
                        line={"color": colors[party]},
                        hovertemplate="day %{x}: %{y:.3f}<extra></extra>", secondary_y=False)
    step = days[1] - days[0] if len(days) > 1 else 1
    for start, end in data.timeline.windows:
        fig.add_vrect(x0=start - step / 2, x1=end + step / 2, fillcolor="#d9ead3", opacity=0.5,
                      line_width=0, layer="below")
    fig.update_xaxes(title_text="days after the scenario's date")
    fig.update_yaxes(title_text="reservation (utility)", range=[0, 1.02], secondary_y=False)
    most = max(p.frontier_size for p in points)
    fig.update_yaxes(title_text="packages", range=[0, max(1, most) * 1.05], showgrid=False,
                     tick0=0, dtick=max(1, math.ceil(most / 5)), secondary_y=True)
    return _layout(fig, 420)


def payers_figure(data: BriefData) -> go.Figure | None:
    """Stacked bars: each payer's part of the bill at the low, central and high estimate."""
    payers = data.payers
    if not data.scenario.costs:
        return None
    bounds = ["low", "central", "high"]
    colors = party_colors(data)
    fig = go.Figure()
    for share in payers.shares:
        fig.add_bar(y=bounds, x=[share.low, share.central, share.high], orientation="h",
                    name=data.party_name(share.payer), marker_color=colors[share.payer],
                    hovertemplate=f"{data.party_name(share.payer)}: %{{x:,.4g}} {payers.unit}"
                                  "<extra></extra>")
    fig.add_bar(y=bounds, x=list(payers.unfunded), orientation="h", name="unfunded",
                marker={"color": "#ffffff", "line": {"color": "#52606d", "width": 1},
                        "pattern": {"shape": "/"}},
                hovertemplate=f"unfunded: %{{x:,.4g}} {payers.unit}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=payers.unit or "amount")
    fig.update_yaxes(title_text="estimate", autorange="reversed")
    return _layout(fig, 300)


def ratification_figure(data: BriefData) -> go.Figure | None:
    """Each ratifier's yes share at the central values against the majority it needs."""
    verdicts = data.ratification.verdicts
    if not verdicts:
        return None
    names = [v.name for v in verdicts]
    fig = go.Figure()
    fig.add_bar(y=names, x=[v.yes_share for v in verdicts], orientation="h",
                name="yes share (central values)",
                marker_color=[NEUTRAL if v.approves else "#c9a227" for v in verdicts],
                text=[f"P(approve) {v.probability:.0%}" for v in verdicts],
                textposition="outside", cliponaxis=False,
                hovertemplate="%{y}: yes %{x:.1%}<extra></extra>")
    fig.add_scatter(y=names, x=[v.majority for v in verdicts], mode="markers",
                    name="majority needed",
                    marker={"symbol": "line-ns", "size": 26, "line": {"width": 3,
                                                                       "color": "#1f2933"}},
                    hovertemplate="%{y}: needs %{x:.0%}<extra></extra>")
    fig.update_xaxes(title_text="share of votes cast", range=[0, 1.25], tickformat=".0%",
                     tickvals=[0, 0.25, 0.5, 0.75, 1])
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, 150 + 48 * len(names))
