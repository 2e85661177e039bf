"""GENIUS XML: import, export, both round trips, and one-line errors for bad files."""

from __future__ import annotations

import importlib
import itertools
import logging
import os
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from zopa.analysis import DealSpace
from zopa.errors import ScenarioError
from zopa.formats.genius import export_genius, import_genius, import_genius_files
from zopa.formats.genius_read import read_domain, read_profile
from zopa.scenario import Scenario
from zopa.scenario.synthetic import random_scenario

DATA = Path(__file__).parent.parent / "data" / "genius"
DOMAIN = DATA / "canal-domain.xml"
PROFILES = [DATA / "city.xml", DATA / "operator.xml", DATA / "shippers.xml"]


def _negmas():  # type: ignore[no-untyped-def]
    if os.environ.get("CI") == "true":
        return importlib.import_module("negmas")  # CI installs the extra: missing is a failure
    return pytest.importorskip("negmas", reason="NegMAS is not installed; install the negmas "
                                                "extra: pip install 'zopa[negmas]'")


def _all_utilities(scenario: Scenario) -> np.ndarray:
    space = DealSpace.from_scenario(scenario)
    packages = np.array(list(itertools.product(*[range(len(o)) for o in space.options])))
    return sum(table[packages[:, i]] for i, table in enumerate(space.tables))


@pytest.fixture(scope="module")
def canal() -> Scenario:
    return import_genius(DOMAIN, PROFILES)


# -- import -----------------------------------------------------------------------------------
def test_import_maps_issues_items_and_parties(canal: Scenario) -> None:
    assert canal.id == "canal" and canal.name == "Canal"
    assert canal.party_ids == ("city", "operator", "shippers")
    assert canal.issue_ids == ("Toll", "Maintenance", "Opening_hours")
    toll = canal.issue("Toll")
    assert [o.label for o in toll.options] == ["None", "Low", "Medium", "High"]
    assert [o.position.value for o in toll.options] == pytest.approx([0, 100 / 3, 200 / 3, 100])
    assert toll.option("None").description == "Free passage"
    assert canal.issue("Maintenance").option_ids == ("City_pays", "Shared", "Operator_pays")


def test_import_follows_the_genius_definition(canal: Scenario) -> None:
    city = canal.stance("city", "Toll")
    assert [v.value for _, v in city.values] == [0.25, 0.75, 1.0, 0.5]  # evaluation / max (8)
    assert city.salience.value == 0.25
    assert city.ideal.value == pytest.approx(200 / 3)  # the position of "Medium", its best item
    assert canal.stance("operator", "Opening_hours").salience.value == 0.2  # weight by index
    assert canal.party("city").reservation.value == 0.4
    assert canal.party("operator").reservation.value == 0.0
    assert "no reservation value" in (canal.party("operator").reservation.note or "")
    assert "GENIUS discount factor: 0.9" in canal.party("city").description


def test_utilities_equal_genius_weighted_normalised_evaluations(canal: Scenario) -> None:
    evaluations = {  # city's file: Toll, Maintenance, Opening hours
        "city": ([2, 6, 8, 4], [1, 5, 10], [3, 3, 1], [0.25, 0.5, 0.25]),
        "shippers": ([100, 70, 30, 10], [50, 50, 40], [10, 60, 80], [0.6, 0.1, 0.3]),
    }
    utilities = _all_utilities(canal)
    packages = list(itertools.product(range(4), range(3), range(3)))
    for party, (*issues, weights) in evaluations.items():
        expected = [sum(w * e[j] / max(e) for w, e, j in zip(weights, issues, package,
                                                              strict=True))
                    for package in packages]
        column = canal.party_ids.index(party)
        assert utilities[:, column] == pytest.approx(expected, abs=1e-12)


def test_import_files_takes_the_domain_first(canal: Scenario) -> None:
    assert import_genius_files([DOMAIN, *PROFILES]) == canal
    with pytest.raises(ScenarioError, match="domain file followed by one profile"):
        import_genius_files([])
    with pytest.raises(ScenarioError, match="at least one profile"):
        import_genius(DOMAIN, [])


# -- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "line", "message"), [
    ("malformed.xml", 6, "XML syntax error: mismatched tag"),
    ("entities.xml", 2, "document type declarations are not accepted"),
    ("external-entity.xml", 2, "document type declarations are not accepted"),
    ("unknown-item.xml", 7, "value: unknown item 'Moderate' of issue 'Toll'"),
    ("unknown-issue.xml", 15, "name: unknown issue 'Opening times'"),
    ("missing-weight.xml", 3, "weight: no <weight> for issue 'Opening hours'"),
    ("weights-sum.xml", 3, "weight: the issue weights sum to 1.5; expected 1"),
    ("negative-evaluation.xml", 8, "evaluation: negative evaluation -4 of item 'High'"),
])
def test_bad_profiles_give_one_line_errors(name: str, line: int, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        import_genius(DOMAIN, [DATA / name, PROFILES[1]])
    text = str(caught.value)
    assert text.startswith(f"{DATA / name}:{line}: ")
    assert message in text
    assert "\n" not in text


def _variant(tmp_path: Path, source: Path, old: str, new: str, name: str = "") -> Path:
    text = source.read_text()
    assert old in text
    path = tmp_path / (name or source.name)
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ('<item index="2" value="Low" evaluation="6"/>', "", "no evaluation for item 'Low'"),
    ('evaluation="6"', 'evaluation="six"', "evaluation: expected a number, got 'six'"),
    ('evaluation="6"', 'evaluation="nan"', "expected a finite number"),
    ('<item index="2" value="Low" evaluation="6"/>', '<item index="2" evaluation="6"/>',
     "<item> has no 'value' attribute"),
    ('<reservation value="0.4"/>', '<reservation value="1.4"/>',
     "reservation: expected a reservation value between 0 and 1, got 1.4"),
    ('<discount_factor value="0.9"/>', '<discount_factor value="2"/>',
     "value: expected value between 0 and 1, got 2"),
    ('<weight index="3" value="0.25"/>', '<weight index="9" value="0.25"/>',
     "weight for unknown issue index 9"),
    ('<weight index="3" value="0.25"/>', '<weight index="3" value="-0.25"/>', "negative weight"),
])
def test_more_profile_errors(tmp_path: Path, old: str, new: str, message: str) -> None:
    profile = _variant(tmp_path, PROFILES[0], old, new)
    with pytest.raises(ScenarioError, match=re.escape(message)) as caught:
        import_genius(DOMAIN, [profile])
    assert str(caught.value).startswith(str(profile))


@pytest.mark.parametrize(("old", "new", "message"), [
    ('etype="discrete" type="discrete" vtype="discrete" name="Toll"',
     'etype="integer" type="integer" vtype="integer" name="Toll"',
     "issue 'Toll' is etype='integer'; zopa reads discrete issues only"),
    ('<item index="2" value="Shared"/>', '<item index="2" value="City pays"/>',
     "duplicate item 'City pays'"),
    ('name="Opening hours"', 'name="Toll"', "duplicate issue 'Toll'"),
    ('<item index="2" value="Shared"/>\n        <item index="3" value="Operator pays"/>', "",
     "issue 'Maintenance' has 1 item(s); zopa needs at least 2"),
])
def test_bad_domains_give_one_line_errors(tmp_path: Path, old: str, new: str,
                                          message: str) -> None:
    domain = _variant(tmp_path, DOMAIN, old, new, "domain.xml")
    with pytest.raises(ScenarioError, match=re.escape(message)) as caught:
        import_genius(domain, PROFILES)
    assert str(caught.value).startswith(f"{domain}:")


@pytest.mark.parametrize(("text", "message"), [
    ("<negotiation_template><agent/></negotiation_template>",
     "1: utility_space: expected a GENIUS <utility_space>, found <negotiation_template>"),
    ('<utility_space>\n<reservation value="0.2"/>\n</utility_space>',
     "1: objective: <utility_space> has no <objective>"),
    ('<utility_space><objective>\n<objective name="sub"/></objective></utility_space>',
     "2: objective: nested objectives are not supported"),
    ("", "1: XML syntax error: no element found"),
])
def test_files_that_are_not_genius(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "odd.xml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=re.escape(f"{path}:{message}")):
        import_genius(path, PROFILES)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        import_genius(tmp_path / "nothing.xml", PROFILES)
    with pytest.raises(ScenarioError, match="is a directory"):
        import_genius(DOMAIN, [tmp_path])


def test_entities_are_never_expanded() -> None:
    """A billion-laughs document is refused before the parser sees it."""
    with pytest.raises(ScenarioError, match="entities are never expanded"):
        import_genius(DATA / "entities.xml", PROFILES)


# -- round trips ------------------------------------------------------------------------------
def _normalised(evaluations: tuple[float, ...]) -> list[float]:
    return [e / max(evaluations) for e in evaluations]


def test_genius_to_zopa_to_genius_keeps_domain_and_profiles(canal: Scenario,
                                                             tmp_path: Path) -> None:
    domain, *profiles = export_genius(canal, tmp_path)
    assert domain.name == "canal-domain.xml"
    assert [p.name for p in profiles] == ["city.xml", "operator.xml", "shippers.xml"]
    before, after = read_domain(DOMAIN), read_domain(domain)
    assert after == before
    for original, written in zip(PROFILES, profiles, strict=True):
        old, new = read_profile(original, before.issues), read_profile(written, after.issues)
        assert new.weights == pytest.approx(old.weights, abs=1e-12)
        for a, b in zip(old.evaluations, new.evaluations, strict=True):
            assert _normalised(b) == pytest.approx(_normalised(a), abs=1e-12)
            assert max(b) == 1.0
        assert (new.reservation or 0.0) == pytest.approx(old.reservation or 0.0, abs=1e-12)
        assert new.discount == old.discount
        assert new.best_utility is None and set(new.best_values) == {None}
    assert import_genius(domain, profiles).stances == canal.stances


@pytest.mark.parametrize(("parties", "issues", "options", "reservations", "seed"), [
    (2, 3, 3, True, 1), (2, 4, 4, False, 2), (3, 3, 4, True, 3), (3, 5, 3, False, 4),
    (2, 6, 2, True, 5), (3, 4, 4, True, 6),
])
def test_zopa_to_genius_to_zopa_keeps_every_utility(tmp_path: Path, parties: int, issues: int,
                                                     options: int, reservations: bool,
                                                     seed: int) -> None:
    scenario = random_scenario(parties, issues, options, reservations=reservations, rng=seed)
    domain, *profiles = export_genius(scenario, tmp_path)
    back = import_genius(domain, profiles)
    assert back.party_ids == scenario.party_ids
    assert [[o.label for o in i.options] for i in back.issues] == \
        [[o.label for o in i.options] for i in scenario.issues]
    assert _all_utilities(back) == pytest.approx(_all_utilities(scenario), abs=1e-9)
    assert [p.reservation.value for p in back.parties] == \
        pytest.approx([p.reservation.value for p in scenario.parties], abs=1e-9)


def test_export_leaves_out_red_lined_options(harbour: Scenario, tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="zopa.formats.genius_export"):
        domain, *_ = export_genius(harbour, tmp_path)
    text = domain.read_text()
    assert "Left out (on some party's red lines): berths.south, dredging.port." in text
    assert 'value="South gets most"' not in text
    assert "berths.south" in caplog.text
    with pytest.raises(ScenarioError, match="'Who pays for dredging' has 1 item"):
        import_genius(domain, sorted(tmp_path.glob("[!h]*.xml")))


def test_export_uses_ids_when_labels_repeat(harbour: Scenario, tmp_path: Path) -> None:
    fees = harbour.issue("fees")
    options = tuple(replace(o, label="Fee") for o in fees.options)
    scenario = harbour.replace(issues=(replace(fees, options=options), *harbour.issues[1:]))
    domain, *_ = export_genius(scenario, tmp_path)
    assert '<item index="1" value="none"/>' in domain.read_text()


def test_exported_files_read_the_same_in_negmas(tmp_path: Path) -> None:
    """Evaluations are written with a maximum of 1, so NegMAS's raw reading agrees."""
    _negmas()
    from negmas.inout import Scenario as NegmasScenario

    scenario = import_genius(DOMAIN, PROFILES)
    domain, *profiles = export_genius(scenario, tmp_path)
    loaded = NegmasScenario.from_genius_files(domain, profiles, ignore_discount=True)
    assert loaded is not None
    space = DealSpace.from_scenario(scenario)
    for package in itertools.product(*[range(len(o)) for o in space.options]):
        outcome = tuple(issue.options[j].label for issue, j in zip(scenario.issues, package,
                                                                   strict=True))
        expected = sum(table[package[i]] for i, table in enumerate(space.tables))
        assert [float(u(outcome)) for u in loaded.ufuns] == pytest.approx(expected, abs=1e-12)
