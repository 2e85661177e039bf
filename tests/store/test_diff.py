"""Scenario diffs: what changed, item by item, from what to what (no database needed)."""

from __future__ import annotations

import dataclasses

from zopa.scenario import Issue, Option, Scenario, Source, Uncertain
from zopa.store import describe, diff_scenarios


def _rows(old: Scenario, new: Scenario) -> list[tuple[str, str, str, str, str, str]]:
    return [(e.section, e.item, e.field, e.change, describe(e.before), describe(e.after))
            for e in diff_scenarios(old, new).entries]


def test_identical_scenarios_have_no_differences(harbour: Scenario) -> None:
    found = diff_scenarios(harbour, harbour)
    assert found.empty and found.old == found.new
    assert found.as_dict()["summary"] == {s: 0 for s in found.as_dict()["summary"]}


def test_a_point_that_becomes_a_range_is_one_change(harbour: Scenario) -> None:
    south = harbour.party("south")
    ranged = dataclasses.replace(south, reservation=Uncertain(0.3, 0.35, 0.4))
    assert _rows(harbour, harbour.with_party(ranged)) == [
        ("parties", "south", "reservation", "changed", "0.4", "0.35 [0.3, 0.4]")]


def test_citation_note_and_judgement_are_reported_apart(harbour: Scenario) -> None:
    north = harbour.party("north")
    resourced = dataclasses.replace(north.reservation, sources=("minutes",), note=None,
                                    judgement=False)
    rows = _rows(harbour, harbour.with_party(dataclasses.replace(north, reservation=resourced)))
    assert rows == [
        ("parties", "north", "reservation.source", "added", "-", "minutes"),
        ("parties", "north", "reservation.note", "removed", "walk-away: keep suing", "-"),
        ("parties", "north", "reservation.judgement", "removed", "True", "-"),
    ]


def test_sources_options_stances_and_proposals(harbour: Scenario) -> None:
    fees = harbour.issue("fees")
    waived = Option("waived", "Waived", Uncertain.point(5))
    more = Issue(fees.id, fees.name, (*fees.options, waived), fees.low_label, fees.high_label,
                 fees.status_quo, fees.description)
    stance = harbour.stance("port", "fees")
    new_stance = dataclasses.replace(stance, values=(("low", Uncertain.point(0.7)),),
                                     red_lines=frozenset({"none"}))
    changed = harbour.replace(
        issues=tuple(more if i.id == "fees" else i for i in harbour.issues),
        sources=(*harbour.sources, Source("leak", "A leaked memo", url="https://x.example")),
        proposals=harbour.proposals[:1],
        description="Changed.",
    ).with_stance(new_stance)
    rows = _rows(harbour, changed)
    assert ("scenario", "harbour", "description", "changed",
            "Two towns and a port authority settle fees, berths and dredging.",
            "Changed.") in rows
    assert ("sources", "leak", "", "added", "-", "A leaked memo") in rows
    assert ("options", "fees/waived", "", "added", "-", "Waived") in rows
    assert ("stances", "port on fees", "values.low", "changed", "0.6", "0.7") in rows
    assert ("stances", "port on fees", "red_lines", "added", "-", "none") in rows
    assert ("proposals", "port-offer", "", "removed", "Port's offer", "-") in rows
    found = diff_scenarios(harbour, changed)
    assert found.count("options") == 1 and found.count("proposals") == 1
    assert found.as_dict()["changes"][0]["section"] == "scenario"


def test_proposal_option_and_party_changes(harbour: Scenario) -> None:
    draft = harbour.proposal("board-draft")
    moved = dataclasses.replace(draft, choices=(("fees", "none"), ("berths", "split"),
                                                ("dredging", "shared")))
    renamed = dataclasses.replace(harbour.party("port"), name="Harbour Authority")
    rows = _rows(harbour, harbour.with_proposal(moved).with_party(renamed))
    assert ("parties", "port", "name", "changed", "Port Authority", "Harbour Authority") in rows
    assert ("proposals", "board-draft", "options.fees", "changed", "low", "none") in rows


def test_context_sections_are_compared_too(harbour: Scenario) -> None:
    rate = dataclasses.replace(harbour.drifts[0].per_unit, low=-2e-5, mode=-2e-5, high=-2e-5)
    drift = dataclasses.replace(harbour.drifts[0], per_unit=rate)
    ratifier = harbour.ratifiers[0]
    group = dataclasses.replace(ratifier.groups[0], turnout=Uncertain(0.5, 0.6, 0.7))
    changed = harbour.replace(
        drifts=(drift, *harbour.drifts[1:]),
        ratifiers=(dataclasses.replace(ratifier, groups=(group, *ratifier.groups[1:])),
                   *harbour.ratifiers[1:]),
        areas=())
    rows = _rows(harbour, changed)
    assert ("drifts", "port/silt", "per_unit", "changed", "-1e-05", "-2e-05") in rows
    assert ("ratifiers", ratifier.id, f"groups.{group.id}.turnout", "changed",
            "0.7 [0.6, 0.8]", "0.6 [0.5, 0.7]") in rows
    assert {r[:4] for r in rows if r[0] == "areas"} == {
        ("areas", a.id, "", "removed") for a in harbour.areas}
    assert diff_scenarios(harbour, changed).as_dict()["summary"]["drifts"] == 1
