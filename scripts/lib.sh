# Sourced by scripts/*.sh: repo root, the toolchain route recorded by
# scripts/bootstrap.sh, and small helpers. Not executable on its own.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ ! -f "$ROOT/target/toolchain.env" ]; then
    "$ROOT/scripts/bootstrap.sh"
fi
# shellcheck source=/dev/null
. "$ROOT/target/toolchain.env"

say() { echo "==> $*" >&2; }

# Cargo's output folder: target/, or CARGO_TARGET_DIR (a second checkout's or a parallel
# run's own, so that two runs never share the browser tests' binaries, which bake in
# their mock's URL, or the mock binary and the logs).
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

# Starts fapi-mock in the background with the given arguments and waits (at most
# MOCK_START_TIMEOUT seconds, default 60) for its "listening on URL" line.
# Sets MOCK_PID and MOCK_URL; its further output goes to $MOCK_LOG.
# The caller stops it with stop_mock (e.g. from a trap).
start_mock() {
    local fifo line deadline
    MOCK_LOG="${MOCK_LOG:-$TARGET_DIR/fapi-mock.log}"
    fifo="$(mktemp -u "${TMPDIR:-/tmp}/fapi-mock.XXXXXX")"
    mkfifo "$fifo"
    "$TARGET_DIR/debug/fapi-mock" "$@" >"$fifo" 2>"$MOCK_LOG.stderr" &
    MOCK_PID=$!
    exec {MOCK_FD}<"$fifo"
    rm -f "$fifo"
    : >"$MOCK_LOG"
    MOCK_URL=""
    deadline=$((SECONDS + ${MOCK_START_TIMEOUT:-60}))
    while [ "$SECONDS" -lt "$deadline" ] &&
        IFS= read -r -t "$((deadline - SECONDS))" -u "$MOCK_FD" line; do
        echo "$line" >>"$MOCK_LOG"
        if [[ "$line" =~ listening\ on\ (http://[^[:space:]]+) ]]; then
            MOCK_URL="${BASH_REMATCH[1]}"
            break
        fi
    done
    if [ -z "$MOCK_URL" ]; then
        echo "fapi-mock did not print its listening line within ${MOCK_START_TIMEOUT:-60}s; its output:" >&2
        cat "$MOCK_LOG" "$MOCK_LOG.stderr" >&2
        stop_mock
        return 1
    fi
    # Keep draining its stdout so it never blocks on a full pipe.
    cat <&"$MOCK_FD" >>"$MOCK_LOG" &
    MOCK_DRAIN_PID=$!
    exec {MOCK_FD}<&-
}

stop_mock() {
    if [ -n "${MOCK_PID:-}" ]; then
        kill "$MOCK_PID" 2>/dev/null || true
        wait "$MOCK_PID" 2>/dev/null || true
        MOCK_PID=""
    fi
    if [ -n "${MOCK_DRAIN_PID:-}" ]; then
        wait "$MOCK_DRAIN_PID" 2>/dev/null || true
        MOCK_DRAIN_PID=""
    fi
}
