"""Loading and dumping scenarios; every bad input names the file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zopa.errors import ScenarioError
from zopa.formats import dump_scenario, dumps_scenario, load_scenario, loads_scenario
from zopa.scenario import Scenario, content_hash, json_schema
from zopa.scenario.synthetic import random_scenario


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(text, name="case.yaml")
    return caught.value


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text, old
    return text.replace(old, new, 1)


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_round_trip(harbour: Scenario, fmt: str) -> None:
    text = dumps_scenario(harbour, format=fmt)  # type: ignore[arg-type]
    again = loads_scenario(text, format=fmt)  # type: ignore[arg-type]
    assert again == harbour
    assert content_hash(again) == content_hash(harbour)


def test_dump_to_file_and_back(tmp_path: Path) -> None:
    scenario = random_scenario(3, 5, 4, rng=3)
    for name in ("s.yaml", "s.json"):
        dump_scenario(scenario, tmp_path / name)
        assert load_scenario(tmp_path / name) == scenario
    assert not list(tmp_path.glob(".*.tmp"))


def test_content_hash_ignores_formatting(harbour_path: Path, harbour: Scenario) -> None:
    reformatted = "# a comment\n" + harbour_path.read_text().replace("  ", "  ")
    assert content_hash(loads_scenario(reformatted)) == content_hash(harbour)
    changed = harbour.with_party(harbour.parties[2].__class__(
        "port", "Port Authority", harbour.parties[2].capability, harbour.parties[2].reservation,
        "edited"))
    assert content_hash(changed) != content_hash(harbour)


def test_yaml_syntax_error_names_line(harbour_path: Path) -> None:
    text = _edit(harbour_path, "name: South Town", "name: [South Town")
    error = _error(text)
    assert error.file == "case.yaml"
    assert error.line is not None and abs(error.line - _line_of(text, "[South Town")) <= 1
    assert "YAML syntax error" in str(error)


def test_unknown_party_in_stances(harbour_path: Path) -> None:
    text = _edit(harbour_path, "  south:\n    fees: {ideal: 10", "  southh:\n    fees: {ideal: 10")
    error = _error(text)
    assert error.path[:2] == ("stances", "southh")
    assert error.line == _line_of(text, "southh:")
    assert "unknown party 'southh'" in str(error)
    assert str(error).startswith(f"case.yaml:{error.line}: stances.southh: ")


def test_position_outside_scale(harbour_path: Path) -> None:
    text = _edit(harbour_path, "label: Full fee, position: 100", "label: Full fee, position: 140")
    error = _error(text)
    assert error.path == ("issues", 0, "options", 2, "position")
    assert error.line == _line_of(text, "position: 140")
    assert "between 0 and 100" in str(error)


def test_negative_salience(harbour_path: Path) -> None:
    text = _edit(harbour_path, "fees: {ideal: 10, salience: 0.6}",
                 "fees: {ideal: 10, salience: -0.6}")
    error = _error(text)
    assert error.path == ("stances", "south", "fees", "salience")
    assert error.line == _line_of(text, "salience: -0.6")
    assert "salience >= 0" in str(error)


def test_duplicate_party_id(harbour_path: Path) -> None:
    text = _edit(harbour_path, "  - id: south\n", "  - id: north\n")
    error = _error(text)
    assert error.path == ("parties", 1, "id")
    assert error.line == _line_of(text, "name: South Town") - 1
    assert "duplicate id 'north'" in str(error)


def test_duplicate_option_id(harbour_path: Path) -> None:
    text = _edit(harbour_path, "{id: split,", "{id: north,")
    error = _error(text)
    assert error.path == ("issues", 1, "options", 1, "id")
    assert error.line == _line_of(text, "label: Even split")


def test_plan_naming_missing_option(harbour_path: Path) -> None:
    text = _edit(harbour_path, "options: {fees: high, berths: split",
                 "options: {fees: free, berths: split")
    error = _error(text)
    assert error.path == ("proposals", 1, "options", "fees")
    assert error.line == _line_of(text, "fees: free")
    assert "unknown option 'free'" in str(error) and "'none', 'low', 'high'" in str(error)


def test_plan_missing_an_issue(harbour_path: Path) -> None:
    text = _edit(harbour_path, "options: {fees: high, berths: split, dredging: shared}",
                 "options: {fees: high, berths: split}")
    error = _error(text)
    assert "no option chosen for issue(s) ['dredging']" in str(error)
    assert error.line == _line_of(text, "options: {fees: high, berths: split}")


def test_unknown_field_is_refused(harbour_path: Path) -> None:
    text = _edit(harbour_path, "    capability: 0.8\n", "    capability: 0.8\n    capabilty: 2\n")
    error = _error(text)
    assert error.path == ("parties", 1, "capabilty")
    assert error.line == _line_of(text, "capabilty")
    assert "unknown field" in str(error)


def test_wrong_type(harbour_path: Path) -> None:
    text = _edit(harbour_path, "capability: 0.8", "capability: strong")
    error = _error(text)
    assert error.path[:3] == ("parties", 1, "capability")
    assert error.line == _line_of(text, "capability: strong")


def test_range_out_of_order(harbour_path: Path) -> None:
    text = _edit(harbour_path, "{low: 0.4, mode: 0.45, high: 0.5",
                 "{low: 0.4, mode: 0.55, high: 0.5")
    error = _error(text)
    assert "low <= mode <= high" in str(error)
    assert error.line == _line_of(text, "mode: 0.55")


def test_unknown_source_reference(harbour_path: Path) -> None:
    text = _edit(harbour_path, "source: minutes}", "source: minute}")
    error = _error(text)
    assert "unknown source 'minute'" in str(error)
    assert error.line == _line_of(text, "source: minute}")


def test_schema_version_from_the_future(harbour_path: Path) -> None:
    text = _edit(harbour_path, "schema_version: 1", "schema_version: 7")
    error = _error(text)
    assert "unsupported schema_version 7" in str(error)


@pytest.mark.parametrize("text,expected", [
    ("", "empty"),
    ("- just\n- a list\n", "expected a mapping"),
    ("id: x\nname: y\n", "parties"),
])
def test_degenerate_documents(text: str, expected: str) -> None:
    assert expected in str(_error(text))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "absent.yaml")
    with pytest.raises(ScenarioError, match="is a directory"):
        load_scenario(tmp_path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(path)


def test_yaml_is_loaded_safely() -> None:
    error = _error("!!python/object/apply:os.system ['echo hi']\n")
    assert "YAML" in str(error)


def test_json_syntax_error_names_line() -> None:
    with pytest.raises(ScenarioError) as caught:
        loads_scenario('{\n "id": "x",\n "name": }', name="s.json", format="json")
    assert caught.value.line == 3


def test_json_schema_describes_uncertain_numbers() -> None:
    schema = json_schema()
    capability = schema["$defs"]["PartySpec"]["properties"]["capability"]
    assert {"type": "number"} in capability["anyOf"]
    json.dumps(schema)


@pytest.mark.parametrize("old,new,expected,path", [
    ("{party: port, clock: silt,", "{party: port, clock: sand,", "unknown clock 'sand'",
     ("drifts", 0, "clock")),
    ("    demanded_by: south", "    demanded_by: west", "unknown party 'west'",
     ("areas", 0, "demanded_by")),
    ("        share: 0.4\n", "        share: 0.7\n", "shares summing to 1",
     ("ratifiers", 0, "groups")),
    ("          fees: {ideal: 0, salience: 1, red_lines: [high]}",
     "          fees: {ideal: 0, salience: 1, red_lines: [steep]}", "unknown option 'steep'",
     ("ratifiers", 0, "groups", 0, "stances", "fees", "red_lines")),
    ("    option: shared\n", "    option: halves\n", "unknown option 'halves'",
     ("funding", 1, "option")),
    ("    shares: {port: 0.5, north: 0.25, south: 0.25}",
     "    shares: {port: 0.5, north: 0.5, south: 0.25}", "at most 1", ("funding", 1, "shares")),
    ("    kind: veto", "    kind: king", "Input should be", ("ratifiers", 1, "kind")),
])
def test_context_errors_name_the_line(harbour_path: Path, old: str, new: str, expected: str,
                                      path: tuple) -> None:
    text = _edit(harbour_path, old, new)
    error = _error(text)
    assert expected in str(error)
    assert error.path == path
    assert error.line is not None and error.line >= _line_of(text, new.strip().split("\n")[0]) - 3


def test_scenario_at_day_drifts_reservations(harbour: Scenario) -> None:
    later = harbour.at(100)
    assert later.party("port").reservation.value == pytest.approx(0.3 - 0.00001 * 100 * 100)
    assert later.party("north").reservation.value == pytest.approx(0.45 + 0.000002 * 100 * 100)
    assert later.party("south") == harbour.party("south")
    assert harbour.at(0) is harbour
    assert harbour.at(10**6).party("port").reservation.value == 0.0
