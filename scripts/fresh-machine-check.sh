#!/usr/bin/env bash
# Runs scripts/bootstrap.sh as a fresh machine sees it, in a few seconds, and checks
# that it installs exactly what is missing, installs nothing on a second run, and
# that a failed install stops it with a "bootstrap: ..." line naming what failed.
# Issue #9: on a machine with rustup but none of the tools, a version probe of a
# missing tool ended the bootstrap under `set -e` with exit 127 and no word; this
# check runs in `make test` (make bootstrap-check) so that cannot land again.
#
#   scripts/fresh-machine-check.sh                  # check scripts/bootstrap.sh
#   scripts/fresh-machine-check.sh --script FILE    # check another copy (e.g. an old one)
#   scripts/fresh-machine-check.sh --keep           # keep the sandboxes and say where
#
# Every scenario runs in its own sandbox (all scenarios at once, in parallel):
#   repo/    a copy of the tracked files the bootstrap reads (the script, Cargo.lock,
#            each package-lock.json git lists, with its package.json), git-initialised
#            so `git ls-files` answers as in a clone: the real target/ and node_modules
#            are never touched;
#   home/    HOME, and CARGO_HOME=home/.cargo whose bin/ holds only rustup's proxies
#            (rustup, cargo, rustc: shims), as rustup's installer leaves it;
#   PATH     shims/ (apt-get, dpkg-query, npm, sudo) and sysbin/, links to exactly the
#            base commands the bootstrap and the shims call: nothing else installed on
#            this machine (node and npm in /usr/bin, chromium, the real ~/.cargo/bin)
#            is visible. A base command the bootstrap starts to need must be added to
#            SYSTEM_COMMANDS below (it shows up as "command not found").
# The shims record each install they are asked for (state/records, one line each)
# and fake its result instead of doing it: `cargo install X --version V` makes a
# binary X answering "X V" to --version, `rustup target add` adds to what
# `rustup target list` says (`rustup component add` to `rustup component list`), `apt-get install P` makes dpkg-query report P
# installed, `npm ci` makes node_modules (with .bin/wasm-opt for binaryen).
# "Present" is made the same way, through the shims, before the bootstrap runs.
#
# Prints one line per scenario ("ok  NAME" or "FAIL NAME: why"), then
# "bootstrap-check: N passed, M failed"; exits 1 when M > 0.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPT="$REPO/scripts/bootstrap.sh"
KEEP=0

die() { echo "fresh-machine-check: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
    --script) [ $# -ge 2 ] || die "--script needs a file"; SCRIPT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[ -f "$SCRIPT" ] || die "no such script: $SCRIPT"

# --- what the bootstrap must install, read from the script under test --------
pin() { sed -n "s/^$1=//p" "$SCRIPT" | head -n 1; }
WASM_PACK_VERSION="$(pin WASM_PACK_VERSION)"
CARGO_FUZZ_VERSION="$(pin CARGO_FUZZ_VERSION)"
TWIGGY_VERSION="$(pin TWIGGY_VERSION)"
WASM_TARGET="$(pin WASM_TARGET)"
read -r -a APT_PACKAGES <<<"$(pin APT_PACKAGES | tr -d '()')"
WB_VERSION="$(grep -A1 -x 'name = "wasm-bindgen"' "$REPO/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p' | head -n 1)"
for v in WASM_PACK_VERSION CARGO_FUZZ_VERSION TWIGGY_VERSION WASM_TARGET WB_VERSION; do
    [ -n "${!v}" ] || die "cannot read $v from $SCRIPT (or wasm-bindgen from Cargo.lock)"
done
[ ${#APT_PACKAGES[@]} -gt 0 ] || die "cannot read APT_PACKAGES from $SCRIPT"
# The npm folders: those whose package-lock.json git knows, as the bootstrap sees them.
mapfile -t NPM_DIRS < <(git -C "$REPO" ls-files -- 'package-lock.json' '*/package-lock.json' \
    | grep -v '/node_modules/' | xargs -r -n1 dirname | sort)
[ ${#NPM_DIRS[@]} -gt 0 ] || die "git lists no package-lock.json in $REPO"

# What can be absent, one word each: tool:X (a binary in ~/.cargo/bin), target:T
# (a rustup target), component:C (a rustup component), apt:P (a Debian package),
# npm:D (D/node_modules).
ITEMS=(tool:wasm-bindgen tool:wasm-bindgen-test-runner tool:wasm-pack tool:cargo-fuzz tool:twiggy
    "target:$WASM_TARGET" component:rust-src)
for p in "${APT_PACKAGES[@]}"; do ITEMS+=("apt:$p"); done
for d in "${NPM_DIRS[@]}"; do ITEMS+=("npm:$d"); done
OTHER_WB_VERSION=0.0.1 # "another version" of wasm-bindgen-cli found on PATH

# --- the shared parts of every sandbox ----------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fresh-machine-check.XXXXXX")"
if [ "$KEEP" -eq 1 ]; then
    trap 'echo "fresh-machine-check: sandboxes kept in $WORK" >&2' EXIT
else
    trap 'rm -rf "$WORK"' EXIT
fi

# The script under test, its fixed /tmp/bootstrap-*.log paths moved into each
# sandbox's TMPDIR: a check must not overwrite the logs of a real bootstrap running
# beside it (the same tree, another `make`).
# shellcheck disable=SC2016 # ${TMPDIR} is meant literally: the copy expands it
sed 's|/tmp/bootstrap-|${TMPDIR:-/tmp}/bootstrap-|g' "$SCRIPT" >"$WORK/bootstrap.sh"
chmod +x "$WORK/bootstrap.sh"

# Base commands the bootstrap and the shims call, linked from this machine.
SYSTEM_COMMANDS=(bash env awk sed grep git sha256sum cat cut head sort dirname basename
    readlink mkdir ln rm chmod id timeout find)
mkdir -p "$WORK/sysbin"
for c in "${SYSTEM_COMMANDS[@]}"; do
    path="$(type -P "$c")" || die "this machine has no $c"
    ln -s "$path" "$WORK/sysbin/$c"
done

# One shim for every faked command, linked under each name (as rustup's proxies are).
cat >"$WORK/shim" <<'SHIM'
#!/usr/bin/env bash
# fresh-machine-check's stand-in for rustup, cargo, rustc, apt-get, dpkg-query, npm
# and sudo (what it is called as says which): records each install asked for in
# $FRESH_CHECK_STATE/records and fakes its result; a file $FRESH_CHECK_STATE/fail/NAME
# makes that install fail (NAME: cargo-install, rustup-target-add,
# rustup-component-add, apt-get-update, apt-get-install, npm-ci).
set -euo pipefail
state="${FRESH_CHECK_STATE:?set by scripts/fresh-machine-check.sh}"
me="${0##*/}"
record() { echo "$*" >>"$state/records"; }
failing() { [ -e "$state/fail/$1" ]; }
unexpected() {
    record "unexpected: $me $*"
    echo "fresh-machine-check shim: '$me $*' is not simulated" >&2
    exit 2
}
operands() { local a; for a in "$@"; do case "$a" in -*) ;; *) echo "$a" ;; esac; done; }
fake_binary() { # FILE NAME VERSION: an executable that answers "NAME VERSION" to --version
    mkdir -p "${1%/*}"
    printf '#!/usr/bin/env bash\necho "%s %s"\n' "$2" "$3" >"$1"
    chmod +x "$1"
}

case "$me" in
cargo)
    [ "${1:-}" != --version ] || { echo "cargo 1.0.0 (fresh-machine-check shim)"; exit 0; }
    [ "${1:-}" = install ] || unexpected "$@"
    shift
    crate="" version=""
    while [ $# -gt 0 ]; do
        case "$1" in
        --version) version="${2:-}"; shift ;;
        -*) ;;
        *) crate="$1" ;;
        esac
        shift
    done
    record "cargo install $crate $version"
    if failing cargo-install; then
        echo "error: failed to compile \`$crate v$version\` (simulated)" >&2
        exit 101
    fi
    bin="${CARGO_HOME:-$HOME/.cargo}/bin"
    case "$crate" in
    wasm-bindgen-cli) for b in wasm-bindgen wasm-bindgen-test-runner; do fake_binary "$bin/$b" "$b" "$version"; done ;;
    *) fake_binary "$bin/$crate" "$crate" "$version" ;;
    esac
    ;;
rustc)
    [ "${1:-}" = --version ] || unexpected "$@"
    echo "rustc 1.0.0 (fresh-machine-check shim)"
    ;;
rustup)
    case "${1:-} ${2:-}" in
    "target list") cat "$state/rustup-targets" 2>/dev/null || true ;;
    "component list") cat "$state/rustup-components" 2>/dev/null || true ;;
    "target add" | "component add")
        what="$1"
        shift 2
        record "rustup $what add $*"
        if failing "rustup-$what-add"; then
            echo "error: could not download the $what's files (simulated)" >&2
            exit 1
        fi
        operands "$@" >>"$state/rustup-${what}s"
        ;;
    *) unexpected "$@" ;;
    esac
    ;;
apt-get)
    mapfile -t words < <(operands "$@")
    case "${words[0]:-}" in
    update)
        record "apt-get update"
        if failing apt-get-update; then
            echo "E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease (simulated)" >&2
            exit 100
        fi
        ;;
    install)
        record "apt-get install ${words[*]:1}"
        if failing apt-get-install; then
            echo "E: Unable to locate package ${words[1]:-} (simulated)" >&2
            exit 100
        fi
        for p in "${words[@]:1}"; do : >"$state/dpkg/$p"; done
        ;;
    *) unexpected "$@" ;;
    esac
    ;;
dpkg-query) # -W -f='${Status}' PACKAGE...
    for p in $(operands "$@"); do
        if [ -e "$state/dpkg/$p" ]; then
            printf 'install ok installed'
        else
            echo "dpkg-query: no packages found matching $p" >&2
            exit 1
        fi
    done
    ;;
npm)
    [ "${1:-}" = ci ] || unexpected "$@"
    dir="${PWD#"${FRESH_CHECK_ROOT:?}"}" dir="${dir#/}"
    record "npm ci in ${dir:-.}"
    if failing npm-ci; then
        echo "npm error code EUSAGE (simulated)" >&2
        exit 1
    fi
    rm -rf node_modules # npm ci starts from nothing
    mkdir -p node_modules/.bin
    # binaryen's package puts wasm-opt in node_modules/.bin; the bootstrap links it.
    if grep -qs '"binaryen"' package.json; then
        fake_binary node_modules/.bin/wasm-opt wasm-opt "version 132 (simulated)"
    fi
    ;;
sudo) exec "$@" ;;
*) unexpected "$@" ;;
esac
SHIM
chmod +x "$WORK/shim"

# --- one sandbox ("machine") ----------------------------------------------------
# M is the sandbox; M_ROOT its repository copy, M_HOME its HOME, M_STATE the shims' state.
in_machine() { # CMD...: run CMD with the sandbox's environment and nothing else
    env -i HOME="$M_HOME" CARGO_HOME="$M_HOME/.cargo" PATH="$M/shims:$WORK/sysbin" \
        TMPDIR="$M/tmp" LANG=C FRESH_CHECK_STATE="$M_STATE" FRESH_CHECK_ROOT="$M_ROOT" "$@"
}

use_machine() { # DIR: the sandbox the functions below work on
    M="$1" M_ROOT="$1/repo" M_HOME="$1/home" M_STATE="$1/state"
}

new_machine() { # DIR: a sandbox in which everything the bootstrap installs is present
    use_machine "$1"
    mkdir -p "$M_ROOT/scripts" "$M_HOME/.cargo/bin" "$M_STATE/dpkg" "$M_STATE/fail" "$M/tmp" "$M/shims"
    cp "$WORK/bootstrap.sh" "$M_ROOT/scripts/bootstrap.sh"
    cp "$REPO/Cargo.lock" "$M_ROOT/"
    local d c
    for d in "${NPM_DIRS[@]}"; do
        mkdir -p "$M_ROOT/$d"
        cp "$REPO/$d/package-lock.json" "$M_ROOT/$d/"
        [ ! -f "$REPO/$d/package.json" ] || cp "$REPO/$d/package.json" "$M_ROOT/$d/"
    done
    git -C "$M_ROOT" -c init.defaultBranch=main init -q
    git -C "$M_ROOT" add -A
    for c in rustup cargo rustc; do ln -s "$WORK/shim" "$M_HOME/.cargo/bin/$c"; done
    for c in apt-get dpkg-query npm sudo; do ln -s "$WORK/shim" "$M/shims/$c"; done

    # Everything present, installed through the shims; then no record of it.
    local cargo="$M_HOME/.cargo/bin/cargo"
    in_machine "$cargo" install wasm-bindgen-cli --version "$WB_VERSION"
    in_machine "$cargo" install wasm-pack --version "$WASM_PACK_VERSION"
    in_machine "$cargo" install cargo-fuzz --version "$CARGO_FUZZ_VERSION"
    in_machine "$cargo" install twiggy --version "$TWIGGY_VERSION"
    in_machine "$M_HOME/.cargo/bin/rustup" target add "$WASM_TARGET"
    in_machine "$M_HOME/.cargo/bin/rustup" component add rust-src
    in_machine apt-get install "${APT_PACKAGES[@]}"
    for d in "${NPM_DIRS[@]}"; do
        (cd "$M_ROOT/$d" && in_machine npm ci)
        # bootstrap.sh's own mark that this lock file is installed: its sha256.
        sha256sum "$M_ROOT/$d/package-lock.json" | cut -d' ' -f1 >"$M_ROOT/$d/node_modules/.bootstrap-lock.sha256"
    done
    : >"$M_STATE/records"
}

make_absent() { # ITEM...: take these away from the sandbox
    local item
    for item in "$@"; do
        case "$item" in
        tool:*) rm -f "$M_HOME/.cargo/bin/${item#tool:}" ;;
        target:*) : >"$M_STATE/rustup-targets" ;;
        component:*) : >"$M_STATE/rustup-components" ;;
        apt:*) rm -f "$M_STATE/dpkg/${item#apt:}" ;;
        npm:*) rm -rf "$M_ROOT/${item#npm:}/node_modules" ;;
        old:wasm-bindgen-cli) in_machine "$M_HOME/.cargo/bin/cargo" install wasm-bindgen-cli --version "$OTHER_WB_VERSION" ;;
        *) die "unknown item $item" ;;
        esac
    done
    : >"$M_STATE/records"
}

expected_installs() { # ITEM...: the records a bootstrap must leave when these are absent
    local item apt=()
    {
        for item in "$@"; do
            case "$item" in
            tool:wasm-bindgen | tool:wasm-bindgen-test-runner | old:wasm-bindgen-cli)
                echo "cargo install wasm-bindgen-cli $WB_VERSION" ;;
            tool:wasm-pack) echo "cargo install wasm-pack $WASM_PACK_VERSION" ;;
            tool:cargo-fuzz) echo "cargo install cargo-fuzz $CARGO_FUZZ_VERSION" ;;
            tool:twiggy) echo "cargo install twiggy $TWIGGY_VERSION" ;;
            target:*) echo "rustup target add ${item#target:}" ;;
            component:*) echo "rustup component add ${item#component:}" ;;
            apt:*) apt+=("${item#apt:}") ;;
            npm:*) echo "npm ci in ${item#npm:}" ;;
            esac
        done
        # One apt-get install for all missing packages, in the bootstrap's order.
        if [ ${#apt[@]} -gt 0 ]; then
            echo "apt-get update"
            echo "apt-get install ${apt[*]}"
        fi
    } | sort -u
}

FAULTS="" # what check_failure injected, for the messages
inject() { # FAULT...: fail:NAME makes the shims fail that install; absent:CMD removes a shim
    local f
    for f in "$@"; do
        case "$f" in
        fail:*) : >"$M_STATE/fail/${f#fail:}" ;;
        absent:*) rm -f "$M/shims/${f#absent:}" ;;
        esac
    done
}
lift() { # FAULT...: undo inject
    local f
    for f in "$@"; do
        case "$f" in
        fail:*) rm -f "$M_STATE/fail/${f#fail:}" ;;
        absent:*) ln -sfn "$WORK/shim" "$M/shims/${f#absent:}" ;;
        esac
    done
}

# --- running the bootstrap and judging a run -----------------------------------
RUNS=0 RC=0 OUT=""
run_bootstrap() { # run the sandbox's bootstrap as `make` does; sets RC and OUT (its output)
    RUNS=$((RUNS + 1))
    OUT="$M/out.$RUNS"
    RC=0
    (cd "$M_ROOT" && in_machine timeout 60 "$M_ROOT/scripts/bootstrap.sh") </dev/null >"$OUT" 2>&1 || RC=$?
}
said() { # how the last run ended, for a FAIL line
    if [ -s "$OUT" ]; then echo " (its last line: \"$(tail -n 1 "$OUT")\")"; else echo " with no output (a silent exit)"; fi
}
as_list() { if [ -n "$1" ]; then echo "[${1//$'\n'/; }]"; else echo "nothing"; fi; }
WHEN="" # prefix for the messages of a check run after a fault was lifted

check_missing() { # ITEM...: these absent, the rest present
    make_absent "$@"
    check_installs "$@"
}

check_installs() { # ITEM...: with these absent, run the bootstrap twice; prints why it failed, if it did
    local want got extra
    want="$(expected_installs "$@")"
    run_bootstrap
    [ "$RC" -eq 0 ] || { echo "${WHEN}run $RUNS exited $RC$(said)"; return 1; }
    got="$(sort "$M_STATE/records")"
    [ "$got" = "$want" ] || { echo "${WHEN}run $RUNS installed $(as_list "$got") instead of $(as_list "$want")"; return 1; }
    # Only "==> installing X" lines, and none when nothing was missing.
    extra="$(grep -v '^==> installing ' "$OUT" | head -n 1)" || true
    [ -z "$extra" ] || { echo "${WHEN}run $RUNS printed \"$extra\""; return 1; }
    if [ -z "$want" ] && [ -s "$OUT" ]; then
        echo "${WHEN}run $RUNS had nothing to install but printed \"$(head -n 1 "$OUT")\""
        return 1
    fi
    grep -qx 'export FAPI_TOOLCHAIN=rustup' "$M_ROOT/target/toolchain.env" 2>/dev/null \
        || { echo "${WHEN}run $RUNS did not record the rustup route in target/toolchain.env"; return 1; }
    [ -x "$M_ROOT/target/tools/bin/wasm-opt" ] || { echo "${WHEN}run $RUNS left no target/tools/bin/wasm-opt"; return 1; }

    # Idempotent: a second run finds everything and says and installs nothing.
    : >"$M_STATE/records"
    run_bootstrap
    [ "$RC" -eq 0 ] || { echo "${WHEN}run $RUNS (nothing missing) exited $RC$(said)"; return 1; }
    got="$(sort "$M_STATE/records")"
    [ -z "$got" ] || { echo "${WHEN}run $RUNS (nothing missing) installed $(as_list "$got")"; return 1; }
    [ ! -s "$OUT" ] || { echo "${WHEN}run $RUNS (nothing missing) printed \"$(head -n 1 "$OUT")\""; return 1; }
}

check_failure() { # "FAULT..." NAMED ITEM...: an install fails; the bootstrap must stop
    # non-zero with a "bootstrap: ..." line containing NAMED, and recover once the fault is gone.
    local -a faults
    read -r -a faults <<<"$1"
    local named="$2"
    shift 2
    make_absent "$@"
    inject "${faults[@]}"
    FAULTS="${faults[*]}"
    run_bootstrap
    [ "$RC" -ne 0 ] || { echo "run $RUNS exited 0 despite $FAULTS"; return 1; }
    grep '^bootstrap: ' "$OUT" | grep -qF -- "$named" \
        || { echo "run $RUNS exited $RC without a \"bootstrap: ...\" line naming $named$(said)"; return 1; }
    # As it was left (no make_absent again: a half-done install must not be hidden).
    lift "${faults[@]}"
    : >"$M_STATE/records"
    WHEN="once $FAULTS is lifted, "
    check_installs "$@"
}

# --- the scenarios ------------------------------------------------------------
describe() { # ITEM: its name in a scenario line
    case "$1" in
    tool:*) echo "${1#tool:}" ;;
    target:*) echo "rust target ${1#target:}" ;;
    component:*) echo "rustup component ${1#component:}" ;;
    apt:*) echo "${1#apt:}" ;;
    npm:*) echo "${1#npm:}/node_modules" ;;
    esac
}

# Every scenario starts from a copy of one "everything present" sandbox.
new_machine "$WORK/template"

NAMES=() PIDS=()
scenario() { # NAME CHECK ARG...: run CHECK in a new sandbox, in the background
    local n=${#NAMES[@]}
    NAMES+=("$1")
    shift
    # A copy of the template: absolute links and no absolute paths inside, so it works as is.
    (cp -a "$WORK/template" "$WORK/s$n" && use_machine "$WORK/s$n" && "$@") >"$WORK/why.$n" 2>&1 &
    PIDS+=("$!")
}

scenario "everything present" check_missing
for item in "${ITEMS[@]}"; do
    scenario "$(describe "$item") absent" check_missing "$item"
done
scenario "wasm-bindgen-cli $OTHER_WB_VERSION on PATH" check_missing old:wasm-bindgen-cli
scenario "all absent (a fresh machine)" check_missing "${ITEMS[@]}"
scenario "cargo install fails" check_failure fail:cargo-install wasm-bindgen-cli tool:wasm-bindgen
scenario "rustup component add fails" check_failure fail:rustup-component-add rust-src component:rust-src
scenario "apt-get update fails" check_failure fail:apt-get-update "apt-get update" "apt:${APT_PACKAGES[0]}"
scenario "apt-get install fails" check_failure fail:apt-get-install "${APT_PACKAGES[0]}" "apt:${APT_PACKAGES[0]}"
scenario "npm ci fails" check_failure fail:npm-ci scripts/tools npm:scripts/tools
scenario "no apt-get or dpkg-query (not Debian)" check_failure "absent:apt-get absent:dpkg-query" apt-get "apt:${APT_PACKAGES[0]}"

passed=0 failed=0
for i in "${!NAMES[@]}"; do
    if wait "${PIDS[$i]}"; then
        echo "ok  ${NAMES[$i]}"
        passed=$((passed + 1))
    else
        why="$(tr '\n' ' ' <"$WORK/why.$i" | sed 's/ *$//')"
        echo "FAIL ${NAMES[$i]}: ${why:-the check itself failed}"
        failed=$((failed + 1))
    fi
done
echo "bootstrap-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
