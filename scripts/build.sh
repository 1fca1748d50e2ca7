#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, --target web; wasm-opt -Oz
# from the binaryen that scripts/bootstrap.sh put first on PATH), then the
# post-build step scripts/package.mjs.
#
# The release wasm is built with the standard library rebuilt from rust-src
# (-Zbuild-std, allowed on stable by RUSTC_BOOTSTRAP=1) and panic=immediate-abort:
# a panic is a bare `unreachable`, so no panic message, location or formatting
# machinery is linked in (8.6 KB gzip of wasm; bench/analysis.md, issue #10), and with
# -Zlocation-detail=none, so no source locations either (0.5 KB more). Only
# this build: native tests and the browser tests keep the ordinary std. It has its
# own cargo target dir (target/wasm-release) so its different flags never make the
# browser tests' build (target/wasm32-unknown-unknown) start over, or the reverse.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$ROOT/target/wasm-release"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
cargo_flags="$WASM_PACK_CARGO_FLAGS"
[[ " $cargo_flags " == *" -Zbuild-std="* ]] || cargo_flags="$cargo_flags -Zbuild-std=std,panic_abort"

say "wasm-pack build --target web --release --out-dir pkg (panic=immediate-abort; wasm-opt: $(wasm-opt --version))"
# shellcheck disable=SC2086
wasm-pack --quiet build --target web --release --out-dir pkg $WASM_PACK_FLAGS . -- $cargo_flags
say "node scripts/package.mjs"
node scripts/package.mjs
ls -l pkg/*.wasm | awk '{ print "==> " $NF ": " $5 " bytes" }' >&2
