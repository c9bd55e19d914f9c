#!/usr/bin/env bash
# Run every benchmark in turn and print their tables (see docs/performance.md).
#
#   ./run_tests.sh            # once, from a fresh clone: creates .venv
#   benchmarks/run_all.sh     # about 10 minutes; QUICK=1 for a shorter pass
#
# The soak (benchmarks/soak.py, 100,000 inputs) is not run here: it takes hours on
# small hardware: run it on its own, or SOAK=1 to add it. Missing scripts are skipped.
set -uo pipefail
repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${KIOSK_BENCH_PYTHON:-$repo_dir/.venv/bin/python}"
cd "$repo_dir"

if [[ "${QUICK:-0}" == "1" ]]; then
    startup_args=(--runs 5); idle_args=(--seconds 10); deck_args=(--sizes 100,1000 --runs 3)
    ui_args=(--rounds 10); soak_args=(--inputs 500)
else
    startup_args=(--runs 7); idle_args=(--seconds 60); deck_args=(); ui_args=(); soak_args=()
fi

status=0
run() {
    local script="benchmarks/$1"; shift
    if [[ ! -f "$script" ]]; then
        echo "== $script: not present, skipped"; return
    fi
    echo "== $script $*"
    "$python" "$script" "$@" || { echo "!! $script failed ($?)"; status=1; }
    echo
}

run bench_startup.py "${startup_args[@]}"
run bench_idle_cpu.py "${idle_args[@]}"
run bench_deck.py "${deck_args[@]}"
run bench_ui.py "${ui_args[@]}"
run bench_voice.py
if [[ "${SOAK:-0}" == "1" ]]; then
    run soak.py "${soak_args[@]}"
fi
exit "$status"
