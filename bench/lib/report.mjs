// BENCHMARKS.md and bench/ratios.svg from a results object (bench/results.json). The
// figures are regenerated on every run; the analysis (profiling, before/after, proposals)
// is hand-written in bench/analysis.md and included as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ratioChart } from './svg.mjs';
import { heapNoise, SIZE_TARGET } from './targets.mjs';
import { CLERK, FAPI, peerRatios } from './peer.mjs';

const ns = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : v >= 1e3 ? `${(v / 1e3).toFixed(2)} µs` : `${v.toFixed(2)} ns`);
const us = (v) => (v >= 1e3 ? `${(v / 1e3).toFixed(2)} ms` : `${v.toFixed(0)} µs`);
const ms = (v) => `${v.toFixed(1)} ms`;
const x = (v) => `${v.toFixed(2)}x`;
const bytes = (v) => `${v} B`;
const kb = (v) => `${(v / 1024).toFixed(1)} KB`;
/** "median (min–max, n=N)" */
const fig = (s, f) => (s.n === 1 ? `${f(s.median)} (n=1)` : `${f(s.median)} (${f(s.min)} – ${f(s.max)}, n=${s.n})`);

function table(head, rows) {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((h, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The chart's bars. */
export function chartBars(r) {
  const bars = [];
  for (const [size, u] of Object.entries(r.update)) {
    for (const c of ['changed', 'identical']) {
      const q = u[c].ratio;
      bars.push({
        group: 'Update cost: ClientManager / JS floor (JSON.parse + deep freeze + listener)',
        label: `${size} session${size === '1' ? '' : 's'}, ${c}`,
        median: q.median,
        min: q.min,
        max: q.max,
        target: c === 'identical' ? 1 : size === '100' ? 1.5 : undefined,
      });
    }
  }
  for (const c of ['changed', 'identical']) {
    const q = r.refresh[c].ratio;
    bars.push({
      group: 'End-to-end refresh(): ClientManager / fetch + JSON.parse floor',
      label: `refresh, ${c}`,
      median: q.median,
      min: q.min,
      max: q.max,
    });
  }
  for (const k of ['getSnapshot', 'getSnapshotUnbound', 'client', 'session', 'user', 'rawGetSnapshot']) {
    const q = r.reads.ratio[k];
    bars.push({
      group: 'Reads: per call / a plain property read',
      label: k === 'rawGetSnapshot' ? 'raw getSnapshot() (wasm call)' : k === 'getSnapshotUnbound' ? 'getSnapshot unbound' : k,
      median: q.median,
      min: q.min,
      max: q.max,
      target: k === 'getSnapshot' ? 3 : undefined,
    });
  }
  const own = r.size.own.shipped.gzip;
  bars.push({ group: 'Size (gzip -9): fapi-session / other', label: 'vs 30 KB target', median: own / SIZE_TARGET, min: own / SIZE_TARGET, max: own / SIZE_TARGET, target: 1 });
  for (const p of r.size.peers) {
    const v = own / p.gzip;
    bars.push({
      group: 'Size (gzip -9): fapi-session / other',
      label: `vs ${p.name}`,
      median: v,
      min: v,
      max: v,
      target: p.name === 'oidc-client-ts' ? undefined : 1,
    });
  }
  if (r.peer) {
    for (const row of peerRatios(r.peer)) {
      if (!row.ratio) continue;
      bars.push({
        group: `fapi-session / clerk-js ${r.peer.clerkVersion} (the official client, same browser, mock and run)`,
        label: row.label,
        median: row.ratio.median,
        min: row.ratio.min,
        max: row.ratio.max,
        note: row.ratio.median === 0 ? '(none)' : undefined,
      });
    }
  }
  return bars;
}

/** Section 8: fapi-session beside clerk-js (bench/lib/peer.mjs). */
function peerSection(r) {
  const p = r.peer;
  const c = r.config;
  const ratio = (q) => (q ? fig(q, x) : 'no ratio (clerk-js: 0)');
  const both = (f) => [f(FAPI), f(CLERK)];
  const plural = (n) => `${n} session${String(n) === '1' ? '' : 's'}`;
  const reqs = (o) => `${o.total}${o.total ? ` (${Object.entries(o.byKind).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`;
  const sz = p.apply.sizes;
  const rows = [
    ['start-up: script fetched and evaluated, then to the first ready state', ...both((k) => fig(p.startup[k].readyMs, ms)), ratio(p.startup.ratio)],
    ...['changed', 'identical'].flatMap((kind) =>
      Object.entries(sz).map(([n, a]) => [
        `apply a \`/v1/client\` answer, ${kind}, ${plural(n)} (${kb(a.bodyBytes[FAPI])})`,
        ...both((k) => fig(a[kind][k], us)),
        ratio(a[kind].ratio),
      ]),
    ),
    ...['identical', 'changed'].map((kind) => [
      `listener calls per ${kind} answer (${p.apply.listenerCalls[kind].answers} answers each)`,
      ...both((k) => String(p.apply.listenerCalls[kind][k])),
      ratio(p.apply.listenerCalls[kind].ratio),
    ]),
    ...['1', '100'].flatMap((n) => [
      [`requests, idle focused tab, ${plural(n)}, ${p.idle.windowMs / 1000} s`, ...both((k) => reqs(p.idle[n][k])), ratio(p.idle[n].ratio)],
      [`listener calls, idle focused tab, ${plural(n)}, ${p.idle.windowMs / 1000} s`, ...both((k) => String(p.idle[n][k].listenerCalls)), ratio(p.idle[n].listenerRatio)],
    ]),
    [
      `requests per minute, ${p.tabs.tabs} tabs each asking for a token every ${p.tabs.everyMs / 1000} s (${p.tabs.windowMs / 1000} s)`,
      ...both((k) => `${p.tabs[k].perMinute.toFixed(1)} (${reqs(p.tabs[k])})`),
      ratio(p.tabs.ratio),
    ],
    ['bytes shipped (gzip -9)', ...both((k) => `${p.size[k].gzip} (${kb(p.size[k].gzip)})`), ratio(p.size.ratio)],
  ];
  const problems = p.problems.length ? p.problems.map((m) => `\`${m}\``).join('; ') : 'none';
  return [
    '## 8. fapi-session / clerk-js',
    '',
    `The client users would pick instead, run beside fapi-session in the same Chromium and run, against one fapi-mock: ` +
      `the official \`@clerk/clerk-js\` ${p.clerkVersion}, its browser bundle (\`dist/clerk.browser.js\`) from npm, unmodified, ` +
      "loaded the documented way (a script tag with `data-clerk-publishable-key` and `data-clerk-proxy-url`), then " +
      '`Clerk.load()` with `routerPush`/`routerReplace` hooks so that nothing navigates. Nothing leaves 127.0.0.1: clerk-js ' +
      'derives an https API from its key, so both clients reach the mock through the proxy URL `http://127.0.0.1:PORT/__clerk` ' +
      '(`fapi-mock --proxy-path /__clerk`, serving the page too) with a production key naming the mock\'s host (cookie, no dev ' +
      'browser); fapi-session (the shipped `pkg/`) gets the same `proxyUrl` and `publishableKey`. Every ratio is fapi-session / ' +
      'clerk-js, **taken pair by pair**: samples alternate between the two clients (the order alternating too) and the median ' +
      '(min – max) of the per-pair ratios is given; an observation window runs both clients at once and is one pair.',
    '',
    table(['measure', 'fapi-session', 'clerk-js', 'fapi-session / clerk-js'], rows),
    '',
    'What is timed and what each side does:',
    '',
    `- **Start-up** (${c.peerStartupSamples} pairs): a fresh browser context per sample (cold cache, cold connection), signed in ` +
      'as the seeded user beforehand through the context\'s request API; timed in the page from before the load starts: ' +
      'fapi-session `import(\'/pkg/index.js\')`, `createClientManager()` (wasm fetch, compile, instantiate) and `load()` resolved ' +
      '(`GET /v1/client`); clerk-js the script tag appended until `onload` (fetched and evaluated), then `Clerk.load()` resolved ' +
      'and `Clerk.loaded` (it asks for `GET /v1/environment` and `GET /v1/client`). Fetched and evaluated alone: fapi-session ' +
      `${fig(p.startup[FAPI].fetchedMs, ms)}, clerk-js ${fig(p.startup[CLERK].fetchedMs, ms)}. Scripts clerk-js fetched from ` +
      `its dist/ during start-up: ${(p.startup.clerkFiles || []).map((f) => `\`${f}\``).join(', ') || 'none'}.`,
    `- **Applying an answer** (${c.peerApplySamples} pairs per row, after 3 warm-up pairs): both clients in one context (one ` +
      'client on the mock) and their own pages; sessions are made on the client with `POST /__mock/sessions` up to 1, 10, 100, ' +
      'and before each sample the mock is told (`POST /__mock/faults` with a body, count 1) what to answer the next refresh. ' +
      "Each side's own refresh, over the network: fapi-session `manager.refresh()` (`GET /v1/client`, answered " +
      '`{"response": CLIENT, "client": null}`); clerk-js `Clerk.session.touch()` (`POST /v1/client/sessions/{id}/touch`, ' +
      'answered `{"response": SESSION, "client": CLIENT}`, as the mock answers a touch). Why touch: clerk-js applies a client ' +
      'to its state and calls its listeners only from the `client` an answer carries; `GET /v1/client` answers `client: null`, ' +
      'and `Clerk.client.reload()` updates the Client resource in place without calling a listener; a touch is also what ' +
      'clerk-js sends itself when the window gets the focus. CLIENT is the mock\'s own answer with N sessions, the same bytes ' +
      "for both; clerk-js's answer carries the active session once more (the size in the row is fapi-session's body). " +
      "*changed*: the client's `updated_at` and the active session's `last_active_at` 1 ms later than the last pair's; timed " +
      'from the call to the listener\'s call. *identical*: the last answer again; timed from the call to the promise. The ' +
      "mock's token lifetime is an hour here, so no token refresh of clerk-js's falls into this part; its poller (a " +
      '`getToken()` every 1.5 s in a focused tab, served from memory) runs throughout, as it does for its users.',
    '- **Listener calls per answer**: counted around every timed apply above (fapi-session `manager.subscribe`, clerk-js ' +
      '`Clerk.addListener(fn, { skipInitialEmit: true })`). A changed answer whose refresh resolved with no listener call ' +
      `within 2 s of it is not timed; its pair is taken again: fapi-session ${p.apply.missedListener?.[FAPI] ?? 0}, ` +
      `clerk-js ${p.apply.missedListener?.[CLERK] ?? 0} such answers in this run.`,
    `- **Idle focused tab**: one page per client and session count, each its own context and client on the mock (sessions ` +
      `made with \`POST /__mock/sessions\`), focused (Chromium's focus emulation, \`Emulation.setFocusEmulationEnabled\`, and ` +
      '`bringToFront`; `document.hasFocus()` checked), all four at once; API requests counted by Playwright for ' +
      `${p.idle.windowMs / 1000} s after the load (a fixed observation window), with a token lifetime of ${p.idle.tokenLifetimeS} s. ` +
      "clerk-js keeps every session's token fresh (a refresh 17 s before it expires, for each session whose token came in " +
      'the client, each emitting to every listener); what fapi-session sent in the same window is in the table.',
    `- **${p.tabs.tabs} tabs**: per client one context (one client, one session) with ${p.tabs.tabs} pages, each calling ` +
      `\`getToken()\` (clerk-js \`Clerk.session.getToken()\`) at once and then every ${p.tabs.everyMs / 1000} s, both clients at once, ` +
      `for ${p.tabs.windowMs / 1000} s (token lifetime ${p.tabs.tokenLifetimeS} s); requests counted per context, in all. ` +
      `Tabs reporting focus: ${p.tabs.focusedTabs} of ${2 * p.tabs.tabs} (no focus emulation here; headless Chromium reports ` +
      `focus as it does). getToken calls: fapi-session ${p.tabs[FAPI].getTokenCalls}, clerk-js ${p.tabs[CLERK].getTokenCalls}; ` +
      `errors: ${p.tabs[FAPI].errors.length + p.tabs[CLERK].errors.length}.`,
    `- **Bytes**: fapi-session ${p.size[FAPI].how}; clerk-js ${p.size[CLERK].how}, ${p.size[CLERK].raw} B raw.`,
    `- Console errors in the pages: ${problems}.`,
    '',
  ].join('\n');
}

export function renderMarkdown(r, svgPath, root) {
  const m = r.machine;
  const busy = m.loadavgStart[0] > 0.5 || m.loadavgEnd[0] > 1.5;
  const out = [];
  out.push(
    '# Benchmarks',
    '',
    `Generated by \`make bench\` (\`scripts/bench.sh\` → \`bench/run.mjs\`) on ${m.date.slice(0, 10)}; raw figures in` +
      ' [`bench/results.json`](bench/results.json). Do not edit by hand: the figures are rewritten on every run; the' +
      ' analysis at the end comes from [`bench/analysis.md`](bench/analysis.md).' +
      (r.quick ? '\n\n**Quick run (1 repetition of everything): not figures to quote.**' : ''),
    '',
    `![ratios](${relative(root, svgPath)})`,
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'met'],
      r.targets.map((t) => [t.name, t.value, t.met ? 'met' : '**missed**']),
    ),
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores`,
    `- Browser: headless Chromium ${m.chromium} (\`${m.chromiumPath}\`, playwright-core); Node ${m.node}`,
    `- Date: ${m.date}; the run took ${r.durationS} s`,
    `- Load average (1, 5, 15 min) at the start ${m.loadavgStart.map((v) => v.toFixed(2)).join(', ')}, at the end ${m.loadavgEnd.map((v) => v.toFixed(2)).join(', ')}.` +
      (busy
        ? ' **The machine was not idle**: other work (builds, browser tests) ran during the run. Busiest processes at the start: ' +
          m.busiestAtStart.map((l) => `\`${l}\``).join(', ') +
          '. Absolute times are inflated and noisy; ratios are taken pair by pair (manager and floor sampled alternately) to cancel most of it.'
        : ' The machine was otherwise idle.'),
    '',
    '## Method',
    '',
    '- Everything runs in one headless Chromium against two `fapi-mock` processes on 127.0.0.1: one serves the page ' +
      '(`bench/page/bench.js`, the shipped `pkg/`, and the bench build in `/bench-pkg/`), the other is the Frontend API ' +
      '(cross-origin, `credentials: \'include\'`, as in production). Pages sign in as the seeded user through the browser ' +
      "context's request API, so the page's own connections start cold.",
    `- Fast operations run in batches calibrated to last at least ${r.config.minSampleMs} ms (performance.now() is coarse in ` +
      'Chromium); a sample is a batch time divided by its iterations. The manager and its floor are sampled alternately, ' +
      'and a ratio is the median (min, max) of the per-pair ratios.',
    `- Repetitions: update cost and reads ${r.config.samples} samples each; refresh ${r.config.refreshSamples} requests each; ` +
      `start-up ${r.config.startupSamples} fresh pages; memory ${r.config.memoryReps} repetitions of each loop; concurrency ` +
      `${r.config.concurrencyReps} repetitions. Every figure below is median (min – max, n).`,
    '- Only the update-cost and memory measurements use the bench build (`cargo` feature `bench`, which only adds ' +
      '`benchApplyAnswer`); everything else uses the shipped `pkg/`.',
    '',
  );

  // 1. update cost
  out.push(
    '## 1. Update cost',
    '',
    'Applying one `/v1/client` answer: `RawClientManager.benchApplyAnswer(200, bytes)` (parse in wasm, change detection, ' +
      "snapshot build, the package wrapper's snapshot sink and one listener, as the package wires them) against the floor " +
      'in the same page: `JSON.parse(text)` of the same body, a recursive deep freeze, one listener call. Bodies: one real ' +
      'answer of the mock (current dialect, signed in), its session replicated with distinct session, user and email ids; ' +
      "*changed*: before each apply the active session's `last_active_at` and the client's `updated_at` move 1 ms forward " +
      "(rewritten in place in the body's bytes, so every answer is newer than the last: the manager drops older ones by " +
      "`updated_at`); the floor parses two texts that differ in the same fields, alternately. *identical*: the last answer " +
      'again. The manager gets the UTF-8 bytes (as `fetch` hands them to it); the floor gets the string, so decoding is not ' +
      'charged to it. "events / apply" is checked outside the timing.',
    '',
    table(
      ['sessions (body)', 'case', 'ClientManager', 'JS floor', 'ratio', 'events / apply'],
      Object.entries(r.update).flatMap(([size, u]) =>
        ['changed', 'identical'].map((c) => [
          `${size} (${kb(u.bodyBytes)})`,
          c,
          fig(u[c].manager, ns),
          fig(u[c].floor, ns),
          fig(u[c].ratio, x),
          String(u.checks[c].events),
        ]),
      ),
    ),
    '',
  );

  // 2. refresh
  const rf = r.refresh;
  out.push(
    '## 2. End-to-end refresh',
    '',
    '`refresh()` against the local mock, timed from the call to the listener (*changed*: the session is touched on the ' +
      'server, `POST /v1/client/sessions/{id}/touch`, before each refresh, outside the timing) or to the promise ' +
      '(*identical*: no change, no event); the floor is `fetch(url, {credentials: \'include\'})`, `JSON.parse(await ' +
      'res.text())`, deep freeze, one listener call, after the same touch. One request per sample, taken one by one ' +
      '(performance.now() granularity applies).',
    '',
    table(
      ['case', 'ClientManager', 'fetch + JSON.parse floor', 'ratio', 'events'],
      ['changed', 'identical'].map((c) => [c, fig(rf[c].manager, us), fig(rf[c].floor, us), fig(rf[c].ratio, x), String(rf[c].events)]),
    ),
    '',
  );

  // 3. reads
  const rd = r.reads;
  const readLabel = {
    plainProperty: 'plain object property read (baseline)',
    getSnapshot: '`manager.getSnapshot()`',
    getSnapshotUnbound: '`getSnapshot()` unbound (as `useSyncExternalStore` calls it)',
    client: '`manager.client`',
    session: '`manager.session`',
    user: '`manager.user`',
    rawGetSnapshot: '`RawClientManager.getSnapshot()` (a wasm call; what the wrapper avoids)',
  };
  out.push(
    '## 3. Reads',
    '',
    'ns per call; four managers (signed in) and four plain objects read in turn, every result stored, so nothing is hoisted or dropped.',
    '',
    table(
      ['read', 'ns per call', 'ratio to the plain read'],
      Object.keys(rd.ns).map((k) => [readLabel[k] || k, fig(rd.ns[k], (v) => v.toFixed(2)), rd.ratio[k] ? fig(rd.ratio[k], x) : '1']),
    ),
    '',
  );

  // 4. concurrency
  out.push(
    '## 4. Concurrency',
    '',
    `${r.config.concurrent} calls started together on one manager; requests counted in the mock's log (\`GET /v1/client\`).`,
    '',
    table(
      ['calls', 'requests the server saw', 'distinct snapshots resolved'],
      [
        ['100 × `load()` on a fresh manager', fig(r.concurrency.load.requests, String), fig(r.concurrency.load.distinctSnapshots, String)],
        ['100 × `refresh()` on a loaded manager', fig(r.concurrency.refresh.requests, String), fig(r.concurrency.refresh.distinctSnapshots, String)],
        ['50 `load()` + 50 `refresh()` interleaved, fresh', fig(r.concurrency.mixed.requests, String), fig(r.concurrency.mixed.distinctSnapshots, String)],
      ],
    ),
    '',
  );

  // 5. memory
  const mem = r.memory;
  const phaseLabel = {
    control: 'control: nothing (measurement noise)',
    subscribe: `${mem.phases.subscribe.cycles.toLocaleString('en')} subscribe/unsubscribe cycles`,
    refresh: `${mem.phases.refresh.cycles.toLocaleString('en')} refreshes with changing data (benchApplyAnswer, a 10-session body, each newer)`,
    create: `${mem.phases.create.cycles.toLocaleString('en')} create/dispose cycles (createClientManager, subscribe, load() over the network, dispose)`,
  };
  out.push(
    '## 5. Memory',
    '',
    'Growth across each loop after a 1% warm-up, measured after two forced GCs through the DevTools protocol ' +
      '(`HeapProfiler.collectGarbage`, `Runtime.getHeapUsage().usedSize`) and from the wasm memory ' +
      "(`memory.buffer.byteLength` of the glue's instance exports). The refreshes use `benchApplyAnswer` (the real " +
      'answer path without the network: 10,000 network round trips would take minutes on this machine); the create/dispose ' +
      `cycles do a real \`load()\`. JS heap noise threshold: ${heapNoise(mem)} bytes.`,
    '',
    table(
      ['loop', 'wasm memory growth', 'JS heap growth', 'per cycle (heap)', 'time'],
      Object.entries(mem.phases).map(([p, v]) => [
        phaseLabel[p],
        fig(v.wasmGrowth, bytes),
        fig(v.heapGrowth, bytes),
        v.cycles ? `${(v.heapGrowth.median / v.cycles).toFixed(2)} B` : '–',
        fig(v.ms, ms),
      ]),
    ),
    '',
    `Wasm memory ${mem.start.wasm} → ${mem.end.wasm} bytes over the whole memory run; JS heap ${mem.start.heap} → ${mem.end.heap} bytes.`,
    '',
  );

  // 6. start-up
  const st = r.startup;
  out.push(
    '## 6. Start-up',
    '',
    'A fresh browser context per sample (cold HTTP cache, cold connection to the API), signed in: importing `/pkg/index.js` ' +
      '(the entry, glue and snippets), then `createClientManager()` until it resolves (wasm fetch, compile, instantiate, ' +
      'construct), then the first `load()` (a signed-in client with one session).',
    '',
    table(
      ['step', 'time'],
      [
        ['import the entry module', fig(st.importMs, ms)],
        ['`createClientManager()` → ready', fig(st.readyMs, ms)],
        ['first `load()`', fig(st.firstLoadMs, ms)],
      ],
    ),
    '',
  );

  // 7. size
  const own = r.size.own;
  out.push(
    '## 7. Size',
    '',
    table(
      ['package', 'file and method', 'raw', 'gzip -9'],
      [
        ['**fapi-session** (as shipped)', own.shippedHow, `${own.shipped.raw}`, `**${own.shipped.gzip}** (${kb(own.shipped.gzip)})`],
        ['↳ of which the wasm', '`fapi_session_bg.wasm`', `${own.wasm.raw}`, `${own.wasm.gzip} (${kb(own.wasm.gzip)})`],
        ['**fapi-session** (JS minified)', own.minifiedHow, `${own.minified.raw}`, `**${own.minified.gzip}** (${kb(own.minified.gzip)})`],
        ...r.size.peers.map((p) => [`${p.name} ${p.version}`, `\`${p.file}\`: ${p.what}; ${p.how}`, `${p.raw}`, `${p.gzip} (${kb(p.gzip)})`]),
      ],
    ),
    '',
    'Peers come from `npm pack NAME@VERSION` (versions pinned in `bench/peers.json`) into `target/bench/peers/`. ' +
      'Files that ship minified are measured as they are (re-minifying them with esbuild made them larger); unminified ones ' +
      'are bundled and minified with esbuild (bench/package.json pins it), their npm dependencies left out. Sizes in bytes; KB = 1024 bytes.',
    '',
  );
  if (r.peer) out.push(peerSection(r));
  return out.join('\n');
}

export function writeReport(r, files, root) {
  const svg = ratioChart(chartBars(r), `fapi-session benchmarks: ratios (${r.machine.date.slice(0, 10)}, Chromium ${r.machine.chromium})`);
  writeFileSync(files.svg, svg);
  let md = renderMarkdown(r, files.svg, dirname(files.md));
  const analysis = join(root, 'bench', 'analysis.md');
  if (existsSync(analysis)) md += '\n' + readFileSync(analysis, 'utf8');
  writeFileSync(files.md, md.endsWith('\n') ? md : md + '\n');
}
