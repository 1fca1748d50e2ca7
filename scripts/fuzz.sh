#!/usr/bin/env bash
# Runs each cargo-fuzz target in fuzz/ for a set time (see fuzz/README.md).
#
#   scripts/fuzz.sh              # 60 s per target (make fuzz)
#   scripts/fuzz.sh 15           # 15 s per target (make fuzz-smoke, part of make test)
#   scripts/fuzz.sh 600 envelope_json    # one target
#
# Each target starts from its own corpus (fuzz/corpus/TARGET, kept between runs, not
# committed) plus the seeds: fuzz/regressions/TARGET (inputs that once failed), the hostile corpus (tests/data/hostile/cases) and the real
# fapi-mock answers it was made from (tests/data/hostile/base). A crash, a failed
# invariant or an input slower than 10 s fails the run; libFuzzer leaves the input in
# fuzz/artifacts/TARGET/ and cargo fuzz prints how to reproduce and minimise it.
#
# cargo-fuzz needs nightly features: on the stable toolchain RUSTC_BOOTSTRAP=1 allows
# them. Built without AddressSanitizer (the core has no unsafe code; twice the speed),
# with debug assertions and overflow checks.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SECS="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(envelope_bytes envelope_json)
[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -gt 0 ] || { echo "fuzz: seconds must be a positive number, not '$SECS'" >&2; exit 2; }
command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo-fuzz is missing (scripts/bootstrap.sh installs it)" >&2; exit 1; }

export RUSTC_BOOTSTRAP=1
FLAGS=(--sanitizer none)
cd "$ROOT/fuzz"
say "building the fuzz targets (cargo fuzz build ${FLAGS[*]})"
cargo fuzz build "${FLAGS[@]}" 2>&1 | grep -vE '^\s+(Compiling|Finished|Blocking)' || true
passed=0 failed=0
for target in "${TARGETS[@]}"; do
    mkdir -p "corpus/$target"
    log="$ROOT/target/fuzz-$target.log"
    mkdir -p "$ROOT/target"
    say "fuzzing $target for ${SECS}s (log: target/fuzz-$target.log)"
    if cargo fuzz run "${FLAGS[@]}" "$target" "corpus/$target" \
        "regressions/$target" "$ROOT/tests/data/hostile/cases" "$ROOT/tests/data/hostile/base" -- \
        -max_total_time="$SECS" -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 >"$log" 2>&1; then
        runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
        echo "fuzz $target: ok, $runs runs in ${SECS}s, corpus $(find "corpus/$target" -type f | wc -l) inputs"
        passed=$((passed + 1))
    else
        echo "fuzz $target: FAILED; the end of its log:" >&2
        grep -vE '^#[0-9]+' "$log" | tail -40 >&2
        failed=$((failed + 1))
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
