"""The sentences of a brief, shared by the HTML and Markdown renderers.

Plain statements of what the analyses found, in the scenario's own names. They
describe, they do not recommend: "stands below its reservation", never "should".
"""

from __future__ import annotations

from zopa.report.brief import BriefData, PartyStanding

__all__ = [
    "NOT_MODELLED",
    "amount",
    "clock_summary",
    "decides_glance",
    "decides_summary",
    "fixed",
    "frontier_summary",
    "nash_summary",
    "pays_summary",
    "percent",
    "price_summary",
    "standing_sentence",
    "timeline_summary",
    "unblocking_summary",
    "zopa_summary",
]

NOT_MODELLED = "not modelled in this scenario"


def fixed(value: float | None, digits: int = 3) -> str:
    """A number with fixed decimals; an en dash for a missing one.

    Examples
    --------
    >>> fixed(0.25), fixed(None), fixed(-0.5, 2)
    ('0.250', '–', '-0.50')
    """
    return "–" if value is None else f"{value:.{digits}f}"


def percent(value: float, digits: int = 0) -> str:
    """A share as a percentage.

    Examples
    --------
    >>> percent(0.255)
    '26%'
    """
    return f"{100 * value:.{digits}f}%"


def amount(value: float) -> str:
    """An amount of money or area: thousands separated, at most four significant digits.

    Examples
    --------
    >>> amount(14820.0), amount(2.5), amount(0.00714), amount(524000.0)
    ('14,820', '2.5', '0.00714', '524,000')
    """
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _names(names: list[str], singular: str, plural: str) -> str:
    """``A does`` / ``A and B do``: names joined, with the verb agreeing."""
    if len(names) == 1:
        return f"{names[0]} {singular}"
    return f"{', '.join(names[:-1])} and {names[-1]} {plural}"


def _red_lines(data: BriefData, hits: tuple[tuple[str, str], ...]) -> str:
    return "; ".join(f"{data.scenario.issue(i).name}: {data.option_label(i, o)}"
                     for i, o in hits)


def standing_sentence(data: BriefData, standing: PartyStanding) -> str:
    """One party's price of peace in a sentence."""
    side = "above" if standing.margin >= 0 else "below"
    text = (f"{standing.name} gets {fixed(standing.utility)} of the "
            f"{fixed(standing.ideal_utility)} its ideal package would give it (gives up "
            f"{fixed(standing.given_up)}); that is {fixed(abs(standing.margin))} {side} its "
            f"reservation of {fixed(standing.reservation)}.")
    if standing.red_lines_hit:
        lines = "red line" if len(standing.red_lines_hit) == 1 else "red lines"
        text += f" The plan crosses its {lines} on {_red_lines(data, standing.red_lines_hit)}."
    return text


def price_summary(data: BriefData) -> str:
    """Who accepts the plan at the central values, in one sentence."""
    accepting = [s.name for s in data.standings if s.accepts]
    refusing = [s.name for s in data.standings if not s.accepts]
    if not refusing:
        return (f"At the central values of every input, all {len(accepting)} parties value "
                f"{data.plan.name} at or above their reservation and none of their red lines "
                "is crossed.")
    return (f"At the central values of every input, {len(accepting)} of {len(data.standings)} "
            f"parties accept {data.plan.name}; it falls short for {', '.join(refusing)} "
            "(below the reservation or across a red line).")


def zopa_summary(data: BriefData) -> str:
    """Whether any package clears every reservation and red line."""
    zopa = data.zopa
    if zopa.exists:
        size = "an uncounted number of" if zopa.size is None else f"{zopa.size:,}"
        return (f"A zone of possible agreement exists: {size} of {zopa.space_size:,} packages "
                "clear every party's reservation and red lines "
                f"({len(zopa.frontier):,} of them Pareto-optimal).")
    short = [f"{data.party_name(r.party)} by {fixed(r.shortfall)}" for r in zopa.reach
             if r.shortfall]
    text = (f"No package of the {zopa.space_size:,} clears every party's reservation and red "
            "lines: the zone of possible agreement is empty.")
    if short:
        text += (" Measured against what all the others accept, the best package still falls "
                 f"short for {', '.join(short)}.")
    return text


def unblocking_summary(data: BriefData) -> str:
    """The smallest change to the plan that every party would accept, or why there is none."""
    fix = data.evaluation.unblocking
    if fix is None:
        return ("No change to the plan wins every party, because no package clears every "
                "reservation and red line.")
    if not fix.changes:
        return "No change is needed for every party to accept the plan at the central values."
    changes = "; ".join(
        f"{data.scenario.issue(c.issue).name}: {data.option_label(c.issue, c.from_option)} → "
        f"{data.option_label(c.issue, c.to_option)}" for c in fix.changes)
    issues = "one issue" if len(fix.changes) == 1 else f"{len(fix.changes)} issues"
    return f"The smallest change after which every party accepts touches {issues}: {changes}."


def nash_summary(data: BriefData) -> str:
    """Which package the Nash bargaining solution picks and on what basis."""
    if data.nash is None:
        return "No Nash package: some issue has every option ruled out by a red line."
    if data.nash_basis == "reservations":
        basis = "gains measured from each party's reservation"
    else:
        basis = ("gains measured from zero, because the zone of possible agreement is empty: "
                 "at least one party values it below walking away")
    same = data.nash.choices == data.evaluation.choices
    return (f"The Nash bargaining package ({basis}) "
            f"{'is the plan itself' if same else 'differs from the plan'}.")


def frontier_summary(data: BriefData) -> str:
    """How many Pareto-optimal packages there are."""
    n = len(data.frontier)
    profiles = "one distinct utility profile" if n == 1 else f"{n:,} distinct utility profiles"
    return (f"The Pareto frontier within every red line has {profiles}; the chart projects it "
            "onto pairs of parties.")


def decides_summary(data: BriefData) -> str:
    """The decision rule and the ratification verdicts in one paragraph."""
    parties = len(data.scenario.parties)
    text = (f"In this model a deal needs the consent of each of the {parties} parties, so each "
            "is a veto player.")
    blockers = [data.party_name(p) for p in data.evaluation.blockers]
    if blockers:
        text += f" At the central values, the plan lacks the consent of {', '.join(blockers)}."
    if not data.ratification.verdicts:
        return text + f" Ratification is {NOT_MODELLED}."
    parts = []
    for v in data.ratification.verdicts:
        verdict = "approves" if v.approves else "does not approve"
        piece = (f"{v.name} ({v.kind}) {verdict} at the central values "
                 f"(yes {percent(v.yes_share)} against a majority of {percent(v.majority)}; "
                 f"approves in {percent(v.probability)} of draws over the input ranges)")
        if v.pivotal:
            piece += f"; pivotal group: {data.group_name(v.ratifier, v.pivotal)}"
        parts.append(piece)
    return text + " Ratification: " + "; ".join(parts) + "."


def decides_glance(data: BriefData) -> str:
    """The decision in two short sentences: consent of the parties, then ratification."""
    parties = len(data.scenario.parties)
    blockers = [data.party_name(p) for p in data.evaluation.blockers]
    text = f"Each of the {parties} parties holds a veto; "
    text += (f"at the central values {_names(blockers, 'does', 'do')} not consent."
             if blockers else "at the central values all of them consent.")
    verdicts = data.ratification.verdicts
    if not verdicts:
        return text + f" Ratification is {NOT_MODELLED}."
    yes = [v.name for v in verdicts if v.approves]
    no = [v.name for v in verdicts if not v.approves]
    if not no:
        return text + f" Every ratifier approves ({', '.join(yes)})."
    if not yes:
        return text + f" No ratifier approves ({', '.join(no)})."
    return text + (f" {_names(yes, 'approves', 'approve')}; "
                   f"{_names(no, 'does', 'do')} not.")


def pays_summary(data: BriefData) -> str:
    """The bill and who carries it."""
    payers = data.payers
    if not data.scenario.costs:
        return f"Costs are {NOT_MODELLED}."
    low, central, high = payers.total
    text = (f"The bills total {amount(central)} {payers.unit} (range {amount(low)}–"
            f"{amount(high)}).")
    if not payers.rules_applied:
        return text + (" No funding rule of the scenario matches the plan's options, so the "
                       "whole bill is unfunded under it.")
    shares = ", ".join(f"{data.party_name(s.payer)} {percent(s.share_of_total)}"
                       for s in payers.shares)
    text += f" Under the plan: {shares} of the central total."
    if payers.unfunded[1] > 0:
        text += f" Unfunded: {amount(payers.unfunded[1])} {payers.unit}."
    return text


def clock_summary(data: BriefData) -> str:
    """The territorial clock in one sentence per area."""
    if not data.clocks:
        return f"The territorial clock is {NOT_MODELLED} (no area with a clock)."
    parts = []
    for c in data.clocks:
        who = f" demanded by {data.party_name(c.demanded_by)}" if c.demanded_by else ""
        parts.append(f"{c.name} ({amount(c.km2)} km²{who}) would take about "
                     f"{c.days_central:,.0f} days at the central rate ({c.days_fast:,.0f} at "
                     f"the high rate, {c.days_slow:,.0f} at the low rate)")
    return "; ".join(parts) + "."


def timeline_summary(data: BriefData) -> str:
    """The ripeness window over the horizon."""
    points = data.timeline.points
    horizon = points[-1].day if points else 0
    drifting = " (reservations drift with the scenario's clocks)" if data.scenario.drifts else (
        " (no reservation drifts in this scenario, so the picture is constant)")
    if not data.timeline.windows:
        return f"No zone of possible agreement on any day evaluated up to day {horizon}{drifting}."
    windows = ", ".join(f"days {a}–{b}" for a, b in data.timeline.windows)
    return f"A zone of possible agreement exists on {windows}{drifting}."
