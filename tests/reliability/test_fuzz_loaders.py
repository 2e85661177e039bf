"""Fuzzing every reader of scenarios: only located ScenarioErrors may escape, never a traceback.

Each test feeds generated input to one reader (the YAML/JSON loader, the KTAB CSV
and XML, BdM, Decide and GENIUS importers, tables as CSV directories and XLSX
workbooks) and checks one property: the reader returns a Scenario, or raises a
:class:`~zopa.errors.ScenarioError` whose one-line text starts with the file it
read and gives a line or a field (or says what is wrong with the file as a whole).
Any other exception, or an error that does not say where, fails the test.

Inputs are arbitrary bytes and text, "token soups" of each format's own words,
and mutations (deleted, repeated and swapped lines, fields replaced by
troublesome values, structural edits of the data, alias bombs, deep nesting,
YAML tags) of real files: ``tests/data`` and, when present, the reference data in
``../shared/research-data``.

The number of examples per test comes from ``ZOPA_FUZZ_EXAMPLES`` (default 200,
derandomized, for the regular suite). ``scripts/fuzz.sh`` sets it so that more
than 100,000 inputs are tried, with fresh random seeds, and collects per-test
counts through ``ZOPA_FUZZ_REPORT`` (docs/reliability.md).
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zopa.errors import ScenarioError, ZopaError
from zopa.formats import dumps_scenario, load_scenario, loads_scenario
from zopa.formats.genius import export_genius
from zopa.formats.importers import import_scenario
from zopa.formats.table import export_table
from zopa.scenario import Scenario, content_hash, scenario_from_data, scenario_to_data
from zopa.scenario.synthetic import random_scenario

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
RESEARCH = ROOT.parent / "shared" / "research-data"

EXAMPLES = int(os.environ.get("ZOPA_FUZZ_EXAMPLES", "200"))
FUZZING = "ZOPA_FUZZ_EXAMPLES" in os.environ
REPORT = os.environ.get("ZOPA_FUZZ_REPORT")
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not FUZZING,
                suppress_health_check=list(HealthCheck), print_blob=True,
                **({} if FUZZING else {"database": None}))

# -- the property ----------------------------------------------------------------------------------
_OUTCOMES: Counter[str] = Counter()
_WHOLE_FILE = re.compile(
    r"no such file|is a directory|not UTF-8|bytes in the file|values in the document|"
    r"file is empty|cannot read|nested (too|deeper)|expected a directory of CSV|"
    r"missing table|unknown table|no XML element|workbook|at the top level")


def _check(load: Callable[[], object], *inputs: Path) -> None:
    """Run ``load``; it must return a Scenario or raise a ScenarioError located in ``inputs``."""
    names = [str(path) for path in inputs]
    try:
        result = load()
    except ScenarioError as error:
        _assert_located(error, names)
        _OUTCOMES["refused"] += 1
        return
    except ZopaError as error:
        raise AssertionError(f"{type(error).__name__} without a location: {error}") from error
    assert isinstance(result, Scenario), type(result)
    _assert_round_trip(result)
    _OUTCOMES["loaded"] += 1


def _assert_round_trip(scenario: Scenario) -> None:
    """What was read can be written and read back unchanged (as the store saves it)."""
    again = scenario_from_data(scenario_to_data(scenario))
    assert content_hash(again) == content_hash(scenario), "changed by a round trip"


def _assert_located(error: ScenarioError, names: Sequence[str]) -> None:
    text = str(error)
    assert "\n" not in text and "\r" not in text, f"not one line: {text!r}"
    assert error.file is not None, f"no file named: {text}"
    assert any(error.file.startswith(name) for name in names), f"wrong file: {text}"
    assert text.startswith(error.file), text
    located = error.line is not None or bool(error.path) or _WHOLE_FILE.search(error.message)
    assert located, f"neither a line nor a field: {text}"


def _refused(load: Callable[[], object], *inputs: Path, match: str) -> None:
    """``load`` must raise a located ScenarioError whose message matches ``match``."""
    with pytest.raises(ScenarioError, match=match) as caught:
        load()
    _assert_located(caught.value, [str(path) for path in inputs])


@pytest.fixture(autouse=True)
def _report(request: pytest.FixtureRequest) -> Iterator[None]:
    """Append the test's counts and time to ``$ZOPA_FUZZ_REPORT`` (JSON lines)."""
    _OUTCOMES.clear()
    start = time.perf_counter()
    yield
    if REPORT and _OUTCOMES:
        with open(REPORT, "a", encoding="utf-8") as out:
            out.write(json.dumps({"test": request.node.name, "inputs": sum(_OUTCOMES.values()),
                                  **_OUTCOMES, "seconds": round(time.perf_counter() - start, 1)})
                      + "\n")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes)
                     else text.encode("utf-8", errors="surrogatepass"))
    return path


# -- troublesome values and text mutations ---------------------------------------------------------
TROUBLE = [
    "", " ", "-1", "0", "-0", "1e308", "1e309", "-1e309", "nan", "NaN", "inf", "-inf",
    "Infinity", "1" + "0" * 5000, "0x1F", "1_000", "1e-400", "9" * 40, "null", "~", "true", "no",
    "2021-02-30", "2021-13-01 10:00:00", "'", '"', "\\", ",", ";", "\t", "\n", "\r", "\r\n", "#",
    "\x00", "\x1b", "\ufeff", "\u202e", "\u2028", "é", "日本", "\U0001f600", "\ud800",
    "a" * 5000, "&", "<", ">", "&amp;", "&#0;", "&#x110000;", "&xxe;", "]]>", "<![CDATA[x]]>",
    "<!DOCTYPE x>", "<!ENTITY a 'b'>", "*a", "&a", "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system", "!!binary", "!!set", "!!timestamp 2021-02-30", "!custom", "<<",
    "? ", "- ", ": ", "{", "}", "[", "]", "#A", "#P", "#M", "#D", "#/", "%YAML 1.1", "---",
    "...", "=", "/>", "</x>", "<x>", "\"\"\"",
]
_TOKEN = re.compile(r"[^\s,;:<>=\"'\t\[\]{}]+")


@st.composite
def trouble(draw: st.DrawFn) -> str:
    """A troublesome value, some random text, or a plausible number (to get past the checks)."""
    return draw(st.one_of(st.sampled_from(TROUBLE), st.text(max_size=12),
                          st.integers(-5, 300).map(str),
                          st.floats(0, 1).map(lambda x: f"{x:.3g}")))


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


@st.composite
def mutate_text(draw: st.DrawFn, text: str, max_ops: int = 4) -> str:
    """``text`` after 1 to ``max_ops`` random edits."""
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["token", "token", "token", "delete-line", "repeat-line",
                                   "swap-lines", "insert", "truncate", "cut", "repeat-block",
                                   "grow"]))
        lines = _lines(text)
        i, j = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
        at = draw(st.integers(0, len(text)))
        if op == "token":
            tokens = list(_TOKEN.finditer(text))
            if tokens:
                hit = tokens[draw(st.integers(0, len(tokens) - 1))]
                text = text[:hit.start()] + draw(trouble()) + text[hit.end():]
        elif op == "delete-line":
            text = "".join(lines[:i] + lines[i + 1:])
        elif len(text) > 100_000 and op.startswith("repeat"):
            continue  # repeated repetitions would make the test, not the reader, run out of memory
        elif op == "repeat-line":
            text = "".join(lines[:i] + [lines[i]] * draw(st.integers(2, 300)) + lines[i + 1:])
        elif op == "grow":  # copies of a line with one of its first tokens numbered: new actors
            tokens = list(_TOKEN.finditer(lines[i]))[:3]
            if tokens:
                hit = tokens[draw(st.integers(0, len(tokens) - 1))]
                line = lines[i] if lines[i].endswith("\n") else lines[i] + "\n"
                copies = [line[:hit.end()] + f"x{k}" + line[hit.end():]
                          for k in range(draw(st.integers(2, 300)))]
                text = "".join(lines[:i + 1] + copies + lines[i + 1:])
        elif op == "swap-lines":
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif op == "insert":
            text = text[:at] + draw(trouble()) + text[at:]
        elif op == "truncate":
            text = text[:at]
        elif op == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 200)):]
        else:
            low, high = min(i, j), max(i, j) + 1
            text = "".join(lines[:high] + lines[low:high] * draw(st.integers(1, 3)) + lines[high:])
    return text


@st.composite
def mutate_bytes(draw: st.DrawFn, text: str) -> bytes:
    """A text mutation, encoded, sometimes with a few bytes overwritten or another encoding."""
    mutated = draw(mutate_text(text))
    encoding = draw(st.sampled_from(["utf-8"] * 8 + ["utf-16", "latin-1"]))
    data = bytearray(mutated.encode(encoding, errors="surrogatepass" if encoding == "utf-8"
                                    else "replace"))
    for _ in range(draw(st.integers(0, 2))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@st.composite
def flip_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with 1-8 bytes overwritten, or cut short."""
    changed = bytearray(data)
    if draw(st.booleans()):
        return bytes(changed[:draw(st.integers(0, len(changed)))])
    for _ in range(draw(st.integers(1, 8))):
        changed[draw(st.integers(0, len(changed) - 1))] = draw(st.integers(0, 255))
    return bytes(changed)


def soup(words: Sequence[str]) -> st.SearchStrategy[str]:
    """Text made of a format's own words, separators and troublesome values."""
    pieces = st.one_of(st.sampled_from(list(words)), st.sampled_from(TROUBLE),
                       st.sampled_from([" ", "\n", "  ", ",", "\t", ": ", "- "]))
    return st.lists(pieces, max_size=120).map("".join)


def anything(words: Sequence[str]) -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, arbitrary text, or a soup of the format's words, as bytes."""
    return st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
        soup(words).map(lambda t: t.encode("utf-8", errors="surrogatepass")))


# -- seeds -----------------------------------------------------------------------------------------
def _research(pattern: str) -> list[Path]:
    return sorted(RESEARCH.glob(pattern)) if RESEARCH.exists() else []


def _texts(paths: Sequence[Path]) -> list[str]:
    return [path.read_bytes().decode("utf-8-sig") for path in paths]


RANDOM_SCENARIOS = [random_scenario(2, 2, 2, rng=1), random_scenario(3, 3, 3, rng=2),
                    random_scenario(4, 2, 4, reservations=False, rng=3)]
HARBOUR_TEXT = (DATA / "harbour.yaml").read_text(encoding="utf-8")
HARBOUR = loads_scenario(HARBOUR_TEXT)
SCENARIO_DATA = [scenario_to_data(HARBOUR)] + [scenario_to_data(s) for s in RANDOM_SCENARIOS]
YAML_SEEDS = [HARBOUR_TEXT] + [dumps_scenario(s) for s in RANDOM_SCENARIOS]
JSON_SEEDS = [dumps_scenario(s, format="json") for s in (HARBOUR, *RANDOM_SCENARIOS)]

KTAB_CSV = """Tiny,"three actors",3,2,
Actor,Description,Power,Tax Position,Tax Salience,Rent Position,Rent Salience,
Alpha, first, 100, 10, 40, 90, 30,
Beta, second, 50.5, 60, 20, 20, 50,
Gamma, third, 75, 95, 50, 50, 10,
"""
KTAB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Scenario>
  <name>Tiny</name>
  <desc>three actors</desc>
  <Dimensions><dName>Tax</dName><dName>Rent</dName></Dimensions>
  <Actors>
    <Actor><name>Alpha</name><description>first</description><capability>100</capability>
      <Position><dCoord>10</dCoord><dCoord>90</dCoord></Position>
      <Salience><dSal>40</dSal><dSal>30</dSal></Salience></Actor>
    <Actor><name>Beta</name><capability>50.5</capability>
      <Position><dCoord>60</dCoord><dCoord>20</dCoord></Position>
      <Salience><dSal>20</dSal><dSal>50</dSal></Salience></Actor>
    <Actor><name>Gamma</name><capability>75</capability>
      <Position><dCoord>95</dCoord><dCoord>50</dCoord></Position>
      <Salience><dSal>50</dSal><dSal>10</dSal></Salience></Actor>
  </Actors>
  <ModelParameters><VictoryProbModel>Linear</VictoryProbModel></ModelParameters>
</Scenario>
"""
BDM_CSV = "Actor,Capability,Position,Salience,Issue\nA,0.5,4,0.8,tax\nB,0.3,7,0.4,tax\n" \
          "C,0.2,10,1.0,tax\nA,0.5,1,50,rent\nB,0.3,2,60,rent\n"
DECIDE = ("'#O'\t'Tiny'\n'#A'\t'a'\t'Alpha'\t''\n'#A'\t'b'\t'Beta'\t'note'\n"
          "'#P'\t'tax'\t'Tax rate'\t''\n'#M'\t'tax'\t0\t'none'\n'#M'\t'tax'\t10\t'high'\n"
          "'#D'\t'a'\t'tax'\t2.5\t0.8\t0.6\n'#D'\t'b'\t'tax'\t10\t0.4\t0.4\n")

KTAB_CSV_SEEDS = [KTAB_CSV] + _texts([p for p in _research("ktab/smp/*.csv")
                                      if "a160" not in p.name])
KTAB_XML_SEEDS = [KTAB_XML] + _texts(_research("ktab/smp/*.xml") +
                                     _research("ktab/reformpri/*.xml"))
BDM_SEEDS = [BDM_CSV] + _texts(_research("bdm-eum/*.csv"))
DECIDE_SEEDS = [DECIDE] + [p.read_bytes().decode("utf-8", "replace")
                           for p in _research("decide-exchange/*.csv") +
                           _research("decide-exchange/*.txt")]

WORDS = {
    "yaml": ["id", "name", "parties", "issues", "options", "stances", "proposals", "sources",
             "capability", "reservation", "position", "ideal", "salience", "values",
             "red_lines", "low", "high", "mode", "value", "clocks", "drifts", "ratifiers",
             "schema_version: 1", "a", "b", "1", "0.5", "&x", "*x", "!!str", "!!int"],
    "json": ['{', '}', '[', ']', '"id"', '"name"', '"parties"', '"issues"', '"options"', ':',
             ',', '"a"', '1', '0.5', 'true', 'null', 'NaN', '"position"', '"stances"'],
    "ktab-csv": ["Actor", "Description", "Power", "Position", "Salience", "A", "1", "50",
                 "100", "3", "2", ",", "\n", '"'],
    "xml": ["<Scenario>", "</Scenario>", "<Actors>", "</Actors>", "<Actor>", "</Actor>",
            "<name>", "</name>", "<capability>", "</capability>", "<Position>", "</Position>",
            "<dCoord>", "</dCoord>", "<Salience>", "<dSal>", "</dSal>", "</Salience>",
            "<utility_space>", "</utility_space>", '<objective name="o">', "</objective>",
            '<issue name="i">', "</issue>", '<item value="v" evaluation="1"/>',
            '<weight index="1" value="1"/>', "<?xml version='1.0'?>", "<!--", "-->", "50"],
    "bdm": ["Actor", "Capability", "Position", "Salience", "Issue", "A", "B", "0.5", "1", "100",
            ",", "\n"],
    "decide": ["'#A'", "'#P'", "'#M'", "'#D'", "'#/'", "'#O'", "'a'", "'b'", "'tax'", "\t", "\n",
               "0.5", "1", "10"],
    "table": ["id", "name", "capability", "reservation", "issue", "party", "label", "position",
              "a", "b", "1", "0.5", ",", "\n", '"'],
}


# -- YAML and JSON ---------------------------------------------------------------------------------
@FUZZ
@given(text=st.one_of(st.text(max_size=2000), soup(WORDS["yaml"])))
@example(text="[" * 5000 + "]" * 5000)
@example(text="id: x\x00")
@example(text="as_of: 2021-02-30")
@example(text="a: " + "1" * 5000)
def test_yaml_text(text: str) -> None:
    _check(lambda: loads_scenario(text, name="fuzz.yaml"), Path("fuzz.yaml"))


@FUZZ
@given(text=st.one_of(st.text(max_size=2000), soup(WORDS["json"])))
@example(text="[" * 100_000)
@example(text="[1" + "0" * 5000 + "]")
@example(text='{"\\ud800": 1, "id": "x"}')
def test_json_text(text: str) -> None:
    _check(lambda: loads_scenario(text, name="fuzz.json", format="json"), Path("fuzz.json"))


def _paths(data: Any) -> list[tuple[Any, ...]]:
    """Every path in the data (keys and indices), the root first."""
    found: list[tuple[Any, ...]] = [()]
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        items = (value.items() if isinstance(value, dict)
                 else enumerate(value) if isinstance(value, list) else ())
        for key, child in items:
            found.append((*path, key))
            stack.append(((*path, key), child))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _deep(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(),
    st.text(max_size=20), st.sampled_from(TROUBLE), st.dates(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(),
                                                         max_size=3),
    st.sampled_from([_deep(30), _deep(70), {"value": 1, "low": 2, "high": 0},
                     {"low": 0, "mode": 5, "high": 1}, {"value": float("nan")},
                     {"value": 1, "source": "nowhere"}]))


@st.composite
def mutated_data(draw: st.DrawFn) -> Any:
    """A scenario's data after 1-4 structural edits (the root may be replaced too)."""
    data = json.loads(json.dumps(draw(st.sampled_from(SCENARIO_DATA))))
    strings = sorted({v for p in _paths(data) if isinstance(v := _at(data, p), str)})
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        if not path:
            continue
        parent, key = _at(data, path[:-1]), path[-1]
        op = draw(st.sampled_from(["delete", "replace", "replace", "duplicate", "reference",
                                   "rename", "repeat", "stringify"]))
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = copy.deepcopy(draw(VALUES))
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif op == "reference":
            parent[key] = draw(st.sampled_from(strings + ["nope", ""]))
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(strings + ["nope", "", "id"]))] = parent.pop(key)
        elif op == "repeat" and isinstance(parent[key], list) and len(paths) < 5000:
            parent[key] = parent[key] * draw(st.sampled_from([2, 3, 300]))  # shared: aliases
        elif op == "stringify":
            parent[key] = str(parent[key])
    return data


def _json_safe(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(key): _json_safe(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_json_safe(value) for value in data]
    return data


@FUZZ
@given(data=mutated_data(), text_edits=st.booleans(), st_data=st.data())
def test_yaml_mutated_scenarios(data: Any, text_edits: bool, st_data: st.DataObject) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if text_edits:
        text = st_data.draw(mutate_text(text, max_ops=2))
    _check(lambda: loads_scenario(text, name="fuzz.yaml"), Path("fuzz.yaml"))


@FUZZ
@given(data=mutated_data(), text_edits=st.booleans(), st_data=st.data())
def test_json_mutated_scenarios(data: Any, text_edits: bool, st_data: st.DataObject) -> None:
    text = json.dumps(_json_safe(data), default=str, indent=1)
    if text_edits:
        text = st_data.draw(mutate_text(text, max_ops=2))
    _check(lambda: loads_scenario(text, name="fuzz.json", format="json"), Path("fuzz.json"))


@st.composite
def yaml_attacks(draw: st.DrawFn) -> str:
    """Alias bombs, recursive aliases, tags and deep nesting inside real scenario text."""
    seed = draw(st.sampled_from(YAML_SEEDS))
    kind = draw(st.sampled_from(["bomb", "recursive", "tag", "deep"]))
    field = draw(st.sampled_from(["parties", "issues", "description", "stances", "proposals",
                                  "sources", "name"]))
    if kind == "bomb":
        levels, width = draw(st.integers(1, 12)), draw(st.integers(1, 12))
        leaf = draw(st.sampled_from(["x", "{id: a, name: b}", "[1, 2]", "0.5"]))
        anchors = [f"x0: &a0 [{', '.join([leaf] * width)}]"]
        anchors += [f"x{k}: &a{k} [{', '.join([f'*a{k - 1}'] * width)}]"
                    for k in range(1, levels)]
        value = f"*a{levels - 1}"
        head = "\n".join(anchors) + "\n"
    elif kind == "recursive":
        head, value = "", draw(st.sampled_from(["&r [*r]", "&r {a: *r}", "&r [1, [2, *r]]"]))
    elif kind == "tag":
        head = ""
        value = draw(st.sampled_from([
            "!!python/object/apply:os.system ['touch /tmp/zopa-fuzz-pwned']",
            "!!python/object/new:os.system ['touch /tmp/zopa-fuzz-pwned']",
            "!!python/name:os.system", "!!python/module:os", "!!binary aGk=", "!!set {a, b}",
            "!!omap [a: 1]", "!!timestamp 2021-02-30", "!!float x", "!!int 0b2", "!custom 1",
            "!!map [1]", "!!seq {a: 1}", "!!str [1]", "!<tag:yaml.org,2002:python/none> ''"]))
    else:
        depth = draw(st.integers(1, 3000))
        head = ""
        value = draw(st.sampled_from(["[" * depth + "]" * depth,
                                      "{a: " * depth + "1" + "}" * depth]))
    lines = [line for line in seed.splitlines() if not line.startswith(f"{field}:")]
    return head + "\n".join(lines) + f"\n{field}: {value}\n"


@FUZZ
@given(text=yaml_attacks())
def test_yaml_attacks(text: str) -> None:
    _check(lambda: loads_scenario(text, name="fuzz.yaml"), Path("fuzz.yaml"))
    assert not Path("/tmp/zopa-fuzz-pwned").exists()


@FUZZ
@given(data=st.one_of(anything(WORDS["yaml"]),
                      st.sampled_from(YAML_SEEDS + JSON_SEEDS).flatmap(mutate_bytes)),
       suffix=st.sampled_from([".yaml", ".json"]))
def test_scenario_files(work: Path, data: bytes, suffix: str) -> None:
    path = _write(work / f"fuzz{suffix}", data)
    _check(lambda: load_scenario(path), path)


# -- importers of other tools' files ---------------------------------------------------------------
def _import_check(fmt: str, work: Path, name: str, data: bytes) -> None:
    path = _write(work / name, data)
    _check(lambda: import_scenario(fmt, path), path)


@FUZZ
@given(data=st.one_of(st.sampled_from(KTAB_CSV_SEEDS).flatmap(mutate_bytes),
                      anything(WORDS["ktab-csv"])))
def test_ktab_csv(work: Path, data: bytes) -> None:
    _import_check("ktab-csv", work, "fuzz-ktab.csv", data)


@FUZZ
@given(data=st.one_of(st.sampled_from(KTAB_XML_SEEDS).flatmap(mutate_bytes),
                      anything(WORDS["xml"])))
def test_ktab_xml(work: Path, data: bytes) -> None:
    _import_check("ktab-xml", work, "fuzz-ktab.xml", data)


@FUZZ
@given(data=st.one_of(st.sampled_from(BDM_SEEDS).flatmap(mutate_bytes), anything(WORDS["bdm"])))
def test_bdm_csv(work: Path, data: bytes) -> None:
    _import_check("bdm", work, "fuzz-bdm.csv", data)


@FUZZ
@given(data=st.one_of(st.sampled_from(DECIDE_SEEDS).flatmap(mutate_bytes),
                      anything(WORDS["decide"])))
def test_decide(work: Path, data: bytes) -> None:
    _import_check("decide", work, "fuzz-decide.txt", data)


def _genius_seeds(tmp: Path) -> list[list[str]]:
    files = ["canal-domain.xml", "city.xml", "operator.xml", "shippers.xml"]
    seeds = [[(DATA / "genius" / name).read_text(encoding="utf-8") for name in files]]
    for k, scenario in enumerate(RANDOM_SCENARIOS):
        folder = tmp / f"genius-seed-{k}"
        seeds.append([Path(p).read_text(encoding="utf-8")
                      for p in export_genius(scenario, folder)])
    return seeds


@pytest.fixture(scope="module")
def genius_seeds(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    return _genius_seeds(tmp_path_factory.mktemp("genius-seeds"))


@FUZZ
@given(st_data=st.data())
def test_genius(work: Path, genius_seeds: list[list[str]], st_data: st.DataObject) -> None:
    texts = st_data.draw(st.sampled_from(genius_seeds), label="seed")
    target = st_data.draw(st.integers(0, len(texts) - 1), label="file")
    mutated = st_data.draw(st.one_of(mutate_bytes(texts[target]), anything(WORDS["xml"])),
                           label="bytes")
    folder = work / "genius"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    paths = [_write(folder / f"f{k}.xml", mutated if k == target else text)
             for k, text in enumerate(texts)]
    _check(lambda: import_scenario("genius", *paths), *paths)


# -- tables ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def table_seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("table-seeds")
    seeds = []
    for k, scenario in enumerate((HARBOUR, *RANDOM_SCENARIOS)):
        export_table(scenario, root / f"seed{k}")
        seeds.append(root / f"seed{k}")
    return seeds


@FUZZ
@given(st_data=st.data())
def test_table_csv_directory(work: Path, table_seeds: list[Path], st_data: st.DataObject) -> None:
    seed = st_data.draw(st.sampled_from(table_seeds), label="seed")
    folder = work / "tables"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(seed, folder)
    files = sorted(folder.glob("*.csv"))
    for _ in range(st_data.draw(st.integers(1, 2), label="edits")):
        file = st_data.draw(st.sampled_from(files), label="file")
        op = st_data.draw(st.sampled_from(["mutate", "mutate", "mutate", "mutate", "delete",
                                           "unknown", "anything"]), label="op")
        if op == "mutate" and file.exists():
            _write(file, st_data.draw(mutate_bytes(file.read_bytes().decode("utf-8", "replace"))))
        elif op == "delete":
            file.unlink(missing_ok=True)
        elif op == "unknown":
            _write(folder / "extra.csv", "a,b\n1,2\n")
        else:
            _write(file, st_data.draw(anything(WORDS["table"])))
    _check(lambda: import_scenario("table", folder), folder)


@pytest.fixture(scope="module")
def xlsx_seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    pytest.importorskip("openpyxl", reason="the tables extra (openpyxl) is not installed")
    path = tmp_path_factory.mktemp("xlsx-seed") / "harbour.xlsx"
    export_table(random_scenario(2, 2, 3, rng=4), path)
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


@FUZZ
@given(st_data=st.data())
def test_table_xlsx(work: Path, xlsx_seed: dict[str, bytes], st_data: st.DataObject) -> None:
    members = dict(xlsx_seed)
    op = st_data.draw(st.sampled_from(["member", "member", "member", "drop", "bytes"]))
    name = st_data.draw(st.sampled_from(sorted(members)), label="member")
    if op == "member":
        members[name] = st_data.draw(mutate_bytes(members[name].decode("utf-8", "replace")))
    elif op == "drop":
        del members[name]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for member, content in members.items():
            book.writestr(member, content)
    data = buffer.getvalue()
    if op == "bytes":
        data = st_data.draw(st.one_of(st.binary(max_size=2000), flip_bytes(data)))
    path = _write(work / "fuzz.xlsx", data)
    _check(lambda: import_scenario("table", path), path)


# -- what the fuzzing found, kept as plain regression tests --------------------------------------
YAML_FOUND = {
    "empty explicit int": ("a: !!int\n", "cannot read this int value"),
    "empty explicit timestamp": ("a: !!timestamp\n", "cannot read this timestamp value"),
    "impossible date": ("id: x\nas_of: 2021-02-30\n", "day is out of range"),
    "huge integer": ("id: " + "1" * 5000 + "\n", "Exceeds the limit (4300 digits)"),
    "deep nesting": ("[" * 5000 + "]" * 5000, "nested deeper than 64 levels"),
    "control character": ("id: x\x00\n", "unacceptable character #x0000"),
    "huge directive number": ("%YAML 1." + "1" * 5000 + "\n---\nid: x\n", "4300 digits"),
}
JSON_FOUND = {
    "deep nesting": ("[" * 100_000, "JSON nested too deeply"),
    "huge integer": ('{"id":\n' + "1" * 5000 + "}", "Exceeds the limit (4300 digits)"),
    "lone surrogate key": ('{\n"\\ud800": 1, "id": "x"}', "half of a surrogate pair"),
    "raw lone surrogate": ('{"id": "x",\n"\ud800": 1}', "half of a surrogate pair"),
}


@pytest.mark.parametrize("case", sorted(YAML_FOUND))
def test_found_in_yaml(case: str) -> None:
    text, message = YAML_FOUND[case]
    _refused(lambda: loads_scenario(text, name="found.yaml"), Path("found.yaml"),
             match=re.escape(message))


@pytest.mark.parametrize("case", sorted(JSON_FOUND))
def test_found_in_json(case: str) -> None:
    text, message = JSON_FOUND[case]
    _refused(lambda: loads_scenario(text, name="found.json", format="json"),
             Path("found.json"), match=re.escape(message))


@pytest.mark.parametrize("encoding", ["nan", "utf-7", "rot13"])
@pytest.mark.parametrize("fmt", ["ktab-xml", "genius"])
def test_found_unusable_xml_encodings(work: Path, fmt: str, encoding: str) -> None:
    text = KTAB_XML if fmt == "ktab-xml" else (DATA / "genius" / "canal-domain.xml").read_text()
    path = _write(work / "encoding.xml", text.replace('encoding="UTF-8"', f'encoding="{encoding}"'))
    paths = (path,) if fmt == "ktab-xml" else (path, DATA / "genius" / "city.xml")
    _refused(lambda: import_scenario(fmt, *paths), path, match="unusable XML encoding")


def test_found_in_ktab_and_bdm(work: Path) -> None:
    close = KTAB_CSV.replace("50.5, 60,", "50.5, 0.0000001,").replace(", 10, 40,", ", 0, 40,")
    path = _write(work / "close.csv", close)  # positions 0 and 1e-7 made two options "pos_0"
    _check(lambda: import_scenario("ktab-csv", path), path)
    assert _OUTCOMES["loaded"] == 1
    many = "Actor,Capability,Position,Salience\n" + "".join(f"A{k},1,{k},0.5\n"
                                                            for k in range(300))
    path = _write(work / "many.csv", many)  # the limit's error named no file
    _refused(lambda: import_scenario("bdm", path), path, match="300 parties, above the limit")
    many = ("'#P'\t'p'\t'P'\t''\n" + "".join(f"'#A'\t'a{k}'\t'A{k}'\t''\n" for k in range(300))
            + "".join(f"'#D'\t'a{k}'\t'p'\t{k % 100}\t0.5\t0.5\n" for k in range(300)))
    path = _write(work / "many.txt", many)  # the same, in Decide files
    _refused(lambda: import_scenario("decide", path), path, match="300 parties, above the limit")


def test_found_in_tables(work: Path, table_seeds: list[Path],
                         xlsx_seed: dict[str, bytes]) -> None:
    folder = work / "found-tables"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(table_seeds[0], folder)
    load = lambda: import_scenario("table", folder)  # noqa: E731
    (folder / "issues.csv").unlink()
    _refused(load, folder, match="missing table 'issues'")  # used to name no file
    _write(folder / "issues.csv", 'id,name,"new\nline"\n')
    _refused(load, folder, match=r"issues.csv:1: 'new\\nline': unknown column")
    _write(folder / "issues.csv", (table_seeds[0] / "issues.csv").read_bytes())
    _write(folder / "scenario.csv", f"field,value\nratifiers[],{'1' * 5000}\n")
    _refused(load, folder, match="scenario.csv:2: value: expected JSON")
    sheet = next(name for name in sorted(xlsx_seed) if name.startswith("xl/worksheets/"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for member, content in xlsx_seed.items():
            book.writestr(member, content + b"<junk/>" if member == sheet else content)
    path = _write(work / "damaged.xlsx", buffer.getvalue())
    _refused(lambda: import_scenario("table", path), path,
             match="cannot read the workbook: junk after document")


@pytest.mark.parametrize("blank", ["", "  "])
@pytest.mark.parametrize("where", ["parties.0.name", "issues.0.options.0.label", "name"])
def test_found_blank_names_do_not_survive_a_round_trip(where: str, blank: str) -> None:
    """A blank name or label was accepted, then left out when written, so the scenario
    could not be read back (found by the round-trip property, and by the web app's
    stateful test for source titles). Such text is now refused where it is read."""
    data = scenario_to_data(HARBOUR)
    *parents, last = where.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = blank
    text = json.dumps(data)
    _refused(lambda: loads_scenario(text, name="blank.json", format="json"),
             Path("blank.json"), match="expected some text, not an empty or blank string")


@pytest.mark.parametrize("fmt", ["bdm", "ktab-csv"])
def test_found_long_names_make_identifiers_that_read_back(work: Path, fmt: str) -> None:
    """An actor named by hundreds of characters became an identifier longer than the
    file format allows, so the imported scenario did not read back."""
    long = "A" * 300
    if fmt == "bdm":
        text = f"Actor,Capability,Position,Salience\n{long},1,10,0.5\n{long}b,2,90,0.5\n"
    else:
        text = KTAB_CSV.replace("Alpha,", f"{long},", 1)
        assert long in text
    path = _write(work / "long.csv", text)
    _check(lambda: import_scenario(fmt, path), path)
    scenario = import_scenario(fmt, path)
    assert all(len(party) <= 100 for party in scenario.party_ids)
