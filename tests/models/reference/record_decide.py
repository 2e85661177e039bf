"""Record reference runs of the ``decide-exchange-model`` package for zopa's tests.

Not a test and not part of zopa: it drives the GPL package as a black box and must run
in a separate environment that has it (the package is never imported by zopa or its
tests, which read only the JSON written here)::

    python3 -m venv .venv-decide && .venv-decide/bin/pip install decide-exchange-model
    cd tests/models/reference
    ../../../.venv-decide/bin/python record_decide.py runs \\
        ../../../../shared/research-data/decide-exchange/cop21.csv 40 decide_cop21.json
    ../../../.venv-decide/bin/python record_decide.py trace \\
        ../../../../shared/research-data/decide-exchange/cop21.csv decide_cop21_trace.json

``runs``: runs ``../shared/tools/decide_reference.py FILE --rounds 10`` K times (the
package breaks ties between equally good exchanges with Python's unseeded ``random``,
so runs differ) and stores every run's outcomes per issue and round.

``trace``: one run with the package's random tie-breaking switched off (its class
attribute ``ALLOW_RANDOM = False``), recording each round's starting positions and the
exchanges realised, in order: for each, both suppliers' names, issues and new voting
positions, and the gain.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT.parent / "shared" / "tools" / "decide_reference.py"
ROUNDS = 10
DIGITS = 10
KEPT = 10


def _relative(path: Path) -> str:
    """A path as written from the repository's root."""
    full = path.resolve()
    if full.is_relative_to(ROOT):
        return str(full.relative_to(ROOT))
    if full.is_relative_to(ROOT.parent):
        return "../" + str(full.relative_to(ROOT.parent))
    return str(path)


def _header(kind: str, source: Path, command: str, note: str) -> dict[str, object]:
    return {"package": f"decide-exchange-model {version('decide-exchange-model')}",
            "python": sys.version.split()[0], "kind": kind, "input": _relative(source),
            "command": command, "rounds": ROUNDS,
            "scale": "the package's own 0-100 scale of each issue (positions normalised from "
                     "the #M interval), as decide_reference.py prints it",
            "note": note, "recorded_by": "tests/models/reference/record_decide.py"}


def record_runs(source: Path, count: int, out: Path) -> None:
    command = (f".venv-decide/bin/python ../shared/tools/decide_reference.py "
               f"{_relative(source)} --rounds {ROUNDS}")

    def one(_: int) -> dict[str, list[float]]:
        done = subprocess.run([sys.executable, str(TOOL), str(source), "--rounds", str(ROUNDS)],
                              capture_output=True, text=True, check=True)
        return {k: [round(v, DIGITS) for v in vs] for k, vs in json.loads(done.stdout).items()}

    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(one, range(count)))
    summary = {}
    for issue in runs[0]:
        values = [[run[issue][r] for run in runs] for r in range(ROUNDS + 1)]
        summary[issue] = {
            "min": [min(v) for v in values], "max": [max(v) for v in values],
            "mean": [round(statistics.fmean(v), DIGITS) for v in values],
            "sd": [round(statistics.pstdev(v), DIGITS) for v in values]}
    note = (f"Each run is one execution of the command; {count} runs. The package breaks ties "
            "between equally good exchanges with Python's unseeded random module, so runs "
            f"differ. summary: per issue and round (0 = before the first round) the min, max, "
            f"mean and standard deviation over all runs; runs: the first {KEPT} runs as "
            "printed.")
    out.write_text(_one_per_line({**_header("runs", source, command, note), "runs": count},
                                 summary, runs[:KEPT]))


def _one_per_line(header: dict[str, object], summary: dict[str, object],
                  runs: list[dict[str, list[float]]]) -> str:
    def lines(items: list[str]) -> str:
        return ",\n".join(items)

    stats = [f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}"
             for k, v in summary.items()]
    return ('{"header": ' + json.dumps(header, indent=1) + ',\n"summary": {\n'
            + lines(stats) + '\n},\n"runs": [\n'
            + lines([json.dumps(run, separators=(",", ":")) for run in runs]) + "\n]}\n")


def record_trace(source: Path, out: Path) -> None:
    from decide.data.modelfactory import ModelFactory
    from decide.data.reader import InputDataFile
    from decide.model import base, equalgain
    from decide.model.observers.observer import Observable, Observer
    from decide.model.utils import ModelLoop

    for klass in (equalgain.EqualGainModel, base.AbstractModel):
        klass.ALLOW_RANDOM = False
    model = ModelFactory(InputDataFile.open(str(source)))(
        model_klass=equalgain.EqualGainModel, randomized_value=None)

    actors = [str(actor.name) for actor in model.actors]
    issues = [str(issue.name) for issue in model.issues]

    class Recorder(Observer):  # type: ignore[misc]
        trades: list[list[object]] = []

        def execute_exchange(self, exchange: Any) -> None:
            row: list[object] = []
            for side in (exchange.i, exchange.j):
                row += [actors.index(str(side.actor.name)),
                        issues.index(str(side.supply.issue.name)), round(float(side.y), 12)]
            self.trades.append([*row, round(float(exchange.gain), 14)])

    observable = Observable(model_ref=model, output_directory=None)
    recorder = Recorder(observable)
    loop = ModelLoop(model, observable, 0)
    rounds = []
    for _ in range(ROUNDS):
        start = [[None] * len(issues) for _ in actors]
        for issue in model.issues:
            for actor, held in model.actor_issues[issue].items():
                start[actors.index(str(actor.name))][issues.index(str(issue.name))] = round(
                    float(held.position), 15)
        recorder.trades = []
        loop.loop()
        rounds.append({"start": start, "trades": recorder.trades})
    command = (f".venv-decide/bin/python tests/models/reference/record_decide.py trace "
               f"{_relative(source)} {_relative(out)}")
    note = ("Deterministic mode (ALLOW_RANDOM = False): ties are then decided by the order "
            "of the package's list, i.e. by the last digits of its Decimal gains. start: each "
            "round's starting positions [actor][issue] (null: the actor has no row for the "
            "issue). trades: [actor, issue, new voting position] for both sides (indices into "
            "actors and issues), then the gain.")
    out.write_text(json.dumps({"header": {**_header("trace", source, command, note),
                                          "actors": actors, "issues": issues},
                               "rounds": rounds}, separators=(",", ":")) + "\n")


def main() -> None:
    kind, source = sys.argv[1], Path(sys.argv[2])
    if kind == "runs":
        record_runs(source, int(sys.argv[3]), Path(sys.argv[4]))
    elif kind == "trace":
        record_trace(source, Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
