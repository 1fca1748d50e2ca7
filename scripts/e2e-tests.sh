#!/usr/bin/env bash
# Runs the end-to-end tests: the built package (pkg/) in headless Chromium through
# playwright-core, against fapi-mock, with Node's test runner.
#
#   scripts/e2e-tests.sh                   # every tests/e2e/*.test.mjs
#   scripts/e2e-tests.sh package demo      # only files whose name contains one of these
#
# Rebuilds pkg/ (scripts/build.sh) when it is missing or older than the sources,
# installs tests/e2e's npm packages when missing, builds fapi-mock, then runs
# `node --test` with the TAP reporter. Fails unless at least one test ran and none failed.
# Helpers for test files: tests/e2e/lib/{browser,mock,site,paths}.mjs.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

E2E="$ROOT/tests/e2e"
LOG="$ROOT/target/e2e-tests.log"

# --- the package ---------------------------------------------------------------
stale=""
if [ ! -f pkg/index.js ] || [ ! -f pkg/fapi_session_bg.wasm ]; then
    stale="pkg/ is missing"
elif [ -n "$(find src js Cargo.toml Cargo.lock scripts/package.mjs scripts/build.sh -newer pkg/index.js -print -quit 2>/dev/null)" ]; then
    stale="pkg/ is older than the sources"
fi
if [ -n "$stale" ]; then
    say "$stale: scripts/build.sh"
    scripts/build.sh
fi

# --- npm packages (scripts/bootstrap.sh normally did this) ---------------------
if [ ! -d "$E2E/node_modules/playwright-core" ]; then
    say "installing npm packages in tests/e2e (npm ci)"
    (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# --- the mock ------------------------------------------------------------------
say "building fapi-mock"
cargo build --quiet -p fapi-mock

# --- the tests -----------------------------------------------------------------
files=()
for f in "$E2E"/*.test.mjs; do
    [ -f "$f" ] || continue
    if [ $# -eq 0 ]; then
        files+=("$f")
    else
        for want in "$@"; do
            case "$(basename "$f")" in *"$want"*) files+=("$f"); break ;; esac
        done
    fi
done
if [ ${#files[@]} -eq 0 ]; then
    echo "e2e-tests: no tests/e2e/*.test.mjs file${*:+ matching $*}" >&2
    exit 1
fi

say "node --test: ${#files[@]} files (headless Chromium: ${CHROMIUM_PATH:-/usr/bin/chromium})"
set +e
(cd "$E2E" && node --test --test-reporter=tap --test-concurrency="${E2E_CONCURRENCY:-2}" "${files[@]}") 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e

# --- check the count -------------------------------------------------------------
count() { sed -n "s/^# $1 \([0-9][0-9]*\)\$/\1/p" "$LOG" | tail -n1; }
tests="$(count tests)"
pass="$(count pass)"
fail="$(count fail)"
cancelled="$(count cancelled)"
echo "e2e: ${pass:-0} passed, ${fail:-?} failed"
if [ "$status" -ne 0 ]; then
    echo "e2e-tests: node --test exited with $status (log: target/e2e-tests.log)" >&2
    exit "$status"
fi
if [ -z "$tests" ] || [ "$tests" -eq 0 ] || [ "${fail:-1}" -ne 0 ] || [ "${cancelled:-0}" -ne 0 ] || [ "${pass:-0}" -eq 0 ]; then
    echo "e2e-tests: tests=${tests:-none} pass=${pass:-none} fail=${fail:-none} cancelled=${cancelled:-none}: no test ran, or some failed" >&2
    exit 1
fi
