"""Spreadsheet tables (CSV directory or XLSX workbook): exact round trips, located errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zopa.errors import ScenarioError, ZopaError
from zopa.formats.table import export_table, import_table
from zopa.scenario import Scenario
from zopa.scenario.synthetic import random_scenario


def _openpyxl() -> None:
    pytest.importorskip("openpyxl", reason="openpyxl is not installed; install the tables "
                                           "extra: pip install 'zopa[tables]'")


@pytest.fixture(params=["csv", "xlsx"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "xlsx":
        _openpyxl()
        return tmp_path / "scenario.xlsx"
    return tmp_path / "tables"


# -- round trips ------------------------------------------------------------------------------
def test_harbour_round_trip_is_exact(harbour: Scenario, target: Path) -> None:
    export_table(harbour, target)
    assert import_table(target) == harbour


def test_ukraine_round_trip_is_exact(ukraine: Scenario, target: Path) -> None:
    export_table(ukraine, target)
    back = import_table(target)
    assert back == ukraine
    assert back.sources == ukraine.sources  # every source, with its dates and notes
    assert any(not p.capability.is_point for p in back.parties)  # ranges survive


@pytest.mark.parametrize(("parties", "issues", "options", "seed"),
                         [(2, 3, 3, 1), (3, 4, 4, 2), (4, 2, 5, 3)])
def test_random_round_trip_is_exact(target: Path, parties: int, issues: int, options: int,
                                    seed: int) -> None:
    scenario = random_scenario(parties, issues, options, rng=seed)
    export_table(scenario, target)
    assert import_table(target) == scenario


def test_export_writes_every_table_with_companions_only_where_used(harbour: Scenario,
                                                                   tmp_path: Path) -> None:
    export_table(harbour, tmp_path)
    assert sorted(p.stem for p in tmp_path.glob("*.csv")) == sorted([
        "scenario", "sources", "parties", "issues", "options", "stances", "values",
        "red_lines", "proposals", "proposal_options", "clocks", "drifts", "areas", "costs"])
    parties = (tmp_path / "parties.csv").read_text().splitlines()
    assert parties[0] == ("id,name,description,capability,capability_source,reservation,"
                          "reservation_low,reservation_high,reservation_note,"
                          "reservation_judgement,response_delay_days")
    assert parties[1] == "north,North Town,,1,minutes,0.45,0.4,0.5,walk-away: keep suing,true,"
    assert (tmp_path / "red_lines.csv").read_text() == \
        "party,issue,option\nnorth,berths,south\nport,dredging,port\n"
    assert list(tmp_path.glob(".*")) == []  # no temporary file left behind


def test_a_second_export_replaces_the_first(harbour: Scenario, tmp_path: Path) -> None:
    export_table(harbour, tmp_path)
    plain = random_scenario(2, 2, 2, rng=4)
    export_table(plain, tmp_path)
    assert import_table(tmp_path) == plain


# -- what analysts write by hand --------------------------------------------------------------
def _write(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


MINIMAL = {
    "parties": "id,name,capability,reservation,reservation_low,reservation_high\n"
               "a,Alpha,1,0.3,0.2,0.4\nb , Beta,2,0.2,,\n",
    "issues": "id,name\nx,The issue\n",
    "options": "issue,id,label,position\nx,lo,Low,0\nx,hi,High,100\n",
    "stances": "party,issue,ideal,salience\na,x,0,1\nb,x,100,1\n",
}


def test_a_hand_written_directory_reads(tmp_path: Path) -> None:
    scenario = import_table(_write(tmp_path / "my-talks", MINIMAL))
    assert scenario.id == "my-talks" and scenario.name == "my-talks"
    assert scenario.party_ids == ("a", "b")  # ids are read without surrounding blanks
    assert scenario.party("b").name == " Beta"  # text is kept exactly
    assert scenario.party("a").reservation.low == 0.2
    assert scenario.party("a").reservation.mode == 0.3


def test_utf8_with_byte_order_mark_reads(tmp_path: Path) -> None:
    folder = _write(tmp_path / "t", MINIMAL)
    (folder / "parties.csv").write_text(MINIMAL["parties"], encoding="utf-8-sig")
    assert import_table(folder).party_ids == ("a", "b")


def _error(folder: Path) -> str:
    with pytest.raises(ScenarioError) as caught:
        import_table(folder)
    text = str(caught.value)
    assert "\n" not in text
    return text


@pytest.mark.parametrize(("table", "text", "expected"), [
    ("parties", "id,name,capability,reservation\na,Alpha,lots,0.3\n",
     "parties.csv:2: capability: expected a number, got 'lots'"),
    ("parties", "id,name,capabilty,reservation\na,Alpha,1,0.3\n",
     "parties.csv:1: capabilty: unknown column 'capabilty'"),
    ("parties", "id,name,reservation\na,Alpha,0.3\n",
     "parties.csv:1: capability: missing column 'capability'"),
    ("parties", "id,name,capability,reservation\na,Alpha,,0.3\n",
     "parties.csv:2: capability: missing capability"),
    ("parties", "id,name,capability,reservation,reservation_low\na,Alpha,1,0.3,0.1\n",
     "parties.csv:2: reservation_high: a range needs both reservation_low and reservation_high"),
    ("parties", "id,name,capability,reservation\na,Alpha,1,1.5\nb,Beta,1,0.2\n",
     "parties.csv:2: reservation: expected a reservation between 0 and 1"),
    ("parties", "id,name,capability,capability_judgement,reservation\na,A,1,maybe,0.3\n",
     "parties.csv:2: capability_judgement: expected true or false, got 'maybe'"),
    ("stances", "party,issue,ideal,salience\na,x,0,1\nc,x,100,1\n",
     "stances.csv:3: party: unknown party 'c'"),
    ("options", "issue,id,label,position\nx,lo,Low,0\ny,hi,High,100\n",
     "options.csv:3: issue: unknown issue 'y'"),
    ("options", "issue,id,label,position\nx,lo,Low,0\nx,hi,High,200\n",
     "options.csv:3: position: expected a position between 0 and 100"),
    ("values", "party,issue,option,value\nb,x,hi,0.5\nb,z,hi,0.5\n",
     "values.csv:3: party: no row in stances for party 'b' and issue 'z'"),
    ("red_lines", "party,issue,option\na,x,mid\n",
     "red_lines.csv:2: option: unknown option 'mid' in red_lines"),
    ("proposals", "id,name,date\np,Plan,31/12/2025\n",
     "proposals.csv:2: date: expected a date as YYYY-MM-DD, got '31/12/2025'"),
    ("scenario", "field,value\nid,talks\nfunding[],{broken\n",
     "scenario.csv:3: value: expected JSON for 'funding[]'"),
    ("scenario", "field,value\nid,no spaces allowed\n",
     "scenario.csv:2: id: String should match pattern"),
    ("stances", "party,issue,ideal,salience\na,x,0,1\na,x,100,1\n",
     "stances.csv:3: issue: a second row for party 'a' and issue 'x'"),
])
def test_errors_name_file_row_and_column(tmp_path: Path, table: str, text: str,
                                         expected: str) -> None:
    folder = _write(tmp_path / "t", {**MINIMAL, table: text})
    message = _error(folder)
    assert message.startswith(str(folder / expected.split(":")[0]))
    assert expected.split(".csv", 1)[1] in message


def test_missing_and_unknown_tables(tmp_path: Path) -> None:
    folder = _write(tmp_path / "t", {k: v for k, v in MINIMAL.items() if k != "options"})
    assert "missing table 'options'" in _error(folder)
    folder = _write(tmp_path / "u", {**MINIMAL, "partys": "id\n"})
    assert re.search(r"partys\.csv: unknown table 'partys'", _error(folder))
    with pytest.raises(ScenarioError, match="no such file or directory"):
        import_table(tmp_path / "nothing")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ScenarioError, match="expected a directory of CSV files or an .xlsx"):
        import_table(tmp_path / "notes.txt")


def test_ragged_rows_and_bad_encoding(tmp_path: Path) -> None:
    folder = _write(tmp_path / "t", {**MINIMAL, "issues": "id,name\nx,The issue,extra\n"})
    assert "issues.csv:2: row has 3 cells but the header has 2" in _error(folder)
    folder = _write(tmp_path / "u", MINIMAL)
    (folder / "issues.csv").write_bytes("id,name\nx,Caf\xe9\n".encode("latin-1"))
    assert "issues.csv: not UTF-8 text" in _error(folder)


# -- XLSX -------------------------------------------------------------------------------------
def test_xlsx_errors_name_the_sheet(harbour: Scenario, tmp_path: Path) -> None:
    _openpyxl()
    import openpyxl

    book_path = tmp_path / "talks.xlsx"
    export_table(harbour, book_path)
    book = openpyxl.load_workbook(book_path)
    book["parties"]["D3"] = "a lot"
    book.save(book_path)
    message = _error(book_path)
    assert message == f"{book_path}[parties]:3: capability: expected a number, got 'a lot'"


def test_xlsx_keeps_text_that_looks_like_a_formula(harbour: Scenario, tmp_path: Path) -> None:
    _openpyxl()
    from dataclasses import replace

    north = replace(harbour.party("north"), description="=SUM(A1:A3) is not a formula")
    scenario = harbour.with_party(north)
    export_table(scenario, tmp_path / "talks.xlsx")
    assert import_table(tmp_path / "talks.xlsx") == scenario


def test_xlsx_reads_numbers_typed_by_hand(tmp_path: Path) -> None:
    _openpyxl()
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, text in MINIMAL.items():
        sheet = book.create_sheet(name)
        for line in text.splitlines():
            sheet.append([float(c) if c.replace(".", "", 1).isdigit() else c
                          for c in line.split(",")])
    book.save(tmp_path / "hand.xlsx")
    scenario = import_table(tmp_path / "hand.xlsx")
    assert scenario.id == "hand" and scenario.party("b").capability.value == 2.0


def test_xlsx_needs_openpyxl(monkeypatch: pytest.MonkeyPatch, harbour: Scenario,
                             tmp_path: Path) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ZopaError, match=r"pip install 'zopa\[tables\]'"):
        export_table(harbour, tmp_path / "talks.xlsx")


def test_export_registry_writes_both_formats(harbour: Scenario, tmp_path: Path) -> None:
    from zopa.formats.exporters import export_scenario

    tables = export_scenario("table", harbour, tmp_path / "tables")
    assert tmp_path / "tables" / "parties.csv" in tables and len(tables) == 14
    genius = export_scenario("genius", harbour, tmp_path / "genius")
    assert [p.name for p in genius] == ["harbour-domain.xml", "north.xml", "south.xml",
                                        "port.xml"]
    with pytest.raises(ScenarioError, match="unknown format 'pdf'"):
        export_scenario("pdf", harbour, tmp_path)
