#!/usr/bin/env bash
# The dedicated fuzzing run (issue 9): more than 100,000 generated inputs over every reader.
#
#   scripts/fuzz.sh [EXAMPLES_PER_TEST]      default 8000: 13 tests x 8000 = 104,000 inputs
#
# Runs each test of tests/reliability/test_fuzz_loaders.py in its own pytest process,
# ZOPA_FUZZ_JOBS (default 2) at a time, with fresh random inputs (Hypothesis keeps any
# failing example in .hypothesis/ and replays it first next time). Prints one line per
# test (inputs tried, loaded, refused, seconds, result) and the totals; exits 1 if any
# input made a reader raise anything but a located ScenarioError. Logs of failing tests
# are kept in test-output/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${1:-${ZOPA_FUZZ_EXAMPLES:-8000}}"
jobs="${ZOPA_FUZZ_JOBS:-2}"
python="${PYTHON:-.venv/bin/python}"
module=tests/reliability/test_fuzz_loaders.py
out=test-output/fuzz
mkdir -p "$out"
rm -f "$out"/*.log "$out/report.jsonl" "$out/status"

export ZOPA_FUZZ_EXAMPLES="$examples" ZOPA_FUZZ_REPORT="$PWD/$out/report.jsonl"
export python out

run_one() {
    local id=$1 name=${1##*::}
    if "$python" -m pytest -q -p no:cacheprovider "$id" >"$out/$name.log" 2>&1; then
        echo "$name passed" >>"$out/status"
        rm -f "$out/$name.log"
    else
        echo "$name FAILED" >>"$out/status"
    fi
}
export -f run_one

start=$(date +%s)
# The slowest tests first, so that the processes finish together instead of one of them
# running the XLSX test alone at the end.
slow='xlsx|yaml_attacks|yaml_mutated|table_csv'
tests="$("$python" -m pytest -q --collect-only -p no:cacheprovider -k "not found" "$module" |
    grep '::')"
{ grep -E "$slow" <<<"$tests" || true; grep -vE "$slow" <<<"$tests" || true; } |
    xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}
elapsed=$(( $(date +%s) - start ))

"$python" - "$out" "$elapsed" "$examples" "$jobs" <<'EOF'
import json, sys
from pathlib import Path
out, elapsed, examples, jobs = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = {}
for line in (out / "report.jsonl").read_text().splitlines():
    row = json.loads(line)
    rows[row["test"]] = row
status = dict(line.split() for line in (out / "status").read_text().splitlines())
print(f"| test | inputs | loaded | refused | seconds | escapes |")
print(f"|---|---:|---:|---:|---:|---|")
for name in sorted(status):
    row = rows.get(name, {})
    escapes = "none" if status[name] == "passed" else f"FAILED, see {out}/{name}.log"
    print(f"| {name} | {row.get('inputs', 0):,} | {row.get('loaded', 0):,} | "
          f"{row.get('refused', 0):,} | {row.get('seconds', 0):.0f} | {escapes} |")
total = sum(row.get("inputs", 0) for row in rows.values())
failed = sum(value != "passed" for value in status.values())
print(f"\n{total:,} inputs in {elapsed // 60} min {elapsed % 60} s wall time "
      f"({examples} examples per test, {jobs} processes); {failed} test(s) with escapes")
sys.exit(1 if failed else 0)
EOF
