#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, --target web; wasm-opt -Oz
# from the binaryen that scripts/bootstrap.sh put first on PATH), then the
# post-build step scripts/package.mjs.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

say "wasm-pack build --target web --release --out-dir pkg (wasm-opt: $(wasm-opt --version))"
# shellcheck disable=SC2086
wasm-pack --quiet build --target web --release --out-dir pkg $WASM_PACK_FLAGS . ${WASM_PACK_CARGO_FLAGS:+-- $WASM_PACK_CARGO_FLAGS}
say "node scripts/package.mjs"
node scripts/package.mjs
ls -l pkg/*.wasm | awk '{ print "==> " $NF ": " $5 " bytes" }' >&2
