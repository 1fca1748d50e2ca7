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
# races or evicts the shipped build) assembled like pkg/ in target/bench/pkg, the npm
# packages of bench/ and tests/e2e, and the mock; then runs bench/run.mjs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/bootstrap.sh"
. "$ROOT/scripts/lib.sh"

RAW="$ROOT/target/bench/pkg-raw"
OUT="$ROOT/target/bench/pkg"

# --- the shipped package ---------------------------------------------------------
if [ ! -f pkg/index.js ] || [ ! -f pkg/fapi_session_bg.wasm ]; then
    say "pkg/ is missing: scripts/build.sh"
    scripts/build.sh
fi

# --- the bench build -------------------------------------------------------------
if [ ! -f "$OUT/index.js" ] ||
    [ -n "$(find src js Cargo.toml Cargo.lock scripts/bench.sh -newer "$OUT/index.js" -print -quit 2>/dev/null)" ]; then
    say "wasm-pack build --target web --release --out-dir target/bench/pkg-raw -- --features bench"
    # shellcheck disable=SC2086
    CARGO_TARGET_DIR="$ROOT/target/bench/cargo" wasm-pack --quiet build --target web --release \
        --out-dir "$RAW" $WASM_PACK_FLAGS -- --features bench $WASM_PACK_CARGO_FLAGS
    # Assembled as scripts/package.mjs assembles pkg/: the glue, the wasm, the snippets, the
    # entry point and the FapiError module that re-exports the glue's snippet.
    rm -rf "$OUT"
    mkdir -p "$OUT"
    cp -R "$RAW/fapi_session.js" "$RAW/fapi_session_bg.wasm" "$RAW/snippets" "$OUT/"
    cp js/index.js "$OUT/index.js.tmp"
    snippet="$(cd "$OUT" && find snippets -name fapi_error.js | head -n1)"
    [ -n "$snippet" ] || { echo "bench: the FapiError snippet is missing from $RAW/snippets" >&2; exit 1; }
    printf "export { FapiError } from './%s';\n" "$snippet" >"$OUT/fapi_error.js"
    mv "$OUT/index.js.tmp" "$OUT/index.js"
fi

# --- npm packages and the mock -----------------------------------------------------
for dir in bench tests/e2e; do
    if [ ! -d "$dir/node_modules" ]; then
        say "installing npm packages in $dir (npm ci)"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
done
say "building fapi-mock"
cargo build --quiet -p fapi-mock

say "node bench/run.mjs $*"
exec node bench/run.mjs "$@"
