"""The default scenario ukraine-2025: complete, sourced, and analysable."""

from __future__ import annotations

import pytest

from zopa.analysis import evaluate_plan, price_of_peace
from zopa.catalog import DEFAULT_SCENARIO, catalog_names, load_catalog_scenario
from zopa.scenario import Scenario

REQUIRED_ISSUES = {"donetsk", "zaporizhzhia_kherson", "znpp", "nato", "security_guarantees",
                   "army_cap", "sanctions", "frozen_assets", "elections", "referendum",
                   "dmz_depth", "reconstruction"}
REQUIRED_PLANS = {"us-28-point", "ua-us-20-point", "ua-us-20-point-us-variant",
                  "ua-us-20-point-ua-variant", "russia-june-2024", "russia-dec-2025",
                  "europe-counter-draft"}


def test_default_is_in_the_catalog() -> None:
    assert DEFAULT_SCENARIO == "ukraine-2025"
    assert DEFAULT_SCENARIO in catalog_names()


def test_unknown_catalog_name() -> None:
    with pytest.raises(KeyError):
        load_catalog_scenario("atlantis-3000")


def test_parties_issues_and_plans(ukraine: Scenario) -> None:
    assert {"russia", "ukraine", "united_states", "eu"} <= set(ukraine.party_ids)
    assert len(ukraine.issues) >= 12
    assert REQUIRED_ISSUES <= set(ukraine.issue_ids)
    assert REQUIRED_PLANS <= {p.id for p in ukraine.proposals}
    variants = {p.id for p in ukraine.proposals if p.variant_of == "ua-us-20-point"}
    assert variants == {"ua-us-20-point-us-variant", "ua-us-20-point-ua-variant"}


def test_key_options_exist(ukraine: Scenario) -> None:
    assert len(ukraine.issue("donetsk").options) >= 3
    assert len(ukraine.issue("znpp").options) >= 4
    assert len(ukraine.issue("zaporizhzhia_kherson").options) >= 3


def test_every_number_is_sourced_or_a_marked_judgement(ukraine: Scenario) -> None:
    unsupported = [path for path, value in ukraine.uncertain_values()
                   if not value.sources and not (value.judgement and value.note)]
    assert unsupported == []


def test_every_source_is_described(ukraine: Scenario) -> None:
    for source in ukraine.sources:
        assert source.document.strip(), source.key
    cited = {key for _, v in ukraine.uncertain_values() for key in v.sources}
    cited |= {key for p in ukraine.proposals for key in p.sources}
    assert cited <= {s.key for s in ukraine.sources}


def test_disagreements_are_ranges(ukraine: Scenario) -> None:
    ranges = [v for _, v in ukraine.uncertain_values() if not v.is_point]
    assert len(ranges) >= 10


@pytest.mark.parametrize("plan", sorted(REQUIRED_PLANS))
def test_every_plan_can_be_evaluated(ukraine: Scenario, plan: str) -> None:
    result = evaluate_plan(ukraine, plan)
    assert {v.party for v in result.verdicts} == set(ukraine.party_ids)
    concessions = price_of_peace(ukraine, plan)
    assert len(concessions.items) == len(ukraine.parties) * len(ukraine.issues)


def test_claims_of_the_tutorial_hold(ukraine: Scenario) -> None:
    """docs/tutorials/first-analysis.md describes these results in words; keep them true."""
    from zopa.analysis import find_zopa, solve

    zopa = find_zopa(ukraine)
    assert (zopa.space_size, zopa.admissible_size, zopa.exists) == (373_248_000, 69_984_000,
                                                                      False)
    draft = evaluate_plan(ukraine, "ua-us-20-point")
    assert draft.blockers == ("russia",)
    assert draft.verdicts[0].red_lines_hit == (("znpp", "us_ua_jv"),)
    variant = evaluate_plan(ukraine, "ua-us-20-point-us-variant")
    assert variant.blockers == ("russia",) and variant.verdicts[0].red_lines_hit == ()
    assert variant.unblocking is None and variant.closest is not None
    compromise = solve(ukraine, disagreement="zero").solutions
    for issue, option in [("znpp", "trilateral"), ("security_guarantees", "us_15yr"),
                          ("army_cap", "cap_800k"), ("referendum", "referendum")]:
        assert {s.choices[issue] for s in compromise} == {option}
