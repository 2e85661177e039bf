"""Time, ratification and payers on the small harbour scenario, checked by hand."""

from __future__ import annotations

import dataclasses

import pytest

from zopa.analysis.payers import who_pays
from zopa.analysis.ratify import ratify
from zopa.analysis.timeline import territorial_clock, timeline
from zopa.errors import ScenarioError
from zopa.scenario import Scenario, Uncertain
from zopa.scenario.dynamics import Clock
from zopa.scenario.territory import Area


def test_timeline_and_ripeness_window(harbour: Scenario) -> None:
    result = timeline(harbour, days=3000, step=1000)
    assert [p.day for p in result.points] == [0, 1000, 2000, 3000]
    assert [p.zopa_exists for p in result.points] == [True, True, True, False]
    assert result.windows == ((0, 2000),)
    assert result.points[1].reservations["port"] == pytest.approx(0.0)  # 0.3 - 1e-5 * 100/day
    assert result.points[0].nash == {"fees": "low", "berths": "split", "dredging": "shared"}


def test_timeline_rejects_bad_steps(harbour: Scenario) -> None:
    with pytest.raises(ScenarioError, match="step > 0"):
        timeline(harbour, days=10, step=0)


def test_territorial_clock_arithmetic(harbour: Scenario) -> None:
    rate = Clock("advance", "Area taken", "km2", Uncertain(12.0, 14.0, 17.0))
    areas = (Area("held", "Held area", Uncertain(5000.0, 5000.0, 6000.0), "south", "advance"),
             Area("lux", "Luxembourg", Uncertain.point(2586.0), reference=True))
    clock = territorial_clock(harbour.replace(clocks=(*harbour.clocks, rate), areas=areas))[0]
    assert round(clock.days_fast) == 294 and round(clock.days_slow) == 417
    assert clock.days_central == pytest.approx(5000 / 14)
    assert clock.days_range == pytest.approx((5000 / 17, 6000 / 12))
    assert clock.in_reference_units["lux"] == pytest.approx(5000 / 2586)


def test_referendum_verdict_pivot_and_costly_provisions(harbour: Scenario) -> None:
    result = ratify(harbour, "board-draft", rng=1)
    vote, board = result.verdicts
    # fishers 0.4 x 0.7 = 0.28 and traders 0.6 x 0.5 = 0.30 of the electorate vote; both yes
    assert vote.turnout == pytest.approx(0.58) and vote.yes_share == 1.0 and vote.approves
    assert vote.pivotal == "traders"  # without them: 0.28 / 0.58 < 0.5
    assert vote.sequencing == "only after a ceasefire of at least 30 days"
    assert not board.approves and board.pivotal == "board"
    assert board.costly_provisions[0].issue == "fees"
    assert board.costly_provisions[0].better_option == "high"
    assert not result.ratified


def test_red_line_of_a_segment_means_no(harbour: Scenario) -> None:
    result = ratify(harbour, "port-offer", rng=1)
    fishers = result.verdicts[0].groups[0]
    assert fishers.red_lines_hit == ("fees",) and not fishers.yes


def test_probability_reflects_ranges(harbour: Scenario) -> None:
    ratifier = harbour.ratifiers[0]
    fishers = dataclasses.replace(ratifier.groups[0], threshold=Uncertain(0.4, 0.6, 0.8))
    traders = dataclasses.replace(ratifier.groups[1], share=Uncertain.point(0.6),
                                  threshold=Uncertain.point(0.99))
    changed = dataclasses.replace(ratifier, groups=(fishers, traders))
    scenario = harbour.replace(ratifiers=(changed,))
    first = ratify(scenario, "board-draft", rng=3).verdicts[0]
    assert 0.0 < first.probability < 1.0  # fishers' utility 0.6 sits inside their threshold range
    assert first.probability == ratify(scenario, "board-draft", rng=3).verdicts[0].probability


def test_payers_split_the_bill(harbour: Scenario) -> None:
    result = who_pays(harbour, "board-draft")
    shares = {p.payer: p for p in result.shares}
    assert result.total == (2.0, 3.0, 5.0)
    assert shares["port"].central == 1.5 and shares["north"].central == 0.75
    assert shares["north"].share_of_total == 0.25
    assert result.unfunded == (0.0, 0.0, 0.0)
    assert result.rules_applied == (("dredging", "shared"),)


def test_unknown_plan(harbour: Scenario) -> None:
    with pytest.raises(ScenarioError, match="unknown plan"):
        who_pays(harbour, "nothing")
    with pytest.raises(ScenarioError, match="unknown plan"):
        ratify(harbour, "nothing")
