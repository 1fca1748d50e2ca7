#!/usr/bin/env bash
# Serves the demo: target/demo/ = www/ (the plain page, without the app sources and
# node_modules) + pkg/ + the built React and Vue apps (www/react, www/vue: npm ci when
# needed, then vite build) at /react/ and /vue/, through fapi-mock (--static, --control)
# on 127.0.0.1:$PORT (default 8787), in the foreground until Ctrl-C. Run `make build`
# (or `make demo`) first.
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
tar -C www --exclude=node_modules --exclude=./react --exclude=./vue --exclude=./shared -cf - . |
    tar -C "$DEMO" -xf -
cp -R pkg "$DEMO/pkg"

# The apps depend on the built package (file:../../pkg) as a user's app would.
APPS=(react vue)
for app in "${APPS[@]}"; do
    dir="www/$app"
    if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        say "installing the $app app's npm packages (npm ci in $dir)"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
    say "building the $app app (vite build in $dir)"
    (cd "$dir" && npx --no-install vite build --logLevel warn)
    cp -R "$dir/dist" "$DEMO/$app"
done

say "building fapi-mock"
cargo build --quiet -p fapi-mock
trap stop_mock EXIT
trap 'exit 0' INT TERM
start_mock --addr "127.0.0.1:$PORT" --static "$DEMO" --control "$@"
echo
echo "    Demo: open in a browser"
printf '      %-32s the plain page\n' "$MOCK_URL/"
for app in "${APPS[@]}"; do
    printf '      %-32s the %s app\n' "$MOCK_URL/$app/" "$app"
done
echo "    (mock control plane at $MOCK_URL/__mock/, request log in target/fapi-mock.log)"
echo "    Ctrl-C to stop."
echo
wait "$MOCK_PID"
