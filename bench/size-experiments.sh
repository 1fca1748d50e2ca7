#!/usr/bin/env bash
# Size experiments for the wasm (not part of make bench; numbers in bench/analysis.md):
# builds the committed tree (git archive HEAD, so a dirty work tree does not matter) as
# `make build` does, once per variant, each in its own cargo target dir, and prints the wasm
# raw and gzip -9. Variants: opt-level z (the profile today) and s, each with the standard
# library as shipped and rebuilt with build-std and panic=immediate-abort (no panic
# formatting or unwinding machinery; needs `rustup component add rust-src`, RUSTC_BOOTSTRAP=1).
#
#   bench/size-experiments.sh [VARIANT...]    # default: z s z-abort s-abort
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib.sh"
WORK="$ROOT/target/bench/size-experiments"
SRC="$WORK/src"
rm -rf "$SRC"
mkdir -p "$SRC"
git -C "$ROOT" archive HEAD | tar -x -C "$SRC"
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(z s z-abort s-abort)
printf '%-10s %10s %10s\n' variant "wasm raw" "gzip -9"
for v in "${variants[@]}"; do
    opt="${v%%-*}"
    extra=()
    rustflags=""
    if [[ "$v" == *-abort ]]; then
        extra=(-Zbuild-std=std,panic_abort)
        rustflags="-Zunstable-options -Cpanic=immediate-abort"
    fi
    out="$WORK/out-$v"
    (cd "$SRC" && RUSTC_BOOTSTRAP=1 CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt" RUSTFLAGS="$rustflags" \
        CARGO_TARGET_DIR="$WORK/cargo-$v" \
        wasm-pack --quiet build . --target web --release --out-dir "$out" -- "${extra[@]}" >"$WORK/$v.log" 2>&1) ||
        { echo "$v: build failed, see $WORK/$v.log" >&2; tail -5 "$WORK/$v.log" >&2; continue; }
    printf '%-10s %10s %10s\n' "$v" "$(wc -c <"$out/fapi_session_bg.wasm")" "$(gzip -9 -c "$out/fapi_session_bg.wasm" | wc -c)"
done
