// make bench: every measurement of issue 5 in one run, in headless Chromium (playwright-core,
// system Chromium) against fapi-mock, written to results.json, BENCHMARKS.md and ratios.svg.
//
//   node bench/run.mjs                 # full run: bench/results.json, bench/ratios.svg, BENCHMARKS.md
//   node bench/run.mjs --quick --out DIR   # 1 repetition of everything, all three files in DIR
//   BENCH_PKG=DIR node bench/run.mjs --only update,memory --out DIR2
//                                      # experiments: some measurements, another bench build;
//                                      # results.json only (no targets, report or chart)
//
// Section 8 (fapi-session beside the official clerk-js): bench/lib/peer.mjs, bench/page/peer.js.
//
// Needs (scripts/bench.sh provides them): pkg/ (make build), the bench package in
// target/bench/pkg (wasm-pack ... -- --features bench, plus the entry points), the mock
// binary, tests/e2e's playwright-core and bench's esbuild. Page-side code: bench/page/bench.js.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../tests/e2e/lib/stack.mjs';
import { SEEDED_USERS } from '../tests/e2e/lib/mock.mjs';
import { CHROMIUM_PATH } from '../tests/e2e/lib/browser.mjs';
import { makeBodies } from './lib/bodies.mjs';
import { pairedRatio, summary } from './lib/stats.mjs';
import { ownSize, peerSizes } from './lib/size.mjs';
import { measurePeer } from './lib/peer.mjs';
import { evaluateTargets } from './lib/targets.mjs';
import { writeReport } from './lib/report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_PKG = process.env.BENCH_PKG || join(ROOT, 'target', 'bench', 'pkg');
const PEERS_DIR = join(ROOT, 'target', 'bench', 'peers');

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const outAt = argv.indexOf('--out');
const outDir = outAt >= 0 ? argv[outAt + 1] : null;
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(',')) : null;
const wanted = (name) => !only || only.has(name);

/** Repetitions: every figure is a median of this many (1 each with --quick). */
const CONFIG = quick
  ? { samples: 1, minSampleMs: 5, refreshSamples: 1, readSamples: 1, memoryReps: 1, startupSamples: 1, concurrencyReps: 1 }
  : { samples: 21, minSampleMs: 25, refreshSamples: 101, readSamples: 21, memoryReps: 5, startupSamples: 21, concurrencyReps: 3 };
/** Section 8, fapi-session beside clerk-js. The quick run shortens the observation windows
 * (idle 100 s -> 10 s, the eight tabs 60 s -> 20 s) and the mock's token lifetime with them
 * (60 s -> 20 s: clerk-js refreshes a token 17 s before it expires, so a 10 s window still
 * sees it work); the full run keeps the mock's default 60 s. */
const PEER = quick
  ? { peerStartupSamples: 2, peerApplySamples: 2, peerIdleMs: 10_000, peerTabs: 8, peerTokenEveryMs: 5_000, peerTabsMs: 20_000, peerTokenLifetimeS: 20 }
  : { peerStartupSamples: 15, peerApplySamples: 21, peerIdleMs: 100_000, peerTabs: 8, peerTokenEveryMs: 5_000, peerTabsMs: 60_000, peerTokenLifetimeS: 60 };
const SIZES = [1, 10, 100];
const MEMORY = { subscribe: 100_000, refresh: 10_000, create: 1_000, control: 0 };
const CONCURRENT = 100;

const started = Date.now();
const log = (msg) => process.stderr.write(`==> bench [${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);

function busiest() {
  try {
    const out = execFileSync('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu', '--no-headers'], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 6);
  } catch {
    return [];
  }
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (/^model name\s*:\s*(.+)$/m.exec(cpuinfo) || [])[1] || cpus()[0]?.model || 'unknown';
  return {
    cpu: model.trim(),
    cores: cpus().length,
    chromium: null,
    chromiumPath: CHROMIUM_PATH,
    node: process.version,
    date: new Date().toISOString(),
    loadavgStart: loadavg(),
    busiestAtStart: busiest(),
  };
}

/** Calls `name(arg)` of bench/page/bench.js in `page`. */
function call(page, name, arg) {
  return page.evaluate(
    async ([name, arg]) => (await import('/bench/bench.js'))[name](arg),
    [name, arg],
  );
}

/** Signs the page's browser context in (the cookie lands in the context), without using the
 * page's own connections. */
async function signIn(page, api) {
  const [boss] = SEEDED_USERS;
  const res = await page.context().request.post(`${api}/v1/client/sign_ins`, {
    form: { strategy: 'password', identifier: boss.identifier, password: boss.password },
  });
  if (!res.ok()) throw new Error(`sign-in: ${res.status()} ${await res.text()}`);
}

async function measureUpdate(stack) {
  const page = await stack.openPage();
  await signIn(page, stack.api.url);
  const res = await page.context().request.get(`${stack.api.url}/v1/client`);
  const template = await res.text();
  await page.context().clearCookies();
  const bodies = makeBodies(template, SIZES);
  const raw = await call(page, 'updateCost', {
    api: stack.api.url,
    bodies: Object.fromEntries(Object.entries(bodies).map(([k, v]) => [k, { a: v.a, b: v.b }])),
    samples: CONFIG.samples,
    minSampleMs: CONFIG.minSampleMs,
  });
  await page.close();
  const out = {};
  for (const [size, r] of Object.entries(raw)) {
    const pair = (c) => ({
      manager: summary(c.manager.ns),
      floor: summary(c.floor.ns),
      ratio: pairedRatio(c.manager.ns, c.floor.ns),
      iterations: { manager: c.manager.iterations, floor: c.floor.iterations },
    });
    out[size] = {
      sessions: r.sessions,
      bodyBytes: r.bodyBytes,
      checks: r.checks,
      changed: pair(r.changed),
      identical: pair(r.identical),
    };
  }
  return { bodies, results: out };
}

async function measureRefresh(stack) {
  const page = await stack.openPage();
  await signIn(page, stack.api.url);
  const r = await call(page, 'refresh', { api: stack.api.url, samples: CONFIG.refreshSamples });
  await page.close();
  const pair = (c) => ({
    manager: summary(c.manager),
    floor: summary(c.floor),
    ratio: pairedRatio(c.manager, c.floor),
    events: c.events,
  });
  return { changed: pair(r.changed), identical: pair(r.identical) };
}

async function measureReads(stack) {
  const page = await stack.openPage();
  await signIn(page, stack.api.url);
  const r = await call(page, 'reads', {
    api: stack.api.url,
    samples: CONFIG.readSamples,
    minSampleMs: CONFIG.minSampleMs,
  });
  await page.close();
  const out = { ns: {}, ratio: {}, iterations: {} };
  for (const [name, v] of Object.entries(r)) {
    out.ns[name] = summary(v.ns);
    out.iterations[name] = v.iterations;
    if (name !== 'plainProperty') out.ratio[name] = pairedRatio(v.ns, r.plainProperty.ns);
  }
  return out;
}

async function measureConcurrency(stack) {
  const out = {};
  for (const what of ['load', 'refresh', 'mixed']) {
    const counts = [];
    const distinct = [];
    for (let rep = 0; rep < CONFIG.concurrencyReps; rep++) {
      const page = await stack.openPage();
      await signIn(page, stack.api.url);
      await call(page, 'concurrencyPrepare', { api: stack.api.url, what });
      await stack.api.control('/log', undefined, { method: 'DELETE' });
      const r = await call(page, 'concurrencyRun', { what, count: CONCURRENT });
      const entries = await stack.api.log();
      counts.push(entries.filter((e) => e.path === '/v1/client' && e.method === 'GET').length);
      distinct.push(r.distinctSnapshots);
      await page.close();
    }
    out[what] = { calls: CONCURRENT, requests: summary(counts), distinctSnapshots: summary(distinct) };
  }
  return out;
}

async function measureMemory(stack, bodies) {
  const page = await stack.openPage();
  await signIn(page, stack.api.url);
  await call(page, 'memorySetup', { api: stack.api.url, body: bodies[10].a });
  const cdp = await page.context().newCDPSession(page);
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const wasm = await call(page, 'wasmBytes');
    return { heap: usedSize, wasm };
  };
  const growth = Object.fromEntries(Object.keys(MEMORY).map((k) => [k, { wasm: [], heap: [], ms: [] }]));
  const first = await measure();
  for (let rep = 0; rep < CONFIG.memoryReps; rep++) {
    for (const [phase, cycles] of Object.entries(MEMORY)) {
      // Warm-up: 1% of the cycles, so allocator and JIT reach their steady state first.
      await call(page, 'memoryPhase', { phase, cycles: Math.ceil(cycles / 100) });
      const before = await measure();
      const ms = await call(page, 'memoryPhase', { phase, cycles });
      const after = await measure();
      growth[phase].wasm.push(after.wasm - before.wasm);
      growth[phase].heap.push(after.heap - before.heap);
      growth[phase].ms.push(ms);
    }
  }
  const last = await measure();
  await cdp.detach();
  await page.close();
  const out = { start: first, end: last, phases: {} };
  for (const [phase, g] of Object.entries(growth)) {
    out.phases[phase] = {
      cycles: MEMORY[phase],
      wasmGrowth: summary(g.wasm),
      heapGrowth: summary(g.heap),
      ms: summary(g.ms),
    };
  }
  return out;
}

async function measureStartup(stack) {
  const samples = { importMs: [], readyMs: [], firstLoadMs: [] };
  let signedIn = true;
  for (let s = 0; s < CONFIG.startupSamples; s++) {
    const page = await stack.openPage();
    await signIn(page, stack.api.url);
    // The bench module itself is loaded first and not counted.
    await page.evaluate(() => import('/bench/bench.js'));
    const r = await call(page, 'startup', { api: stack.api.url });
    for (const k of Object.keys(samples)) samples[k].push(r[k]);
    signedIn &&= r.signedIn;
    await page.close();
  }
  return {
    signedIn,
    importMs: summary(samples.importMs),
    readyMs: summary(samples.readyMs),
    firstLoadMs: summary(samples.firstLoadMs),
  };
}

async function main() {
  for (const need of [join(ROOT, 'pkg', 'index.js'), join(BENCH_PKG, 'index.js'), join(BENCH_PKG, 'fapi_session_bg.wasm')]) {
    if (!existsSync(need)) throw new Error(`${need} is missing: run make bench (scripts/bench.sh builds it)`);
  }
  // Sampled before this run starts anything of its own.
  const host = machine();
  log(`mode: ${quick ? 'quick (1 repetition each)' : 'full'}`);
  log('7. size: scripts/size.sh, esbuild, peers from npm pack');
  const size = wanted('size') ? { own: await ownSize(ROOT), peers: await peerSizes(ROOT, PEERS_DIR) } : null;

  const stack = await startStack({
    copy: { bench: join(ROOT, 'bench', 'page'), 'bench-pkg': BENCH_PKG },
  });
  const results = { quick, config: { ...CONFIG, ...PEER, sizes: SIZES, memoryCycles: MEMORY, concurrent: CONCURRENT } };
  try {
    results.machine = { ...host, chromium: stack.browser.browser.version() };
    if (wanted('startup')) {
      log('6. start-up (a fresh page per sample)');
      results.startup = await measureStartup(stack);
    }
    let update = null;
    if (wanted('update') || wanted('memory')) {
      log('1. update cost (benchApplyAnswer vs JSON.parse + deep freeze + listener)');
      update = await measureUpdate(stack);
      results.update = update.results;
    }
    if (wanted('reads')) {
      log('3. reads');
      results.reads = await measureReads(stack);
    }
    if (wanted('refresh')) {
      log('2. end-to-end refresh');
      results.refresh = await measureRefresh(stack);
    }
    if (wanted('concurrency')) {
      log('4. concurrency');
      results.concurrency = await measureConcurrency(stack);
    }
    if (wanted('memory')) {
      log('5. memory');
      results.memory = await measureMemory(stack, update.bodies);
    }
  } finally {
    await stack.close();
  }
  if (wanted('peer')) {
    // Its own mock (the site and the API on one origin, the proxy path): after the others.
    const ownGzip = (size ? size.own : await ownSize(ROOT)).minified.gzip;
    results.peer = await measurePeer({ root: ROOT, config: PEER, log, ownGzip });
  }
  results.size = size;
  results.machine.loadavgEnd = loadavg();
  results.machine.busiestAtEnd = busiest();
  results.durationS = Math.round((Date.now() - started) / 1000);
  if (only) {
    const file = join(outDir || join(ROOT, 'target', 'bench'), 'results.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
    log(`wrote ${file} (--only ${[...only].join(',')}: no targets, report or chart)`);
    return;
  }
  results.targets = evaluateTargets(results);

  const files = outDir
    ? { json: join(outDir, 'results.json'), md: join(outDir, 'BENCHMARKS.md'), svg: join(outDir, 'ratios.svg') }
    : { json: join(ROOT, 'bench', 'results.json'), md: join(ROOT, 'BENCHMARKS.md'), svg: join(ROOT, 'bench', 'ratios.svg') };
  mkdirSync(dirname(files.json), { recursive: true });
  writeFileSync(files.json, JSON.stringify(results, null, 2) + '\n');
  writeReport(results, files, ROOT);
  log(`wrote ${Object.values(files).join(', ')} in ${results.durationS}s`);
  for (const t of results.targets) log(`target ${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.value}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
