#!/usr/bin/env bash
# Runs the wasm-bindgen-test suites in headless Chromium against a fresh fapi-mock.
#
#   scripts/browser-tests.sh            # every browser test; fails unless all of them ran
#   scripts/browser-tests.sh NAME       # only tests whose name contains NAME (libtest filter)
#
# The tests receive FAPI_MOCK_URL (e.g. http://127.0.0.1:41234) at compile time:
# read it with option_env!("FAPI_MOCK_URL"). The mock runs with --control, so
# POST $FAPI_MOCK_URL/__mock/reset etc. work. The test page itself is served by
# wasm-bindgen-test-runner on another port, so requests to the mock are cross-origin.
#
# Convention: browser test files are tests/*.rs starting with
# `#![cfg(target_arch = "wasm32")]` and calling `wasm_bindgen_test_configure!(run_in_browser);`.
# After the run, the number of passed tests must equal the number of
# `#[wasm_bindgen_test]` functions in those files (plus any under src/): a suite that
# was skipped, not configured for the browser, or empty fails the run.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FILTER=("$@")
LOG="$TARGET_DIR/browser-tests.log"

# --- how many browser tests exist ------------------------------------------
count_tests() { grep -cE '^[[:space:]]*#\[wasm_bindgen_test([](]|$)' "$@" 2>/dev/null | awk -F: '{ s += $NF } END { print s + 0 }'; }
browser_files=()
for f in tests/*.rs; do
    [ -f "$f" ] || continue
    if grep -qE '^#!\[cfg\(target_arch = "wasm32"\)\]' "$f"; then
        browser_files+=("$f")
        if ! grep -qE 'wasm_bindgen_test_configure!\(run_in_browser\)' "$f"; then
            echo "browser-tests: $f is wasm-only but lacks wasm_bindgen_test_configure!(run_in_browser);" >&2
            exit 1
        fi
    fi
done
src_files=()
while IFS= read -r f; do src_files+=("$f"); done < <(grep -rlE '^[[:space:]]*#\[wasm_bindgen_test' src 2>/dev/null || true)
expected=0
[ ${#browser_files[@]} -eq 0 ] || expected=$(count_tests "${browser_files[@]}")
[ ${#src_files[@]} -eq 0 ] || expected=$((expected + $(count_tests "${src_files[@]}")))
if [ "$expected" -eq 0 ]; then
    echo "browser-tests: no #[wasm_bindgen_test] found in wasm-only tests/*.rs files" >&2
    exit 1
fi

# --- the mock ----------------------------------------------------------------
say "building fapi-mock"
cargo build --quiet -p fapi-mock
trap stop_mock EXIT
trap 'exit 130' INT TERM
start_mock --addr 127.0.0.1:0 --control
say "fapi-mock listening on $MOCK_URL (log: target/fapi-mock.log)"
export FAPI_MOCK_URL="$MOCK_URL"

# --- the browser tests -------------------------------------------------------
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-60}"

say "running browser tests in headless Chromium (${#browser_files[@]} files, $expected tests${FILTER:+, filter: ${FILTER[*]}})"
set +e
# shellcheck disable=SC2086
cargo test --no-fail-fast --target wasm32-unknown-unknown -p fapi-session --tests $WASM_CARGO_FLAGS -- "${FILTER[@]}" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e

# --- check the count ---------------------------------------------------------
read -r passed failed < <(
    sed 's/\x1b\[[0-9;]*m//g' "$LOG" |
        grep -oE 'test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed' |
        awk '{ p += $4; f += $6 } END { print p + 0, f + 0 }'
)
echo "browser: $passed passed, $failed failed"
if [ "$status" -ne 0 ]; then
    echo "browser-tests: cargo test exited with $status (log: target/browser-tests.log)" >&2
    exit "$status"
fi
if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    echo "browser-tests: $passed passed, $failed failed: a browser suite failed, was skipped or ran nothing" >&2
    exit 1
fi
if [ ${#FILTER[@]} -eq 0 ] && [ "$passed" -ne "$expected" ]; then
    echo "browser-tests: $passed browser tests passed but $expected #[wasm_bindgen_test] functions exist: some did not run (skipped, ignored or not configured for the browser)" >&2
    exit 1
fi
