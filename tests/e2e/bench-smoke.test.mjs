// The benchmark harness (make bench) run once with 1 repetition of every measurement, into a
// temporary folder: it must finish and its results must hold every figure, so the harness
// cannot rot between benchmark runs (section 8, beside clerk-js, too: every ratio of its
// table present and finite). The figures themselves are not judged here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './lib/apps.mjs';
import { ROOT } from './lib/paths.mjs';

const isSummary = (s) =>
  s && ['median', 'min', 'max', 'n'].every((k) => typeof s[k] === 'number' && Number.isFinite(s[k])) && s.n >= 1;

test('bench harness: scripts/bench.sh --quick writes every figure, the report and the chart', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'fapi-bench-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  await run(join(ROOT, 'scripts', 'bench.sh'), ['--quick', '--out', out], { cwd: ROOT, timeoutMs: 600_000 });
  const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.equal(r.quick, true);

  for (const k of ['cpu', 'cores', 'chromium', 'node', 'date']) assert.ok(r.machine[k], `machine.${k}`);
  // 1. update cost
  for (const size of ['1', '10', '100']) {
    const u = r.update[size];
    assert.ok(u, `update[${size}]`);
    for (const c of ['changed', 'identical']) {
      for (const f of ['manager', 'floor', 'ratio']) assert.ok(isSummary(u[c][f]), `update[${size}].${c}.${f}`);
    }
    assert.equal(u.checks.changed.events, 1, 'a changed answer notifies once');
    assert.equal(u.checks.identical.events, 0, 'an identical answer notifies no one');
  }
  // 2. refresh
  for (const c of ['changed', 'identical']) {
    for (const f of ['manager', 'floor', 'ratio']) assert.ok(isSummary(r.refresh[c][f]), `refresh.${c}.${f}`);
  }
  // 3. reads
  for (const k of ['plainProperty', 'getSnapshot', 'getSnapshotUnbound', 'client', 'session', 'user', 'rawGetSnapshot']) {
    assert.ok(isSummary(r.reads.ns[k]), `reads.ns.${k}`);
    if (k !== 'plainProperty') assert.ok(isSummary(r.reads.ratio[k]) && r.reads.ratio[k].min > 0, `reads.ratio.${k}`);
  }
  // 4. concurrency
  for (const k of ['load', 'refresh', 'mixed']) assert.ok(isSummary(r.concurrency[k].requests), `concurrency.${k}`);
  // 5. memory
  for (const p of ['control', 'subscribe', 'refresh', 'create']) {
    for (const f of ['wasmGrowth', 'heapGrowth', 'ms']) assert.ok(isSummary(r.memory.phases[p][f]), `memory.${p}.${f}`);
  }
  // 6. start-up
  for (const k of ['importMs', 'readyMs', 'firstLoadMs']) assert.ok(isSummary(r.startup[k]), `startup.${k}`);
  assert.equal(r.startup.signedIn, true);
  // 7. size
  assert.ok(r.size.own.shipped.gzip > 0 && r.size.own.minified.gzip > 0);
  assert.deepEqual(
    r.size.peers.map((p) => p.name).sort(),
    ['@auth0/auth0-spa-js', '@clerk/clerk-js', '@firebase/auth', '@supabase/auth-js', 'oidc-client-ts'],
  );
  for (const p of r.size.peers) assert.ok(p.raw > p.gzip && p.gzip > 1000, `${p.name} measured`);
  // 8. fapi-session / clerk-js: every ratio of the table present and finite
  const peer = r.peer;
  assert.ok(peer, 'peer');
  for (const c of ['fapi-session', 'clerk-js']) assert.ok(isSummary(peer.startup[c].readyMs), `peer.startup.${c}`);
  const peerRows = [
    peer.startup.ratio,
    ...['1', '10', '100'].flatMap((n) => ['changed', 'identical'].map((k) => peer.apply.sizes[n][k].ratio)),
    peer.apply.listenerCalls.identical.ratio,
    peer.idle['1'].ratio,
    peer.idle['100'].ratio,
    peer.tabs.ratio,
    peer.size.ratio,
  ];
  assert.equal(peerRows.length, 12);
  for (const [i, q] of peerRows.entries()) assert.ok(isSummary(q) && q.min >= 0, `peer ratio ${i}: ${JSON.stringify(q)}`);
  assert.equal(peer.apply.listenerCalls.changed['fapi-session'], 1, 'fapi-session: one listener call per changed answer');
  assert.equal(peer.apply.listenerCalls.identical['fapi-session'], 0, 'fapi-session: none for an identical one');
  assert.ok(peer.idle['100']['clerk-js'].focused && peer.idle['100']['fapi-session'].focused, 'the idle tabs had the focus');
  // targets, report, chart
  assert.equal(r.targets.length, 8);
  for (const t of r.targets) assert.equal(typeof t.met, 'boolean', t.name);
  const md = readFileSync(join(out, 'BENCHMARKS.md'), 'utf8');
  for (const h of ['## Targets', '## Machine', '## 1. Update cost', '## 7. Size', '## 8. fapi-session / clerk-js']) assert.ok(md.includes(h), h);
  // The section's first table (bench/analysis.md, appended after it, has tables of its own).
  const peerLines = md.split('## 8. fapi-session / clerk-js')[1].split('\n');
  const tableAt = peerLines.findIndex((l) => l.startsWith('| '));
  const tableEnd = peerLines.findIndex((l, i) => i > tableAt && !l.startsWith('|'));
  const peerTable = peerLines.slice(tableAt, tableEnd).filter((l) => l.startsWith('| '));
  assert.equal(peerTable[0], '| measure | fapi-session | clerk-js | fapi-session / clerk-js |');
  assert.ok(peerTable.length >= 13, `the table has every row:\n${peerTable.join('\n')}`);
  for (const row of peerTable.slice(1)) assert.match(row.split('|').at(-2), /^ \d+\.\d\dx/, `a finite ratio: ${row}`);
  assert.ok(existsSync(join(out, 'ratios.svg')));
  assert.match(readFileSync(join(out, 'ratios.svg'), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
});
