"""Render a brief as Markdown: the same sections and numbers as the HTML, as tables.

Markdown carries no charts; the data behind each chart is given as a table instead.
Needs neither Plotly nor Jinja2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from zopa.__about__ import __version__
from zopa.report import wording as w
from zopa.report.assumptions import value_text
from zopa.report.brief import BriefData

__all__ = ["render_markdown"]


def _cell(value: object) -> str:
    text = " ".join(str(value).split())
    return text.replace("|", "\\|") or "–"


def _table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(c) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _price(data: BriefData) -> list[str]:
    s = data.scenario
    lines = ["## 1. The price of peace", "", w.price_summary(data), ""]
    lines += [f"- {w.standing_sentence(data, st)}" for st in data.standings] + [""]
    lines += _table(
        ["party", "the plan", "ideal package", "given up vs ideal", "reservation",
         "margin over reservation", "red lines crossed", "accepts"],
        [[st.name, w.fixed(st.utility), w.fixed(st.ideal_utility), w.fixed(st.given_up),
          w.fixed(st.reservation), f"{st.margin:+.3f}",
          "; ".join(f"{s.issue(i).name}: {data.option_label(i, o)}"
                    for i, o in st.red_lines_hit), "yes" if st.accepts else "**no**"]
         for st in data.standings])
    by_key = {(c.party, c.issue): c for c in data.concessions.items}
    lines += ["Distance of the plan's option from each party's ideal, issue by issue (0–100):",
              ""]
    lines += _table(["issue", "the plan's option", *(p.name for p in s.parties)],
                    [[i.name, data.option_label(i.id, data.evaluation.choices[i.id]),
                      *(f"{by_key[(p.id, i.id)].distance:g}" for p in s.parties)]
                     for i in s.issues])
    lines += ["### Is there a deal every party prefers to walking away?", "",
              w.zopa_summary(data), "", w.unblocking_summary(data), ""]
    closest = data.evaluation.closest
    if closest is not None:
        plan = data.evaluation.choices
        lines += ["The package whose worst-off party is least far below its reservation, "
                  "where it differs from the plan:", ""]
        lines += _table(["issue", "the plan", "closest package"],
                        [[s.issue(i).name, data.option_label(i, plan[i]), data.option_label(i, o)]
                         for i, o in closest.choices.items() if plan[i] != o])
    return lines


def _decides(data: BriefData) -> list[str]:
    lines = ["## 2. Who decides", "", w.decides_summary(data), "",
             f"Veto players: {', '.join(data.veto_players)}.", ""]
    verdicts = data.ratification.verdicts
    if not verdicts:
        return lines
    lines += _table(
        ["ratifier", "kind", "for", "yes share", "majority", "turnout", "quorum", "approves",
         "P(approve)", "pivotal group", "sequencing"],
        [[v.name, v.kind, data.party_name(v.party), w.percent(v.yes_share, 1),
          w.percent(v.majority), w.percent(v.turnout, 1), w.percent(v.quorum),
          "yes" if v.approves else "**no**", w.percent(v.probability),
          data.group_name(v.ratifier, v.pivotal),
          v.sequencing or "–"] for v in verdicts])
    for v in verdicts:
        lines += [f"### {v.name}: how each group votes", ""]
        lines += _table(["group", "share", "turnout", "value of the plan", "threshold",
                         "red lines crossed", "vote"],
                        [[data.group_name(v.ratifier, g.group)
                          + (" (pivotal)" if g.group == v.pivotal else ""),
                          w.percent(g.share, 1), w.percent(g.turnout, 1), w.fixed(g.utility),
                          w.fixed(g.threshold),
                          ", ".join(data.scenario.issue(i).name for i in g.red_lines_hit),
                          "yes" if g.yes else "no"] for g in v.groups])
        if v.costly_provisions:
            lines += ["Provisions that cost the most yes votes: " + "; ".join(
                f"{data.scenario.issue(p.issue).name} ({data.option_label(p.issue, p.option)}; "
                f"{data.option_label(p.issue, p.better_option)} would raise the yes share by "
                f"{100 * p.votes_gained:.1f} points)" for p in v.costly_provisions) + ".", ""]
    return lines


def _pays(data: BriefData) -> list[str]:
    lines = ["## 3. Who pays", "", w.pays_summary(data), ""]
    if not data.scenario.costs:
        return lines
    pay = data.payers
    rows = [[data.party_name(sh.payer), w.amount(sh.low), w.amount(sh.central), w.amount(sh.high),
             w.percent(sh.share_of_total, 1), w.fixed(sh.utility_cost)] for sh in pay.shares]
    unfunded_share = pay.unfunded[1] / pay.total[1] if pay.total[1] else 0.0
    rows.append(["unfunded", *(w.amount(x) for x in pay.unfunded), w.percent(unfunded_share, 1),
                 "–"])
    return lines + _table([f"payer ({pay.unit})", "low", "central", "high",
                           "share of the central total", "utility given up on funding issues"],
                          rows)


def _deal_space(data: BriefData) -> list[str]:
    s = data.scenario
    lines = ["## 4. The deal space", "", f"{w.frontier_summary(data)} {w.nash_summary(data)}", ""]
    rows = [[p.name + (" (this brief)" if p.is_plan else ""),
             *(w.fixed(p.utilities[q]) for q in s.party_ids)] for p in data.proposals]
    if data.nash is not None:
        label = "Nash package" + (" (gains from zero)" if data.nash_basis == "zero" else "")
        rows.append([label, *(w.fixed(data.nash.utilities[q]) for q in s.party_ids)])
    rows.append(["reservation", *(w.fixed(st.reservation) for st in data.standings)])
    return lines + _table(["proposal", *(p.name for p in s.parties)], rows)


def _time(data: BriefData) -> list[str]:
    lines = ["## 5. Time", "", "### The territorial clock", "", w.clock_summary(data), ""]
    if data.clocks:
        lines += _table(
            ["area", "demanded by", "km²", "rate per day (low / central / high)",
             "days at high / central / low rate", "days (all bounds)"],
            [[c.name, data.party_name(c.demanded_by) if c.demanded_by else "–",
              w.amount(c.km2), "{:g} / {:g} / {:g}".format(*c.rate_range),
              f"{c.days_fast:,.0f} / {c.days_central:,.0f} / {c.days_slow:,.0f}",
              f"{c.days_range[0]:,.0f}–{c.days_range[1]:,.0f}"] for c in data.clocks])
    lines += ["### The ZOPA over time", "", w.timeline_summary(data), ""]
    parties = data.scenario.party_ids
    lines += _table(["day", *(f"{data.party_name(p)} reservation" for p in parties),
                     "ZOPA", "Pareto-optimal ZOPA packages"],
                    [[p.day, *(w.fixed(p.reservations[q]) for q in parties),
                      "yes" if p.zopa_exists else "no", p.frontier_size]
                     for p in data.timeline.points])
    return lines


def _assumptions(data: BriefData) -> list[str]:
    judgements = sum(1 for a in data.assumptions if a.judgement)
    lines = ["## 6. Assumptions and sources", "",
             f"The analyses use the central value of each of these {len(data.assumptions)} "
             f"numbers; ranges feed the probability of ratification. {judgements} of them are "
             "marked as the analyst's judgement rather than a sourced figure.", ""]
    lines += _table(["field", "value", "judgement", "note", "sources"],
                    [[f"`{a.label}`", value_text(a.value), "judgement" if a.judgement else "–",
                      a.note, ", ".join(f"[{src.key}](#source-{src.key.lower()})"
                                        for src in a.sources)]
                     for a in data.assumptions])
    lines += ["### Sources", ""]
    if not data.scenario.sources:
        return [*lines, "This scenario cites no sources.", ""]
    for src in data.scenario.sources:
        parts = [src.document]
        if src.date:
            parts.append(src.date.isoformat())
        if src.url:
            parts.append(f"<{src.url}>")
        if src.note:
            parts.append(src.note)
        lines.append(f"- <a id=\"source-{src.key.lower()}\"></a>**{src.key}**: "
                     + " · ".join(" ".join(p.split()) for p in parts))
    return [*lines, ""]


def render_markdown(data: BriefData) -> str:
    """The brief as Markdown (a string).

    Examples
    --------
    >>> from zopa.report.brief import collect_brief
    >>> from zopa.scenario.synthetic import random_scenario
    >>> text = render_markdown(collect_brief(random_scenario(2, 3, 3, rng=1), "plan-a", days=30))
    >>> [line for line in text.splitlines() if line.startswith("## ")][:3]
    ['## 1. The price of peace', '## 2. Who decides', '## 3. Who pays']
    """
    s = data.scenario
    head = [f"# Brief: {data.plan.name}", "",
            f"*{s.name}*" + (f", as of {s.as_of.isoformat()}" if s.as_of else ""), ""]
    if data.plan.description:
        head += [" ".join(data.plan.description.split()), ""]
    head += ["This brief states what the scenario's numbers imply; it takes no side. Every "
             "number is an input listed under *Assumptions and sources*, or a result computed "
             "from them at the central value of each input. The charts are in the HTML brief "
             "(`zopa brief --plan " + data.plan.id + " -o brief.html`); here their data is "
             "given as tables.", "",
             f"- **The price of peace.** {w.price_summary(data)}",
             f"- **Who decides.** {w.decides_glance(data)}",
             f"- **Who pays.** {w.pays_summary(data)}", ""]
    foot = ["---", "", f"Generated by zopa {__version__} from scenario `{s.id}` (content hash "
            f"`{data.provenance.scenario_hash[:16]}`), plan `{data.plan.id}`.", ""]
    body = (_price(data) + _decides(data) + _pays(data) + _deal_space(data) + _time(data)
            + _assumptions(data))
    return "\n".join(head + body + foot)
