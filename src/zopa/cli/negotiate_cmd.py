"""``zopa negotiate``: simulate the talks, print the event log, the outcome and its ratification."""

from __future__ import annotations

import enum
import importlib.util
from typing import Any

import typer

from zopa.cli.inputs import SCENARIO_ARGUMENT, read_scenario
from zopa.cli.render import OutputFormat, Section, emit
from zopa.negotiation import Event, NegotiationModel, NegotiationResult
from zopa.scenario import Scenario

__all__ = ["negotiate"]

NOT_MODELLED = "ratification: not modelled in this scenario"


class ProtocolName(enum.StrEnum):
    """The negotiation protocols."""

    alternating = "alternating"
    mediated = "mediated"


def _package_text(package: tuple[tuple[str, str], ...],
                  before: dict[str, str] | None = None) -> str:
    """``issue=option`` pairs; only the changes when ``before`` is given."""
    pairs = [(issue, option) for issue, option in package
             if before is None or before.get(issue) != option]
    if before is not None and not pairs:
        return "(unchanged)"
    return ", ".join(f"{issue}={option}" for issue, option in pairs)


def _log_rows(events: tuple[Event, ...]) -> list[list[Any]]:
    """One row per event; offers and drafts show what changed since the last one."""
    rows: list[list[Any]] = []
    table: dict[str, str] | None = None
    for event in events:
        if event.action in ("propose", "draft"):
            text = _package_text(event.package, table)
            table = dict(event.package)
        elif event.action == "relay":
            text = "(passed on)"
        elif event.action == "object":
            text = "wants " + _package_text(event.package)
        else:
            text = _package_text(event.package)
        rows.append([f"{event.day:.1f}", event.sender, event.receiver, event.action, text,
                     event.detail])
    return rows


def _outcome_sections(scenario: Scenario, result: NegotiationResult) -> list[Section]:
    status = (f"agreement on day {result.day:g} after {result.rounds} rounds" if result.agreed
              else f"breakdown on day {result.day:g} after {result.rounds} rounds: "
                   f"{result.reason}")
    package = result.agreement or result.last_package or {}
    title = "Agreed package" if result.agreed else "Last package on the table"
    chosen = Section(title, ["issue", "option", "label"],
                     [[issue, option, scenario.issue(issue).option(option).label]
                      for issue, option in package.items()], notes=[status])
    drifted = scenario.at(result.day)
    parties = Section(
        "Parties", ["party", "strategy", f"utility of the {'deal' if result.agreed else 'text'}",
                    f"reservation on day {result.day:g}"],
        [[p, result.strategies[p], result.utilities.get(p), drifted.party(p).reservation.value]
         for p in result.parties])
    return [chosen, parties]


def _ratification(scenario: Scenario, result: NegotiationResult, seed: int) -> dict[str, Any]:
    """Ratification of the agreement, as ``{"summary": [lines], ...}``.

    RATIFICATION CALL SITE (the lead's): the single place where the negotiated
    agreement meets :mod:`zopa.analysis.ratify`. Change the call here if its API
    changes; everything else in this command only prints what this returns.
    """
    if not result.agreed:
        return {"summary": ["ratification: no agreement to ratify"], "verdicts": []}
    if importlib.util.find_spec("zopa.analysis.ratify") is None or not scenario.ratifiers:
        return {"summary": [NOT_MODELLED], "verdicts": []}
    from zopa.analysis.ratify import ratify

    assert result.agreement is not None
    ratification = ratify(scenario, result.agreement, rng=seed)
    lines = [f"ratification by {v.name} ({v.kind}, {v.party}): "
             f"{'approves' if v.approves else 'REJECTS'}, yes share {v.yes_share:.3f}, "
             f"P(approve) {v.probability:.3f}"
             + (f", pivotal group {v.pivotal}" if v.pivotal else "")
             for v in ratification.verdicts]
    lines.append(f"ratified: {'yes' if ratification.ratified else 'NO'}")
    return {"summary": lines, "ratified": ratification.ratified,
            "verdicts": [{"ratifier": v.ratifier, "approves": v.approves,
                          "yes_share": v.yes_share, "probability": v.probability,
                          "pivotal": v.pivotal} for v in ratification.verdicts]}


def negotiate(
    scenario: str = SCENARIO_ARGUMENT,
    protocol: ProtocolName = typer.Option(ProtocolName.alternating, "--protocol",
                                          help="Alternating offers, or a mediated text."),
    seed: int = typer.Option(0, "--seed", help="Random seed (opener, response delays)."),
    deadline: float = typer.Option(90.0, "--deadline", help="Deadline in days."),
    mediator: str | None = typer.Option(
        None, "--mediator", help="A party id, or 'mediator' for a neutral one; parties then "
                                 "talk only through it (default for --protocol mediated)."),
    strategy: str = typer.Option(
        "reservation-aware", "--strategy",
        help="boulware, conceder, linear, tit-for-tat or reservation-aware."),
    strategies: str = typer.Option("", "--strategies",
                                   help="Per-party strategies, e.g. 'russia:boulware'."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f",
                                     help="Output format."),
) -> None:
    """Simulate the talks: who proposed what to whom and when, and how they ended."""
    s = read_scenario(scenario)
    model = NegotiationModel(protocol=protocol.value, strategy=strategy, strategies=strategies,
                             deadline_days=deadline, mediator=mediator)
    result = model.negotiate(s, rng=seed)
    ratification = _ratification(s, result, seed)
    log = Section(f"Negotiation on {s.name}: {protocol.value}, seed {seed}",
                  ["day", "from", "to", "action", "package", "detail"],
                  _log_rows(result.events))
    outcome = _outcome_sections(s, result)
    outcome[-1] = Section(outcome[-1].title, outcome[-1].columns, outcome[-1].rows,
                          notes=ratification["summary"])
    data = result.as_dict()
    data["ratification"] = ratification
    emit([log, *outcome], data, fmt)
