"""Importing Bueno de Mesquita CSV files; every malformed file names the file, line and column."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.errors import ScenarioError
from zopa.formats.bdm import (
    bdm_scale,
    from_bdm_scale,
    import_bdm_csv,
    loads_bdm_csv,
    to_bdm_scale,
)
from zopa.formats.importers import import_scenario
from zopa.scenario import Scenario

RESEARCH = Path(__file__).resolve().parents[2].parent / "shared" / "research-data" / "bdm-eum"
HEADER = "Actor,Capability,Position,Salience\n"


def research_file(name: str) -> Path:
    path = RESEARCH / name
    if not path.exists():
        pytest.fail(f"reference data missing: {path} (expected the shared research data next "
                    "to the repository, ../shared/research-data/bdm-eum/)")
    return path


def ideals(scenario: Scenario) -> list[float]:
    issue = scenario.issues[0].id
    return [scenario.stance(p, issue).ideal.value for p in scenario.party_ids]


def saliences(scenario: Scenario) -> list[float]:
    issue = scenario.issues[0].id
    return [scenario.stance(p, issue).salience.value for p in scenario.party_ids]


def error_of(text: str, **kwargs: float) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        loads_bdm_csv(text, name="case.csv", **kwargs)
    return caught.value


# -- the shipped files ------------------------------------------------------------------------
@pytest.mark.parametrize("name,actors,low,high,top_salience", [
    ("ec_emissions_bdm1994__jmckib.csv", 10, 4.0, 10.0, 1.0),
    ("ec_emissions_bdm1994__dmasad.csv", 10, 4.0, 10.0, 1.0),
    ("sultan__jmckib.csv", 17, 12.85, 14.25, 0.95),
    ("china_1989__dmasad.csv", 24, 10.0, 100.0, 0.9),
    ("honduras_nicaragua__dmasad.csv", 5, 0.0, 1.0, 1.0),
])
def test_shipped_files_import(name: str, actors: int, low: float, high: float,
                              top_salience: float) -> None:
    scenario = import_bdm_csv(research_file(name))
    issue = scenario.issues[0]
    assert len(scenario.parties) == actors and len(scenario.issues) == 1
    assert bdm_scale(issue) == (low, high)
    assert min(ideals(scenario)) == 0.0 and max(ideals(scenario)) == 100.0
    assert max(saliences(scenario)) == pytest.approx(top_salience)
    held = sorted({round(to_bdm_scale(issue, v), 9) for v in ideals(scenario)})
    assert [round(float(o.label), 9) for o in issue.options] == held
    assert all(p.reservation.value == 0.0 and "no reservation" in (p.reservation.note or "")
               for p in scenario.parties)


def test_ec_positions_map_to_the_issue_scale() -> None:
    scenario = import_bdm_csv(research_file("ec_emissions_bdm1994__jmckib.csv"))
    assert ideals(scenario)[:5] == [0.0, 50.0, 0.0, 0.0, 100.0]
    assert [o.position.value for o in scenario.issues[0].options] == [0.0, 50.0, 100.0]
    assert scenario.issues[0].options[1].description == "held by Belgium, Ireland, Greece"
    assert scenario.party("netherlands").capability.value == 0.08
    assert scenario.issues[0].low_label == "4 on the original scale"


def test_percent_saliences_equal_shares() -> None:
    shares = import_bdm_csv(research_file("ec_emissions_bdm1994__jmckib.csv"))
    percent = import_bdm_csv(research_file("ec_emissions_bdm1994__dmasad.csv"))
    assert saliences(percent) == pytest.approx(saliences(shares))
    assert "0-100 (divided by 100)" in percent.description


def test_capabilities_are_kept_as_given() -> None:
    china = import_bdm_csv(research_file("china_1989__dmasad.csv"))
    assert china.party("zeming").capability.value == 80.0
    honduras = import_bdm_csv(research_file("honduras_nicaragua__dmasad.csv"))
    assert honduras.party("nicaragua").capability.value == pytest.approx(0.0001958)


def test_party_ids_are_slugs_of_the_names() -> None:
    china = import_bdm_csv(research_file("china_1989__dmasad.csv"))
    assert "stu-intel" in china.party_ids and "hong-kong" in china.party_ids
    assert china.party("stu-intel").name == "STU/INTEL"


def test_registered_importer_and_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    path = research_file("sultan__jmckib.csv")
    scenario = import_scenario("bdm", path)
    monkeypatch.setattr("sys.stdin", io.StringIO(path.read_text()))
    from_stdin = import_bdm_csv("-")
    assert from_stdin.parties == scenario.parties and from_stdin.issue_ids == ("bdm",)
    assert (ideals(from_stdin), saliences(from_stdin)) == (ideals(scenario), saliences(scenario))


# -- scales -----------------------------------------------------------------------------------
def test_explicit_scale() -> None:
    scenario = loads_bdm_csv(HEADER + "A,1,4,0.5\nB,1,7,0.5\n", scale_min=0, scale_max=10)
    assert ideals(scenario) == pytest.approx([40.0, 70.0])
    assert bdm_scale(scenario.issues[0]) == (0.0, 10.0)
    assert from_bdm_scale(scenario.issues[0], 7.0) == pytest.approx(70.0)


def test_agreement_on_an_explicit_scale_adds_its_ends_as_options() -> None:
    scenario = loads_bdm_csv(HEADER + "A,1,5,0.5\nB,1,5,0.5\n", scale_min=0, scale_max=10)
    assert [o.label for o in scenario.issues[0].options] == ["0", "5", "10"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(-500, 500), st.integers(1, 1000), st.integers(1, 100)),
                min_size=2, max_size=12).filter(lambda rows: len({r[0] for r in rows}) > 1))
def test_positions_round_trip(rows: list[tuple[int, int, int]]) -> None:
    text = HEADER + "".join(f"actor {k},{c / 10},{x / 4},{s}\n" for k, (x, c, s) in
                            enumerate(rows))
    scenario = loads_bdm_csv(text)
    issue = scenario.issues[0]
    back = [to_bdm_scale(issue, v) for v in ideals(scenario)]
    np.testing.assert_allclose(back, [x / 4 for x, _, _ in rows], atol=1e-9)
    divisor = 1.0 if max(s for _, _, s in rows) <= 1 else 100.0
    np.testing.assert_allclose(saliences(scenario), [s / divisor for _, _, s in rows])
    assert len(issue.options) == len({x for x, _, _ in rows})


# -- several issues ---------------------------------------------------------------------------
MULTI = ("Issue,Actor,Capability,Position,Salience\n"
         "tax,A,0.5,0,0.9\ntax,B,0.3,10,0.4\ntax,C,0.2,5,0.5\n"
         "date,A,0.5,1990,0.2\ndate,B,0.3,2000,0.8\n")


def test_issue_column_makes_one_issue_per_value() -> None:
    scenario = loads_bdm_csv(MULTI, name="multi.csv")
    assert scenario.issue_ids == ("tax", "date")
    assert bdm_scale(scenario.issue("date")) == (1990.0, 2000.0)
    assert scenario.stance("b", "date").ideal.value == 100.0
    assert scenario.stance("c", "date").salience.value == 0.0  # absent: indifferent
    assert scenario.party_ids == ("a", "b", "c")


def test_multi_issue_errors() -> None:
    mismatch = MULTI.replace("date,B,0.3", "date,B,0.4")
    error = error_of(mismatch)
    assert (error.line, error.path) == (6, ("Capability",))
    assert "one capability per actor" in str(error)
    lonely = MULTI + "vote,A,0.5,1,1\n"
    error = error_of(lonely)
    assert error.line == 7 and "at least 2 actors on issue 'vote'" in str(error)


# -- malformed files --------------------------------------------------------------------------
@pytest.mark.parametrize("text,line,field,words", [
    ("", 1, None, "empty"),
    ("\n\n", 1, None, "empty"),
    ("Actor,Capability,Position\nA,1,2\n", 1, "Salience", "missing column"),
    ("Actor,Power,Capability,Position,Salience\nA,1,1,1,1\n", 1, "Capability", "twice"),
    (HEADER, 2, "Actor", "at least 2 actors, got 0"),
    (HEADER + "A,1,2,0.5\n", 2, "Actor", "at least 2 actors, got 1"),
    (HEADER + "A,1,2,0.5\nB,x,3,0.5\n", 3, "Capability", "expected a number, got 'x'"),
    (HEADER + "A,1,2,0.5\nB,1,,0.5\n", 3, "Position", "expected a number, got ''"),
    (HEADER + "A,1,2,0.5\nB,1,3,nan\n", 3, "Salience", "finite"),
    (HEADER + "A,-1,2,0.5\nB,1,3,0.5\n", 2, "Capability", "positive capability"),
    (HEADER + "A,0,2,0.5\nB,1,3,0.5\n", 2, "Capability", "positive capability"),
    (HEADER + "A,1,2,-0.5\nB,1,3,0.5\n", 2, "Salience", "salience >= 0"),
    (HEADER + "A,1,2,0.5\nB,1,3,500\n", 3, "Salience", "0-1 or 0-100"),
    (HEADER + "A,1,2,0\nB,1,3,0.5\n", 2, "Salience", "salience 0 on every issue"),
    (HEADER + "A,1,2,0.5\nA,1,3,0.5\n", 3, "Actor", "duplicate actor 'A' (also on line 2)"),
    (HEADER + "A,1,2,0.5\nB,1,3\n", 3, None, "expected 4 fields, got 3"),
    (HEADER + "A,1,2,0.5\n,1,3,0.5\n", 3, "Actor", "actor name"),
    (HEADER + "A,1,2,0.5\nB,1,2,0.5\n", 2, "Position", "span no interval"),
    ("Issue," + HEADER + ",A,1,2,0.5\n", 2, "Issue", "issue name"),
])
def test_malformed_files_name_file_line_and_field(text: str, line: int, field: str | None,
                                                  words: str) -> None:
    error = error_of(text)
    assert error.file == "case.csv" and error.line == line
    assert error.path == ((field,) if field else ())
    assert words in str(error) and str(error).startswith(f"case.csv:{line}")


def test_position_outside_the_given_scale() -> None:
    error = error_of(HEADER + "A,1,2,0.5\nB,1,30,0.5\n", scale_min=0, scale_max=10)
    assert (error.line, error.path) == (3, ("Position",)) and "outside the scale" in str(error)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        import_bdm_csv(tmp_path / "missing.csv")
    with pytest.raises(ScenarioError, match="is a directory"):
        import_bdm_csv(tmp_path)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00A")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        import_bdm_csv(binary)


def test_carriage_returns_and_byte_order_mark(tmp_path: Path) -> None:
    """Masad's files were saved with CR line endings; spreadsheets add a byte-order mark."""
    shipped = research_file("ec_emissions_bdm1994__dmasad.csv")
    old_mac = tmp_path / "mac.csv"
    old_mac.write_bytes(b"\xef\xbb\xbf" + shipped.read_text().replace("\n", "\r").encode())
    first, again = import_bdm_csv(shipped), import_bdm_csv(old_mac)
    assert again.parties == first.parties
    assert (ideals(again), saliences(again)) == (ideals(first), saliences(first))
    assert again.issues[0].options == first.issues[0].options
