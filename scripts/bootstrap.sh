#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need, and records which
# toolchain route the other scripts must use (target/toolchain.env).
#
# Idempotent: prints nothing when everything is already there, and one
# "==> installing X" line for each thing it installs. Safe to run on every
# `make` target.
#
#   scripts/bootstrap.sh            # install what is missing
#   FAPI_TOOLCHAIN=debian scripts/bootstrap.sh
#                                   # force the Debian rustc-web route (for testing it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

# Versions pinned here; wasm-bindgen's comes from Cargo.lock.
WASM_PACK_VERSION=0.15.1
CARGO_FUZZ_VERSION=0.13.2
TWIGGY_VERSION=0.8.0
APT_PACKAGES=(chromium chromium-driver)
WASM_TARGET=wasm32-unknown-unknown
TOOLS_BIN="$ROOT/target/tools/bin"
ENV_FILE="$ROOT/target/toolchain.env"

say() { echo "==> $*" >&2; }
died=0
die() { echo "bootstrap: $*" >&2; died=1; exit 1; }
# Any other failure that ends the script under set -e still says what failed (a bare
# probe of a missing tool once ended it with status 127 and no word, issue #9).
stopped() {
    local rc=$?
    [ "$rc" -eq 0 ] || [ "$died" -eq 1 ] || echo "bootstrap: stopped by a failed command (status $rc): $BASH_COMMAND" >&2
}
trap stopped EXIT

# --- Debian packages -------------------------------------------------------
apt_updated=0
apt_install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "${missing[*]} not installed, and no apt-get to install them: install them by hand"
    say "installing ${missing[*]} (apt)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if [ "$apt_updated" -eq 0 ]; then
        $sudo apt-get update -qq >/dev/null || die "apt-get update failed (needed to install ${missing[*]})"
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/tmp/bootstrap-apt.log 2>&1 || { cat /tmp/bootstrap-apt.log >&2; die "apt-get install ${missing[*]} failed"; }
}

# --- wasm32 target: rustup, else Debian's rustc-web + build-std ------------
rustup_has_target() {
    command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"
}

route="${FAPI_TOOLCHAIN:-}"
if [ -z "$route" ]; then
    if rustup_has_target; then
        route=rustup
    elif grep -qx 'export FAPI_TOOLCHAIN=debian' "$ENV_FILE" 2>/dev/null; then
        # rustup already failed on this machine: don't retry on every make.
        # (Delete target/toolchain.env, or set FAPI_TOOLCHAIN=rustup, to retry.)
        route=debian
    elif command -v rustup >/dev/null; then
        say "installing rust target $WASM_TARGET (rustup)"
        for attempt in 1 2; do
            if timeout 180 rustup target add "$WASM_TARGET" >/dev/null 2>&1 && rustup_has_target; then
                route=rustup
                break
            fi
            echo "bootstrap: rustup target add failed or timed out (attempt $attempt)" >&2
        done
    fi
    [ -n "$route" ] || route=debian
fi

# rust-src: the release wasm rebuilds std with panic=immediate-abort (scripts/build.sh,
# issue #10), which needs the standard library's source. (The Debian route has it from
# rust-web-src.)
rustup_has_src() {
    rustup component list --installed 2>/dev/null | grep -qx 'rust-src'
}
rustup_add_src() {
    rustup_has_src && return 0
    say "installing rust-src (rustup)"
    local attempt
    for attempt in 1 2; do
        if timeout 180 rustup component add rust-src >/dev/null 2>&1 && rustup_has_src; then
            return 0
        fi
        echo "bootstrap: rustup component add rust-src failed or timed out (attempt $attempt)" >&2
    done
    die "rustup component add rust-src failed (the release build rebuilds std from it)"
}

case "$route" in
rustup)
    rustup_has_target || die "FAPI_TOOLCHAIN=rustup but rustup has no $WASM_TARGET target"
    rustup_add_src
    ;;
debian)
    # Rust from Debian (puts cargo/rustc in /usr/bin); std for wasm32 is built
    # from rust-web-src with -Zbuild-std (RUSTC_BOOTSTRAP=1).
    # rust-web-llvm provides /usr/bin/rust-lld (the wasm linker), a link to the
    # lld-NN package of its LLVM version, which it does not depend on.
    apt_install rustc-web cargo-web rust-web-src rust-web-clippy rust-web-llvm
    lld_pkg="$(basename "$(readlink /usr/bin/rust-lld 2>/dev/null || echo lld)")"
    apt_install "$lld_pkg"
    /usr/bin/rust-lld -flavor wasm --version >/dev/null 2>&1 || die "Debian rustc-web route: /usr/bin/rust-lld does not run"
    ;;
*) die "unknown FAPI_TOOLCHAIN route '$route' (rustup or debian)" ;;
esac

# A bin directory put first on PATH by target/toolchain.env: the wasm-opt we
# chose, and for the Debian route cargo/rustc from /usr/bin (wasm-pack and the
# test runner call plain `cargo`).
mkdir -p "$TOOLS_BIN"
link() { [ "$(readlink "$2" 2>/dev/null)" = "$1" ] || ln -sfn "$1" "$2"; }

# --- host tools from crates.io ---------------------------------------------
cargo_install() { # crate version
    if ! cargo install --quiet --locked "$1" --version "$2" 2>/tmp/bootstrap-cargo-install.log; then
        # The registry may lack a locked dependency: retry unlocked.
        cargo install --quiet "$1" --version "$2" --force \
            || { cat /tmp/bootstrap-cargo-install.log >&2; die "cargo install $1 $2 failed"; }
    fi
}

# "X --version" prints "X 1.2.3"; an absent or broken X prints nothing (never
# fails the script: under set -e + pipefail a bare probe of a missing tool would).
tool_version() {
    local out
    out="$("$1" --version 2>/dev/null)" || true
    awk '{print $2; exit}' <<<"$out"
}

WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WB_VERSION" ] || die "no wasm-bindgen in Cargo.lock (run cargo generate-lockfile)"
have_wb="$(tool_version wasm-bindgen)"
have_runner="$(tool_version wasm-bindgen-test-runner)"
if [ "$have_wb" != "$WB_VERSION" ] || [ "$have_runner" != "$WB_VERSION" ]; then
    say "installing wasm-bindgen-cli $WB_VERSION (cargo install; found '${have_wb:-none}')"
    cargo_install wasm-bindgen-cli "$WB_VERSION"
fi

have_wp="$(tool_version wasm-pack)"
if [ "$have_wp" != "$WASM_PACK_VERSION" ]; then
    say "installing wasm-pack $WASM_PACK_VERSION (cargo install; found '${have_wp:-none}')"
    cargo_install wasm-pack "$WASM_PACK_VERSION"
fi

# cargo-fuzz for `make fuzz` and the fuzz smoke run of `make test` (fuzz/README.md);
# it drives libFuzzer through nightly flags, allowed on stable by RUSTC_BOOTSTRAP=1.
have_cf="$(tool_version cargo-fuzz)"
if [ "$have_cf" != "$CARGO_FUZZ_VERSION" ]; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install; found '${have_cf:-none}')"
    cargo_install cargo-fuzz "$CARGO_FUZZ_VERSION"
fi

# twiggy for `make size` and `make size-check`: the wasm's largest items by name.
have_tw="$(tool_version twiggy)"
if [ "$have_tw" != "$TWIGGY_VERSION" ]; then
    say "installing twiggy $TWIGGY_VERSION (cargo install; found '${have_tw:-none}')"
    cargo_install twiggy "$TWIGGY_VERSION"
fi

# --- browser for the tests --------------------------------------------------
apt_install "${APT_PACKAGES[@]}"

# --- npm packages: every folder with a package-lock.json --------------------
# In a git checkout, only lock files git knows (tracked or staged), as in CI's
# fresh clone: someone's half-made folder in a shared tree does not break the
# build. `npm ci` runs again only when the lock file changed since the last install.
lock_files() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files -- 'package-lock.json' '*/package-lock.json' | grep -v '/node_modules/' | sed 's|^|./|'
    else
        find . -name package-lock.json -not -path '*/node_modules/*' -not -path './target/*'
    fi
}
while IFS= read -r lock; do
    dir="$(dirname "$lock")"
    stamp="$dir/node_modules/.bootstrap-lock.sha256"
    sum="$(sha256sum "$lock" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
        say "installing npm packages in ${dir#./} (npm ci)"
        if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/tmp/bootstrap-npm-ci.log 2>&1); then
            sed -n '1,/^npm error Clean install/p' /tmp/bootstrap-npm-ci.log | head -20 >&2
            die "npm ci failed in ${dir#./} (is its package-lock.json in sync with package.json?)"
        fi
        echo "$sum" >"$stamp"
    fi
done < <(lock_files | sort)

# --- wasm-opt ---------------------------------------------------------------
# wasm-opt comes from the npm `binaryen` package (version 132) pinned in
# scripts/tools/package-lock.json (installed by the loop above): the same version
# on every machine. Not Debian 12's wasm-opt 108: it accepts Rust 1.95 +
# wasm-bindgen 0.2.130 output without complaint but emits a module whose externref
# table cannot be initialised ("WebAssembly.Table.set(): Argument 1 is invalid for
# table" when the glue loads it; seen when it was first on PATH by mistake).
# It is put first on PATH, where wasm-pack looks for it (it would otherwise try
# to download one, which fails here).
WASM_OPT="$ROOT/scripts/tools/node_modules/.bin/wasm-opt"
[ -x "$WASM_OPT" ] || die "$WASM_OPT missing after npm ci in scripts/tools"
link "$WASM_OPT" "$TOOLS_BIN/wasm-opt"

# (rustfmt stays rustup's: formatting does not depend on the compiler.)
DEBIAN_TOOLS=(cargo rustc rustdoc cargo-clippy clippy-driver)
for tool in "${DEBIAN_TOOLS[@]}"; do
    if [ "$route" = debian ]; then
        [ -x "/usr/bin/$tool" ] || die "Debian rustc-web route: /usr/bin/$tool missing"
        link "/usr/bin/$tool" "$TOOLS_BIN/$tool"
    else
        rm -f "$TOOLS_BIN/$tool"
    fi
done

# --- record the route -------------------------------------------------------
# Sourced by the Makefile recipes and scripts/*.sh. WASM_CARGO_FLAGS go after
# `cargo build|test|clippy --target wasm32-unknown-unknown`, WASM_PACK_FLAGS
# after `wasm-pack build|test`, WASM_PACK_CARGO_FLAGS after wasm-pack's `--`.
new_env="$(
    echo "# Written by scripts/bootstrap.sh: the toolchain route in use. Do not edit."
    echo "export FAPI_TOOLCHAIN=$route"
    echo "export PATH=\"$TOOLS_BIN:\$HOME/.cargo/bin:\$PATH\""
    if [ "$route" = debian ]; then
        echo "export RUSTC_BOOTSTRAP=1"
        echo "WASM_CARGO_FLAGS='-Zbuild-std=std,panic_abort'"
        echo "WASM_PACK_FLAGS='--mode force'"
        echo "WASM_PACK_CARGO_FLAGS='-Zbuild-std=std,panic_abort'"
    else
        echo "WASM_CARGO_FLAGS=''"
        echo "WASM_PACK_FLAGS=''"
        echo "WASM_PACK_CARGO_FLAGS=''"
    fi
)"
if [ "$(cat "$ENV_FILE" 2>/dev/null)" != "$new_env" ]; then
    echo "$new_env" >"$ENV_FILE"
    [ "$route" = rustup ] || say "using the Debian rustc-web toolchain route (target/toolchain.env)"
fi
