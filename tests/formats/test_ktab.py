"""Importing KTAB SMP scenarios: the shipped examples load, malformed files fail precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from zopa.errors import ScenarioError
from zopa.formats.ktab import (
    import_ktab_csv,
    import_ktab_xml,
    read_ktab_xml_ideal_adjustment,
    read_ktab_xml_parameters,
)
from zopa.scenario import Scenario

RESEARCH = Path(__file__).resolve().parents[2].parent / "shared" / "research-data"


def research_file(name: str) -> Path:
    path = RESEARCH / "ktab" / "smp" / name
    if not path.exists():
        pytest.fail(f"research data missing: {path} (the KTAB example data is expected in "
                    f"{RESEARCH}, next to the repository)")
    return path


def _table(scenario: Scenario) -> list[tuple]:
    """(name, capability, [(ideal, salience) per issue]) for every party."""
    return [(p.name, p.capability.value,
             [(scenario.stance(p.id, i).ideal.value, scenario.stance(p.id, i).salience.value)
              for i in scenario.issue_ids]) for p in scenario.parties]


# -- the shipped examples ------------------------------------------------------------------------
@pytest.mark.parametrize("name, actors, dims", [
    ("SOE-Policy.csv", 26, 1), ("SOE-Competitive.csv", 34, 1), ("SOE-Pol-Comp.csv", 13, 2),
    ("dummyData_3Dim.csv", 7, 3), ("dummyData_3Dim-no-final-comma.csv", 7, 3),
    ("dummyData_6Dim.csv", 27, 6), ("dummyData-a040.csv", 40, 1),
    ("dummyData-a080.csv", 80, 1), ("dummyData-a160.csv", 160, 1)])
def test_every_shipped_csv_loads(name: str, actors: int, dims: int) -> None:
    scenario = import_ktab_csv(research_file(name))
    assert (len(scenario.parties), len(scenario.issues)) == (actors, dims)
    assert len(set(scenario.party_ids)) == actors
    for issue in scenario.issues:
        assert len(issue.options) >= 2
        positions = [o.position.value for o in issue.options]
        assert positions == sorted(positions)


def test_the_csv_maps_actors_dimensions_and_stances() -> None:
    scenario = import_ktab_csv(research_file("SOE-Pol-Comp.csv"))
    assert scenario.issue_ids == ("policy", "competitive")
    assert scenario.issues[0].name == "Policy"
    xj = scenario.party("xj")
    assert (xj.name, xj.description, xj.capability.value) == ("XJ", "Xi Jinping", 100.0)
    assert xj.reservation.value == 0.0 and "no reservation" in (xj.reservation.note or "")
    stance = scenario.stance("xj", "competitive")
    assert (stance.ideal.value, stance.salience.value) == (20.0, 0.48)
    labels = [o.label for o in scenario.issue("policy").options]
    assert labels == ["15", "20", "30", "45", "50", "60"]
    assert scenario.issue("policy").option_ids[0] == "pos_15"
    assert scenario.sources[0].document.endswith("SOE-Pol-Comp.csv")
    assert stance.ideal.sources == (scenario.sources[0].key,)


def test_decimal_positions_give_readable_option_ids() -> None:
    scenario = import_ktab_csv(research_file("dummyData_3Dim.csv"))
    option = scenario.issue("pstn3").options[0]
    assert (option.id, option.label, option.position.value) == ("pos_0_07", "0.07", 0.07)


def test_the_trailing_comma_is_optional() -> None:
    with_comma = import_ktab_csv(research_file("dummyData_3Dim.csv"))
    without = import_ktab_csv(research_file("dummyData_3Dim-no-final-comma.csv"))
    assert _table(with_comma) == _table(without)


def test_the_xml_and_csv_versions_of_dummy_data_agree() -> None:
    from_csv = import_ktab_csv(research_file("dummyData_3Dim.csv"))
    from_xml = import_ktab_xml(research_file("dummyData_3Dim.xml"))
    assert _table(from_csv) == _table(from_xml)
    assert from_xml.issue_ids == from_csv.issue_ids


def test_the_xml_model_parameters_map_to_smp_options() -> None:
    assert read_ktab_xml_parameters(research_file("smpExample.xml")) == {
        "victory_probability": "linear", "pce": "markov_incentive",
        "transitions": "stochastic", "voting": "prop_cbc", "big_r_adjust": "one_third",
        "big_r_range": "mid", "third_party_commit": "semi", "bargain": "s2p2",
        "bargain_model": "init_only"}
    assert read_ktab_xml_parameters(research_file("dummyData_3Dim.xml")) == {}


def test_the_ideal_adjustment_is_read_with_party_ids() -> None:
    pairs = read_ktab_xml_ideal_adjustment(research_file("smpExample.xml"))
    assert pairs[0] == ("alice", "alice", 0.87)
    assert ("carol", "david", 0.13) in pairs and len(pairs) == 6
    assert read_ktab_xml_ideal_adjustment(research_file("dummyData_3Dim.xml")) == ()


def test_the_broken_master_example_names_actor_dimension_and_line() -> None:
    path = research_file("smpExample.master-broken.xml")
    with pytest.raises(ScenarioError) as caught:
        import_ktab_xml(path)
    error = caught.value
    assert (error.file, error.line) == (str(path), 32)
    assert error.path == ("actors", "Alice", "FirstDim", "position")
    assert "empty" in error.message


# -- malformed CSV -------------------------------------------------------------------------------
HEADER = ("Test,Three actors,{n},2,\n"
          "Actor,Description,Influence,A Position,A Salience,B Position,B Salience,\n")
ROWS = ["P1,First,10,20,30,40,50,", "P2,Second,20,60,40,30,20,", "P3,Third,30,80,10,10,70,"]


def _csv(tmp_path: Path, rows: list[str], n: int | None = None) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER.format(n=len(rows) if n is None else n) + "\n".join(rows) + "\n")
    return path


def _fails(path: Path, load=import_ktab_csv) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert caught.value.file == str(path)
    assert caught.value.line is not None
    return caught.value


def test_a_well_formed_csv_loads(tmp_path: Path) -> None:
    scenario = import_ktab_csv(_csv(tmp_path, ROWS))
    assert scenario.party_ids == ("p1", "p2", "p3") and scenario.issue_ids == ("a", "b")


@pytest.mark.parametrize("row, line, field, words", [
    ("P2,Second,20,60,40,30,", 4, ("actors", "P2"), "expected 7 fields"),
    ("P2,Second,20,60,40,30,20,99", 4, ("actors", "P2"), "expected 7 fields"),
    ("P2,Second,lots,60,40,30,20,", 4, ("actors", "P2", "capability"), "'lots'"),
    ("P2,Second,20,sixty,40,30,20,", 4, ("actors", "P2", "A", "position"), "'sixty'"),
    ("P2,Second,20,101,40,30,20,", 4, ("actors", "P2", "A", "position"), "between 0 and 100"),
    ("P2,Second,20,60,40,30,-1,", 4, ("actors", "P2", "B", "salience"), "'-1'"),
    ("P2,Second,20,60,60,30,50,", 4, ("actors", "P2", "salience"), "at most 100"),
    ("P2,Second,20,60,0,30,0,", 4, ("actors", "P2", "salience"), "positive salience"),
    ("P2,Second,0,60,40,30,20,", 4, ("actors", "P2", "capability"), "positive capability"),
])
def test_bad_actor_lines_are_located(tmp_path: Path, row: str, line: int,
                                     field: tuple, words: str) -> None:
    error = _fails(_csv(tmp_path, [ROWS[0], row, ROWS[2]]))
    assert (error.line, error.path) == (line, field)
    assert words in error.message


def test_fewer_than_three_actors_are_refused(tmp_path: Path) -> None:
    error = _fails(_csv(tmp_path, ROWS[:2]))
    assert "expected 3 to 250 actors" in error.message and error.line == 1


def test_the_announced_actor_count_must_match(tmp_path: Path) -> None:
    error = _fails(_csv(tmp_path, ROWS, n=4))
    assert "announces 4 actors" in error.message


def test_the_header_must_have_two_columns_per_dimension(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("T,D,3,3,\nActor,Description,Influence,A Position,A Salience\n"
                    + "\n".join(ROWS))
    error = _fails(path)
    assert error.line == 2 and "header columns" in error.message


def test_a_non_integer_count_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("T,D,three,2,\n")
    assert "integer number of actors" in _fails(path).message


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        import_ktab_csv(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "empty" in _fails(empty).message


def test_duplicate_names_get_unique_ids(tmp_path: Path) -> None:
    rows = ["Same,First,10,20,30,40,50,", "Same,Second,20,20,40,40,20,", "!!,Third,30,20,10,40,70,"]
    scenario = import_ktab_csv(_csv(tmp_path, rows))
    assert scenario.party_ids == ("same", "same-2", "actor-3")
    assert [o.label for o in scenario.issue("a").options] == ["0", "20", "100"]


# -- malformed XML -------------------------------------------------------------------------------
def _xml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.xml"
    path.write_text(text)
    return path


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
            ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n'
            '<Scenario><name>&lol2;</name></Scenario>\n')
    error = _fails(_xml(tmp_path, bomb), import_ktab_xml)
    assert error.line == 2 and "document type" in error.message


def test_a_lone_entity_declaration_is_refused(tmp_path: Path) -> None:
    error = _fails(_xml(tmp_path, '<Scenario>\n<!ENTITY x "y">\n</Scenario>'), import_ktab_xml)
    assert error.line == 2 and "entity" in error.message


def test_xml_syntax_errors_are_located(tmp_path: Path) -> None:
    error = _fails(_xml(tmp_path, "<Scenario>\n  <name>x</nam>\n</Scenario>\n"), import_ktab_xml)
    assert error.line == 2 and "XML syntax error" in error.message


def _actor(name: str, coords: str, sals: str) -> str:
    c = "".join(f"<dCoord>{v}</dCoord>" for v in coords.split())
    s = "".join(f"<dSal>{v}</dSal>" for v in sals.split())
    return (f"<Actor>\n<name>{name}</name><description/><capability>10</capability>\n"
            f"<Position>{c}</Position>\n<Salience>{s}</Salience>\n</Actor>\n")


def _scenario_xml(actors: str, parameters: str = "") -> str:
    return (f"<Scenario>\n<name>T</name><desc>D</desc><prngSeed>1</prngSeed>\n{parameters}"
            "<Dimensions><dName>A</dName><dName>B</dName></Dimensions>\n"
            f"<Actors>\n{actors}</Actors>\n</Scenario>\n")


def test_a_wrong_number_of_coordinates_is_located(tmp_path: Path) -> None:
    actors = _actor("a", "1 2", "3 4") + _actor("b", "1", "3 4") + _actor("c", "1 2", "3 4")
    error = _fails(_xml(tmp_path, _scenario_xml(actors)), import_ktab_xml)
    assert error.path == ("actors", "b", "Position") and error.line == 12


def test_xml_saliences_above_100_in_total_are_refused(tmp_path: Path) -> None:
    actors = _actor("a", "1 2", "60 50") + _actor("b", "1 2", "3 4") + _actor("c", "1 2", "3 4")
    error = _fails(_xml(tmp_path, _scenario_xml(actors)), import_ktab_xml)
    assert error.path == ("actors", "a", "salience") and "at most 100" in error.message


def test_xml_needs_three_actors(tmp_path: Path) -> None:
    actors = _actor("a", "1 2", "3 4") + _actor("b", "1 2", "3 4")
    assert "3 to 250 actors" in _fails(_xml(tmp_path, _scenario_xml(actors)),
                                       import_ktab_xml).message


def test_unknown_parameter_values_are_located(tmp_path: Path) -> None:
    actors = _actor("a", "1 2", "3 4") + _actor("b", "1 2", "3 4") + _actor("c", "1 2", "3 4")
    block = "<ModelParameters>\n<PCEModel>Magic</PCEModel>\n</ModelParameters>\n"
    error = _fails(_xml(tmp_path, _scenario_xml(actors, block)), read_ktab_xml_parameters)
    assert error.line == 4 and error.path == ("ModelParameters", "PCEModel")
