"""The Decide importer: the shipped files, the mapping, and an error for every malformed row."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from zopa.errors import ScenarioError
from zopa.formats.decide import (
    decide_scale,
    from_decide_scale,
    import_decide,
    loads_decide,
    to_decide_scale,
)
from zopa.formats.importers import import_scenario
from zopa.formats.yaml_json import dumps_scenario, loads_scenario
from zopa.models.base import SpatialData

RESEARCH = Path(__file__).resolve().parents[2].parent / "shared" / "research-data"
DECIDE = RESEARCH / "decide-exchange"
SHIPPED = ("cop21.csv", "copenhagen.csv", "sample_data.txt")

HEAD = ("'#A'\t'a'\t'Alpha'\t''\n'#A'\t'b'\t'Beta'\t''\n"
        "'#P'\t'p'\t'First'\t''\n'#P'\t'q'\t'Second'\t''\n")
ROWS = ("'#D'\t'a'\t'p'\t10\t0.8\t0.5\n'#D'\t'b'\t'p'\t90\t0.4\t0.5\n"
        "'#D'\t'a'\t'q'\t20\t0.3\t0.5\n'#D'\t'b'\t'q'\t60\t0.9\t0.5\n")


def research_file(name: str) -> Path:
    path = DECIDE / name
    if not path.exists():
        pytest.fail(f"reference data missing: {path} (expected the shared research data next "
                    "to the repository, ../shared/research-data/decide-exchange/)")
    return path


def decide_rows(path: Path) -> list[list[str]]:
    """The #D rows of a file, read independently of the importer."""
    with path.open(newline="") as handle:
        return [row[1:6] for row in csv.reader(handle, delimiter="\t", quotechar="'")
                if row and row[0] == "#D"]


def error_of(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        loads_decide(text, name="in.csv")
    return caught.value


# -- the shipped files ----------------------------------------------------------------------
@pytest.mark.parametrize("name", SHIPPED)
def test_power_is_one_per_actor_in_the_shipped_files(name: str) -> None:
    powers: dict[str, set[float]] = defaultdict(set)
    for actor, _, _, _, power in decide_rows(research_file(name)):
        powers[actor].add(float(power))
    assert all(len(values) == 1 for values in powers.values())


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_files_keep_every_number(name: str) -> None:
    path = research_file(name)
    scenario = import_decide(path)
    rows = decide_rows(path)
    assert len(scenario.stances) == len(rows)
    by_name = {p.name: p for p in scenario.parties}
    for actor, issue_key, position, salience, power in rows:
        party = by_name[actor]
        issue = scenario.issue(issue_key)
        stance = scenario.stance(party.id, issue.id)
        assert party.capability.value == float(power)
        assert stance.salience.value == float(salience)
        assert to_decide_scale(issue, stance.ideal.value) == pytest.approx(float(position))
        assert party.reservation.value == 0.0 and party.reservation.judgement
    data = SpatialData.from_scenario(scenario)
    weights = {(a, i): float(s) * float(c) for a, i, _, s, c in rows}
    for (actor, issue), weight in weights.items():
        k = data.actors.index(by_name[actor].id)
        assert data.weights()[k, data.issues.index(issue)] == pytest.approx(weight, abs=0)


def test_cop21_is_the_paris_scenario() -> None:
    scenario = import_decide(research_file("cop21.csv"))
    assert len(scenario.parties) == 15 and len(scenario.issues) == 13
    assert scenario.party_ids[:3] == ("African_grp", "AILAC2", "AOSISs")
    assert scenario.issue_ids[-1] == "eaa"
    absent = [(p, i) for p in ("China", "USA", "Russia") for i in ("amb2050", "amb2100")
              if scenario.stance(p, i).salience.value == 0]
    assert absent == [("China", "amb2050"), ("China", "amb2100"), ("Russia", "amb2050"),
                      ("Russia", "amb2100")]
    assert decide_scale(scenario.issue("mrv")) == (0.0, 100.0)


def test_sample_data_scale_is_mapped_onto_0_100() -> None:
    scenario = import_decide(research_file("sample_data.txt"))
    toll = scenario.issue("tol-hoogte")
    assert decide_scale(toll) == (0.5, 7.0)
    assert toll.low_label == "0.5 on the Decide scale"
    assert scenario.stance("Willems", "tol-hoogte").ideal.value == pytest.approx(2.5 / 6.5 * 100)
    assert from_decide_scale(toll, 3.0) == pytest.approx(2.5 / 6.5 * 100)
    assert [o.label for o in toll.options] == ["0.5", "1", "2", "3", "5"]
    assert scenario.party("Willems").description == "Test"


def test_the_importer_is_registered() -> None:
    path = research_file("copenhagen.csv")
    assert import_scenario("decide", path) == import_decide(path)


def test_imported_scenario_survives_yaml() -> None:
    scenario = import_decide(research_file("sample_data.txt"))
    assert loads_scenario(dumps_scenario(scenario)) == scenario


# -- the file with errors -------------------------------------------------------------------
def test_copenhagen_with_errors_reports_each_error_at_its_line(tmp_path: Path) -> None:
    source = research_file("copenhagen_with_errors.csv")
    lines = source.read_text().splitlines(keepends=True)
    expected = [(86, "position", "position 160 lies outside the scale of issue 'Control'"),
                (87, "power", "expected a power between 0 and 1, got -0.247")]
    for line, field, message in expected:
        copy = tmp_path / "copenhagen_with_errors.csv"
        copy.write_text("".join(lines))
        with pytest.raises(ScenarioError) as caught:
            import_decide(copy)
        error = caught.value
        assert (error.file, error.line, error.path) == (str(copy), line, (field,))
        assert message in str(error)
        assert str(error).startswith(f"{copy}:{line}: {field}: ")
        fixed = {86: "#D\tRussia\tControl\t60\t0.1\t0.013\n",
                 87: "#D\tChina India\tControl\t75\t0.75\t0.247\n"}[line]
        lines[line - 1] = fixed
    copy.write_text("".join(lines))
    scenario = import_decide(copy)
    assert scenario.name == "Copenhagen negotiations"
    assert "Clarisse Siebert" in scenario.description
    assert [p.name for p in scenario.parties][3:5] == ["Canada", "Japan"]
    good = import_decide(research_file("copenhagen.csv"))
    assert [s.ideal.value for s in scenario.stances] != []
    assert sorted(s.ideal.value for s in scenario.stances) == sorted(
        s.ideal.value for s in good.stances)


def test_first_error_of_the_shipped_file_is_line_86() -> None:
    with pytest.raises(ScenarioError, match=r"copenhagen_with_errors\.csv:86: position: "):
        import_decide(research_file("copenhagen_with_errors.csv"))


# -- the mapping ----------------------------------------------------------------------------
def test_named_anchors_become_options_and_labels() -> None:
    text = (HEAD + "'#M'\t'p'\t0\t'none'\n'#M'\t'p'\t50\t'half'\n'#M'\t'p'\t100\t'all'\n"
            + ROWS)
    issue = loads_decide(text).issue("p")
    assert [(o.label, o.position.value) for o in issue.options] == [
        ("none", 0.0), ("half", 50.0), ("all", 100.0)]
    assert (issue.low_label, issue.high_label) == ("none", "all")
    assert [o.label for o in loads_decide(text).issue("q").options] == ["20", "60"]


def test_varying_power_is_folded_into_salience() -> None:
    text = HEAD + ROWS.replace("'#D'\t'a'\t'q'\t20\t0.3\t0.5", "'#D'\t'a'\t'q'\t20\t0.3\t0.25")
    scenario = loads_decide(text)
    assert scenario.party("a").capability.value == 0.5
    stance = scenario.stance("a", "q")
    assert stance.salience.value == pytest.approx(0.3 * 0.25 / 0.5)
    assert "power 0.25" in stance.note
    assert "folded" in scenario.description
    data = SpatialData.from_scenario(scenario)
    np.testing.assert_allclose(data.weights(), [[0.4, 0.075], [0.2, 0.45]])


def test_actor_without_weight_is_left_out_and_missing_rows_mean_indifference() -> None:
    text = HEAD.replace("'#P'", "'#A'\t'c'\t'Gamma'\t''\n'#P'", 1) + ROWS + \
        "'#D'\t'c'\t'p'\t50\t0\t0.5\n"
    scenario = loads_decide(text)
    assert scenario.party_ids == ("a", "b")
    assert "left out ['c']" in scenario.description
    partial = loads_decide(HEAD + ROWS.replace("'#D'\t'b'\t'q'\t60\t0.9\t0.5\n", ""))
    assert partial.stance("b", "q").salience.value == 0.0


def test_title_comments_quotes_and_decimal_commas() -> None:
    text = ("#O\tA title\n#/\tsome words\n#A\tx y\tEks Why\tnote\n" + HEAD[HEAD.index("'#A'\t'b'"):]
            + ROWS.replace("'a'", "x y").replace("0.8", "0,8"))
    scenario = loads_decide(text, name="dir/file.csv")
    assert scenario.name == "A title" and scenario.id == "file"
    assert scenario.description.startswith("some words")
    assert scenario.party_ids[0] == "x_y" and scenario.party("x_y").name == "Eks Why"
    assert scenario.stance("x_y", "p").salience.value == 0.8


# -- malformed input ------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "line", "field", "words"), [
    (HEAD + "'#X'\t'p'\n", 5, "type", "unknown row type '#X'"),
    (HEAD + "'#D'\t'a'\t'p'\t10\t0.8\n", 5, "power", "expected #D actor issue position"),
    (HEAD + "'#D'\t'a'\t'p'\tten\t0.8\t0.5\n", 5, "position", "expected a number, got 'ten'"),
    (HEAD + "'#D'\t'a'\t'p'\tnan\t0.8\t0.5\n", 5, "position", "expected a finite number"),
    (HEAD + "'#D'\t'z'\t'p'\t10\t0.8\t0.5\n", 5, "actor", "unknown actor 'z'"),
    (HEAD + "'#D'\t'a'\t'r'\t10\t0.8\t0.5\n", 5, "issue", "unknown issue 'r'"),
    (HEAD + "'#M'\t'r'\t0\n", 5, "issue", "unknown issue 'r'"),
    (HEAD + "'#A'\t'a'\t'Again'\n", 5, "key", "duplicate actor 'a' (first defined on line 1)"),
    (HEAD + ROWS + "'#D'\t'a'\t'p'\t11\t0.8\t0.5\n", 9, "actor", "duplicate #D row"),
    (HEAD + ROWS.replace("0.8", "1.2"), 5, "salience", "between 0 and 1, got 1.2"),
    (HEAD + "'#M'\t'p'\t5\n'#M'\t'p'\t5\n" + ROWS, 6, "value", "give no interval"),
    (HEAD + "'#M'\t'p'\t0\n'#M'\t'p'\t50\n" + ROWS, 8, "position", "outside the scale"),
    (HEAD + "'#A'\t''\t'x'\n", 5, "key", "expected a key, got an empty field"),
    (HEAD + "'#D'\t'a'\t'p'\t10\t0.8\t0.5\t1\n", 5, None, "at most 5 fields"),
    (HEAD, 1, None, "no #D rows"),
    ("", 1, None, "no actor (#A) rows"),
    (HEAD + ROWS.replace("0.5\n", "0\n"), 5, "salience", "no #D row has a positive"),
])
def test_malformed_rows_are_located(text: str, line: int, field: str | None,
                                    words: str) -> None:
    error = error_of(text)
    assert (error.file, error.line) == ("in.csv", line)
    assert error.path == ((field,) if field else ())
    assert words in error.message


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        import_decide(tmp_path / "missing.csv")
    with pytest.raises(ScenarioError, match="is a directory"):
        import_decide(tmp_path)
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEAD.replace("Alpha", "Ålpha") + ROWS).encode("cp1252"))
    assert import_decide(latin).party("a").name == "Ålpha"
