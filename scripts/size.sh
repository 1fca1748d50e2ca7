#!/usr/bin/env bash
# Prints the size of what a user's bundle ships from the built package (pkg/): the wasm, the
# wasm-bindgen glue, the entry point, the FapiError module and the snippets, each raw and
# compressed with gzip -9, and their total; then the optional adapters (fapi-session/react,
# fapi-session/vue), which only apps that import them ship. The JS figures are unminified
# (a bundler's minifier takes a little more off). Run `make build` (or `make size`) first.
#
#   scripts/size.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ -f pkg/fapi_session_bg.wasm ] || { echo "size: pkg/ is missing: run make build first" >&2; exit 1; }

core=(pkg/fapi_session_bg.wasm pkg/fapi_session.js pkg/index.js pkg/fapi_error.js)
while IFS= read -r f; do core+=("$f"); done < <(find pkg/snippets -type f -name '*.js' | sort)
adapters=()
for f in pkg/react.js pkg/vue.js; do [ -f "$f" ] && adapters+=("$f"); done

gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }
row() { printf '%-58s %9s %9s\n' "$1" "$2" "$3"; }

row "file" "raw" "gzip -9"
raw_total=0
gz_total=0
for f in "${core[@]}"; do
    raw=$(wc -c <"$f")
    z=$(gz "$f")
    raw_total=$((raw_total + raw))
    gz_total=$((gz_total + z))
    row "${f#pkg/}" "$raw" "$z"
done
row "total (what every user ships)" "$raw_total" "$gz_total"
echo "==> fapi-session: $(kb "$raw_total") raw, $(kb "$gz_total") gzip -9 (wasm $(kb "$(gz pkg/fapi_session_bg.wasm)") of it)"
for f in "${adapters[@]}"; do
    row "+ ${f#pkg/} (only if imported)" "$(wc -c <"$f")" "$(gz "$f")"
done
