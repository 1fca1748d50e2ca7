#!/usr/bin/env bash
# Serves the demo: target/demo/ = www/ (without node_modules) + pkg/, through
# fapi-mock (--static, --control) on 127.0.0.1:$PORT (default 8787), in the
# foreground until Ctrl-C. Run `make build` (or `make demo`) first.
#
#   PORT=9000 scripts/demo.sh [extra fapi-mock arguments, e.g. --dialect seed]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${PORT:-8787}"
DEMO="$ROOT/target/demo"
[ -f pkg/fapi_session.js ] || { echo "demo: pkg/ is missing: run make build first" >&2; exit 1; }

say "assembling target/demo/ from www/ and pkg/"
rm -rf "$DEMO"
mkdir -p "$DEMO"
tar -C www --exclude=node_modules -cf - . | tar -C "$DEMO" -xf -
cp -R pkg "$DEMO/pkg"

say "building fapi-mock"
cargo build --quiet -p fapi-mock
trap stop_mock EXIT
trap 'exit 0' INT TERM
start_mock --addr "127.0.0.1:$PORT" --static "$DEMO" --control "$@"
echo
echo "    Demo: open $MOCK_URL/ in a browser"
echo "    (mock control plane at $MOCK_URL/__mock/, request log in target/fapi-mock.log)"
echo "    Ctrl-C to stop."
echo
wait "$MOCK_PID"
