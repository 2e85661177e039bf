"""Every resource limit: its default, the environment variable that raises it, its message.

A limit refuses work with a :class:`~zopa.errors.LimitError` that names the limit,
the value found and the variable to set; the command line prints it on one line
and exits 1. The deal-space limit is checked before the merge allocates its arrays.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from zopa.analysis.frontier import compute_frontier
from zopa.analysis.pareto import pareto_frontier
from zopa.errors import LimitError, ScenarioError, ZopaError
from zopa.formats import dumps_scenario, load_scenario, loads_scenario
from zopa.formats.genius import export_genius
from zopa.formats.importers import import_scenario
from zopa.formats.table import export_table
from zopa.limits import VARIABLES, Limits, current_limits
from zopa.models import get_model
from zopa.scenario import scenario_from_data, scenario_to_data
from zopa.scenario.synthetic import random_scenario
from zopa.simulation.experiment import Experiment

DATA = Path(__file__).resolve().parents[1] / "data"
HARBOUR = DATA / "harbour.yaml"


def _assert_message(error: LimitError, limit: str, value: int | None = None) -> None:
    """The message names what was found, the limit, and the variable to set."""
    text = str(error)
    assert error.limit == limit and error.variable == VARIABLES[limit]
    assert f"({limit})" in text and f"set the environment variable {error.variable}=" in text
    assert f"above the limit of {error.maximum:,}" in text and "\n" not in text
    if value is not None:
        assert error.value == value and f"{value:,} " in text


# -- defaults and variables ----------------------------------------------------------------------
def test_defaults_are_documented_values(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    limits = current_limits()
    assert (limits.max_file_bytes, limits.max_document_nodes, limits.max_parties,
            limits.max_issues, limits.max_options_per_issue, limits.max_monte_carlo_runs) == (
        20_000_000, 1_000_000, 250, 500, 250, 1_000_000)
    assert 0 < limits.max_deal_space_bytes <= 2_000_000_000
    assert sorted(VARIABLES) == sorted(f.name for f in Limits.__dataclass_fields__.values())


@pytest.mark.parametrize("limit", sorted(VARIABLES))
def test_each_variable_sets_its_limit(monkeypatch: pytest.MonkeyPatch, limit: str) -> None:
    monkeypatch.setenv(VARIABLES[limit], "12_345")
    assert getattr(current_limits(), limit) == 12_345


@pytest.mark.parametrize("text", ["lots", "0", "-5", "1.5"])
def test_bad_variable_values_are_refused(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("ZOPA_MAX_PARTIES", text)
    with pytest.raises(ZopaError, match="ZOPA_MAX_PARTIES=.*expected a positive integer"):
        current_limits()


# -- file size -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, ...]]:
    """One valid file (or file set) per reader, each well over 200 bytes."""
    root = tmp_path_factory.mktemp("limit-files")
    scenario = random_scenario(3, 2, 3, rng=5)
    (root / "s.json").write_text(dumps_scenario(scenario, format="json"))
    export_table(scenario, root / "tables")
    (root / "ktab.csv").write_text(
        "Tiny,three actors,3,1\nActor,Description,Power,Tax Position,Tax Salience\n"
        "Alpha,first,100,10,40\nBeta,second,50,60,20\nGamma,third,75,95,50\n" + " " * 200)
    (root / "bdm.csv").write_text("Actor,Capability,Position,Salience\nA,0.5,4,0.8\n"
                                  "B,0.3,7,0.4\nC,0.2,10,1.0\n" + "\n" * 200)
    genius = export_genius(scenario, root / "genius")
    return {"yaml": (HARBOUR,), "json": (root / "s.json",), "ktab-csv": (root / "ktab.csv",),
            "bdm": (root / "bdm.csv",), "genius": tuple(Path(p) for p in genius),
            "table": (root / "tables",)}


def _load(reader: str, paths: tuple[Path, ...]) -> object:
    if reader in ("yaml", "json"):
        return load_scenario(paths[0])
    return import_scenario(reader, *paths)


# Decide's reader (formats/decide.py) still has its own 20 MB constant.
@pytest.mark.parametrize("reader", ["yaml", "json", "ktab-csv", "bdm", "genius", "table"])
def test_file_size_limit(monkeypatch: pytest.MonkeyPatch, files: dict[str, tuple[Path, ...]],
                         reader: str) -> None:
    paths = files[reader]
    _load(reader, paths)  # loads under the default
    monkeypatch.setenv("ZOPA_MAX_FILE_BYTES", "200")
    with pytest.raises(LimitError) as caught:
        _load(reader, paths)
    _assert_message(caught.value, "max_file_bytes")
    assert caught.value.file is not None and str(caught.value).startswith(caught.value.file)
    assert "bytes in the file" in str(caught.value)


def test_file_size_limit_on_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOPA_MAX_FILE_BYTES", "1000")
    monkeypatch.setattr(sys, "stdin", io.StringIO(HARBOUR.read_text()))
    with pytest.raises(LimitError, match="^<stdin>: 1,001 bytes in the file"):
        load_scenario("-")


# -- document size ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_document_node_limit(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    text = dumps_scenario(random_scenario(3, 3, 3, rng=1), format=fmt)  # type: ignore[arg-type]
    loads_scenario(text, format=fmt)  # type: ignore[arg-type]
    monkeypatch.setenv("ZOPA_MAX_DOCUMENT_NODES", "100")
    with pytest.raises(LimitError) as caught:
        loads_scenario(text, name=f"s.{fmt}", format=fmt)  # type: ignore[arg-type]
    _assert_message(caught.value, "max_document_nodes")
    assert str(caught.value).startswith(f"s.{fmt}")
    monkeypatch.setenv("ZOPA_MAX_DOCUMENT_NODES", "100_000")
    loads_scenario(text, format=fmt)  # type: ignore[arg-type]


def test_document_node_limit_counts_yaml_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    text = HARBOUR.read_text().replace("name: North Town", "name: &n North Town")
    text += "\n".join(f"x{k}: [*n, *n]" for k in range(10))
    monkeypatch.setenv("ZOPA_MAX_DOCUMENT_NODES", "100")
    with pytest.raises(LimitError, match="with aliases expanded"):
        loads_scenario(text, name="aliases.yaml")


def test_document_node_limit_on_tables(monkeypatch: pytest.MonkeyPatch,
                                       files: dict[str, tuple[Path, ...]]) -> None:
    monkeypatch.setenv("ZOPA_MAX_DOCUMENT_NODES", "50")
    with pytest.raises(LimitError) as caught:
        import_scenario("table", *files["table"])
    _assert_message(caught.value, "max_document_nodes")


def test_document_node_limit_on_data_not_from_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits in the web app rebuild the scenario from data: the limit holds there too."""
    data = scenario_to_data(random_scenario(3, 3, 3, rng=1))
    monkeypatch.setenv("ZOPA_MAX_DOCUMENT_NODES", "100")
    with pytest.raises(LimitError) as caught:
        scenario_from_data(data)
    _assert_message(caught.value, "max_document_nodes")


# -- scenario size ---------------------------------------------------------------------------------
SIZES = {"max_parties": ((251, 1, 2), ("parties",), "251 parties"),
         "max_issues": ((1, 501, 2), ("issues",), "501 issues"),
         "max_options_per_issue": ((1, 1, 251), ("issues", 0, "options"),
                                   "251 options on one issue")}


@pytest.mark.parametrize("limit", sorted(SIZES))
def test_scenario_size_limits(monkeypatch: pytest.MonkeyPatch, limit: str) -> None:
    sizes, path, found = SIZES[limit]
    with pytest.raises(LimitError) as caught:
        random_scenario(*sizes, rng=0)
    _assert_message(caught.value, limit, value=max(sizes))
    assert caught.value.path == path and found in str(caught.value)
    assert isinstance(caught.value, ScenarioError)  # located like any scenario error
    monkeypatch.setenv(VARIABLES[limit], str(max(sizes)))
    random_scenario(*sizes, rng=0)


def test_scenario_size_limit_names_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOPA_MAX_OPTIONS", "2")
    with pytest.raises(LimitError) as caught:
        load_scenario(HARBOUR)
    assert str(caught.value).startswith(f"{HARBOUR}:30: issues[0].options: 3 options on one "
                                        "issue, above the limit of 2 (max_options_per_issue)")


# -- deal-space memory ----------------------------------------------------------------------------
def test_deal_space_limit_refuses_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = random_scenario(6, 8, 6, reservations=False, rng=3)
    budget = 20_000_000
    monkeypatch.setenv("ZOPA_MAX_DEAL_SPACE_BYTES", str(budget))
    tracemalloc.start()
    try:
        with pytest.raises(LimitError) as caught:
            compute_frontier(scenario)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _assert_message(caught.value, "max_deal_space_bytes")
    assert "bytes of memory needed by the deal-space merge" in str(caught.value)
    assert caught.value.value > budget and peak < budget  # refused before the arrays exist


def test_deal_space_limit_can_be_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    tables = [rng.integers(0, 1000, (4, 2)).astype(np.int64) for _ in range(4)]
    monkeypatch.setenv("ZOPA_MAX_DEAL_SPACE_BYTES", "1000")
    with pytest.raises(LimitError):
        pareto_frontier(tables)
    monkeypatch.setenv("ZOPA_MAX_DEAL_SPACE_BYTES", "1_000_000")
    assert len(pareto_frontier(tables)) > 0


# -- Monte Carlo runs -----------------------------------------------------------------------------
def test_monte_carlo_run_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario, model = random_scenario(2, 2, 2, rng=0), get_model("median")
    Experiment(scenario, model, runs=1_000_000)
    with pytest.raises(LimitError) as caught:
        Experiment(scenario, model, runs=1_000_001)
    _assert_message(caught.value, "max_monte_carlo_runs", value=1_000_001)
    assert "1,000,001 Monte Carlo runs" in str(caught.value)
    monkeypatch.setenv("ZOPA_MAX_MONTE_CARLO_RUNS", "2000000")
    Experiment(scenario, model, runs=2_000_000)


# -- the command line ------------------------------------------------------------------------------
def test_command_line_prints_one_line_and_exits_1() -> None:
    code = "from zopa.cli.app import main; main()"
    env = {"ZOPA_MAX_PARTIES": "2", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code, "analyze", "frontier", str(HARBOUR)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"error: {HARBOUR}:11: parties: 3 parties, above the limit "
                                  "of 2 (max_parties); to allow more, set the environment "
                                  "variable ZOPA_MAX_PARTIES=3 or higher")
