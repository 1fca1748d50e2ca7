#!/usr/bin/env bash
# make bench: speed, size and memory of the package against the plain-JS floor and the peers,
# in headless Chromium against fapi-mock (issue 5). Writes bench/results.json,
# bench/ratios.svg and BENCHMARKS.md (or, with --out DIR, all three into DIR).
#
#   scripts/bench.sh                    # the full run (a few minutes)
#   scripts/bench.sh --quick --out DIR  # 1 repetition of everything (the e2e smoke test)
#
# Ensures the toolchain (scripts/bootstrap.sh), pkg/ (scripts/build.sh when missing), the
# bench build of the crate (cargo feature `bench`, in its own cargo target dir so it never
# races or evicts the shipped build) assembled by scripts/package.mjs in target/bench/pkg,
# and the mock; then runs bench/run.mjs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/bootstrap.sh"
. "$ROOT/scripts/lib.sh"

OUT="$ROOT/target/bench/pkg"

# --- the shipped package ---------------------------------------------------------
if [ ! -f pkg/index.js ] || [ ! -f pkg/fapi_session_bg.wasm ]; then
    say "pkg/ is missing: scripts/build.sh"
    scripts/build.sh
fi

# --- the bench build -------------------------------------------------------------
if [ ! -f "$OUT/index.js" ] ||
    [ -n "$(find src js Cargo.toml Cargo.lock scripts/bench.sh scripts/package.mjs -newer "$OUT/index.js" -print -quit 2>/dev/null)" ]; then
    say "wasm-pack build --target web --release --out-dir target/bench/pkg -- --features bench"
    # shellcheck disable=SC2086
    CARGO_TARGET_DIR="$ROOT/target/bench/cargo" wasm-pack --quiet build --target web --release \
        --out-dir "$OUT" $WASM_PACK_FLAGS . -- --features bench $WASM_PACK_CARGO_FLAGS
    # Assembled as pkg/ is, by the same post-build step.
    node scripts/package.mjs --out "$OUT" >/dev/null
fi

# --- the mock (bootstrap installed bench/'s and tests/e2e's npm packages) ----------
say "building fapi-mock"
cargo build --quiet -p fapi-mock

say "node bench/run.mjs $*"
exec node bench/run.mjs "$@"
