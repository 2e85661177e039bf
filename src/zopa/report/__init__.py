"""The brief: a report on one plan that answers the price of peace, who decides and who pays.

:func:`collect_brief` runs the analyses once into a frozen :class:`BriefData`;
:func:`render_markdown` and :func:`render_html` turn it into a Markdown or a
self-contained HTML document. HTML needs the ``report`` extra (Plotly and Jinja2);
Markdown needs nothing beyond zopa itself.

Examples
--------
>>> from zopa.report import collect_brief, render_markdown
>>> from zopa.scenario.synthetic import random_scenario
>>> data = collect_brief(random_scenario(3, 4, 3, rng=0), "plan-a", days=30)
>>> "## 3. Who pays" in render_markdown(data)
True
"""

from __future__ import annotations

from zopa.report.assumptions import Assumption, collect_assumptions
from zopa.report.brief import BriefData, PartyStanding, ProposalPoint, collect_brief
from zopa.report.markdown import render_markdown

__all__ = [
    "Assumption",
    "BriefData",
    "PartyStanding",
    "ProposalPoint",
    "collect_assumptions",
    "collect_brief",
    "render_html",
    "render_markdown",
]


def render_html(data: BriefData) -> str:
    """The brief as one self-contained HTML document (needs the ``report`` extra).

    Imported on call, so that the Markdown brief works without Plotly and Jinja2.
    """
    from zopa.report.html import render_html as render

    return render(data)
