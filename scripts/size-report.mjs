// The package's size against its budget (issue #10), for `make size` and `make size-check`.
//
//   node scripts/size-report.mjs            # print the figures and the largest wasm items
//   node scripts/size-report.mjs --check    # the same, and fail when over size-budget.json
//   node scripts/size-report.mjs --set-budget
//                                           # write size-budget.json: today's figures plus
//                                           # HEADROOM (3 %), and today's largest items
//
// The figures are the ones that count for a user: the wasm (pkg/fapi_session_bg.wasm,
// gzip -9) and the JS a bundle ships (esbuild --bundle --minify --format=esm pkg/index.js,
// gzip -9), and their sum; the same as bench/lib/size.mjs's `minified`. The item list
// comes from twiggy on a copy of the release wasm with names kept (target/size/named.wasm:
// the cargo output through wasm-bindgen --keep-debug and the profile's wasm-opt flags plus
// -g), since the shipped one is stripped. Run after `make build` (the Makefile does).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSize } from '../bench/lib/size.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const budgetFile = join(root, 'size-budget.json');
const HEADROOM = 0.03;
const TOP = 15;
const mode = process.argv.includes('--check') ? 'check' : process.argv.includes('--set-budget') ? 'set' : 'print';

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const say = (line) => console.log(line);

const wasmFile = join(pkg, 'fapi_session_bg.wasm');
if (!existsSync(wasmFile)) {
  console.error('size: pkg/ is missing: run make build first');
  process.exit(1);
}

// --- the figures -------------------------------------------------------------------------
// gzip -9 of the file, as scripts/size.sh counts it (and so bench/lib/size.mjs's `minified`).
const wasm = execFileSync('gzip', ['-9', '-c', wasmFile], { maxBuffer: 64 << 20 }).length;
const js = (await bundleSize(pkg)).gzip;
const figures = { wasm, js, total: wasm + js };

// --- the wasm's largest items, by name ---------------------------------------------------
/** Short, stable item names: no crate hashes, at most 110 characters. */
function shortName(name) {
  const bare = name.replace(/\[[0-9a-f]{16}\]/g, '');
  return bare.length > 110 ? `${bare.slice(0, 107)}...` : bare;
}

function namedItems() {
  const built = join(root, 'target', 'wasm-release', 'wasm32-unknown-unknown', 'release', 'fapi_session.wasm');
  if (!existsSync(built)) return null;
  const out = join(root, 'target', 'size');
  mkdirSync(out, { recursive: true });
  execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', join(out, 'named'), built]);
  // The profile's wasm-opt flags (Cargo.toml), as wasm-pack passes them, plus -g.
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const line = /^\[package\.metadata\.wasm-pack\.profile\.release\]\s*\nwasm-opt\s*=\s*\[(.*)\]/m.exec(cargo);
  const flags = line ? [...line[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]) : ['-Oz'];
  const named = join(out, 'named.wasm');
  execFileSync('wasm-opt', [join(out, 'named', 'fapi_session_bg.wasm'), ...flags, '-g', '-o', named]);
  const rows = JSON.parse(execFileSync('twiggy', ['top', '--format', 'json', '-n', '400', named], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const items = [];
  for (const r of rows) {
    // The name section exists only in this copy; "... and N more" and the total are not items.
    if (/subsection"?$|^"?name"? custom section|^\.\.\. and|^Σ/.test(r.name)) continue;
    items.push({ name: shortName(r.name), bytes: r.shallow_size });
  }
  return items;
}

const items = namedItems();
const budget = existsSync(budgetFile) ? JSON.parse(readFileSync(budgetFile, 'utf8')) : null;

// --- report --------------------------------------------------------------------------------
const row = (what, bytes, limit) =>
  `${what.padEnd(46)} ${String(bytes).padStart(7)} B  ${kb(bytes).padStart(8)}${
    limit === undefined ? '' : `   budget ${String(limit).padStart(7)} B (${kb(limit)})`
  }`;
say('==> fapi-session size (gzip -9; what a bundle ships)');
say(row('wasm (pkg/fapi_session_bg.wasm)', figures.wasm, budget?.wasm));
say(row('JS (esbuild --bundle --minify pkg/index.js)', figures.js, budget?.js));
say(row('total', figures.total, budget?.total));

if (items) {
  say(`==> the ${TOP} largest wasm items (twiggy top, shallow bytes before gzip, named copy target/size/named.wasm)`);
  for (const it of items.slice(0, TOP)) say(`${String(it.bytes).padStart(7)}  ${it.name}`);
} else {
  say('==> (no cargo output in target/wasm-release: no item list; run scripts/build.sh)');
}

if (mode === 'set') {
  const up = (b) => Math.ceil(b * (1 + HEADROOM));
  const next = {
    comment:
      'Gzip -9 bytes allowed for the package (make size-check, issue #10): the wasm, the JS a bundle ships (esbuild --bundle --minify pkg/index.js) and their sum; set by node scripts/size-report.mjs --set-budget at about 3 % above the measured figures. "measured" and "top" (twiggy, bytes before gzip) are what they were then, to show what grew.',
    wasm: up(figures.wasm),
    js: up(figures.js),
    total: up(figures.total),
    measured: figures,
    top: (items || []).slice(0, 40),
  };
  writeFileSync(budgetFile, `${JSON.stringify(next, null, 2)}\n`);
  say(`==> wrote size-budget.json: wasm ${next.wasm}, js ${next.js}, total ${next.total}`);
}

if (mode === 'check') {
  if (!budget) {
    console.error('size-check: no size-budget.json (write one with node scripts/size-report.mjs --set-budget)');
    process.exit(1);
  }
  let passed = 0;
  let failed = 0;
  for (const key of ['wasm', 'js', 'total']) {
    const ok = figures[key] <= budget[key];
    if (ok) passed += 1;
    else failed += 1;
    say(`${ok ? 'ok  ' : 'FAIL'} ${key}: ${figures[key]} B ${ok ? '<=' : '>'} budget ${budget[key]} B (measured when set: ${budget.measured?.[key] ?? '?'} B)`);
  }
  if (failed && items) {
    const before = new Map((budget.top || []).map((it) => [it.name, it.bytes]));
    const floor = Math.min(...(budget.top || [{ bytes: 0 }]).map((it) => it.bytes));
    const grown = items
      .map((it) => ({ ...it, was: before.get(it.name) ?? (it.bytes >= floor ? 0 : null) }))
      .filter((it) => it.was !== null && it.bytes > it.was)
      .sort((a, b) => b.bytes - b.was - (a.bytes - a.was))
      .slice(0, TOP);
    say('==> what grew since the budget was set (twiggy, bytes before gzip; "new" = not in its list)');
    for (const it of grown) say(`${`+${it.bytes - it.was}`.padStart(7)}  ${it.name} (${it.was ? `${it.was} -> ` : 'new, '}${it.bytes})`);
  }
  say(`size-check: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
