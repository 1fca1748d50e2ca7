// The benchmark harness's pure parts (bench/lib): statistics and the chart. A bad figure (a
// baseline sample that read 0 on a busy machine) must give a clear error or a bounded chart,
// never an endless axis loop: that once ran the runner out of heap in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairedRatio, summary } from '../../bench/lib/stats.mjs';
import { ratioChart } from '../../bench/lib/svg.mjs';

test('summary: median, min, max and n of the samples', () => {
  assert.deepEqual(summary([3, 1, 2]), { median: 2, min: 1, max: 3, n: 3 });
  assert.deepEqual(summary([4, 1, 2, 3]), { median: 2.5, min: 1, max: 4, n: 4 });
  assert.throws(() => summary([]), /no values/);
});

test('pairedRatio: per-pair ratios; a zero or missing baseline is an error, not Infinity', () => {
  assert.deepEqual(pairedRatio([2, 6, 3], [1, 2, 3]), { median: 2, min: 1, max: 3, n: 3 });
  assert.throws(() => pairedRatio([2, 5], [1, 0]), /no finite ratio \(pair 1\)/);
  assert.throws(() => pairedRatio([0], [0]), /no finite ratio/);
});

const axisTicks = (svg) => (svg.match(/<text [^>]*text-anchor="middle"[^>]*>[^<]*x<\/text>/g) || []).length;

test('ratioChart: the axis spans the finite values, bounded to 2^-20..2^20', () => {
  const fine = { group: 'g', label: 'fine', median: 1.5, min: 1.2, max: 3, target: 1.5 };
  const svg = ratioChart([fine], 't');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(axisTicks(svg), 4, '1/2x, 1x, 2x, 4x');
  const extreme = ratioChart([fine, { group: 'g', label: 'huge', median: 1e300, min: 1e-300, max: 1e300 }], 't');
  assert.equal(axisTicks(extreme), 41, 'ticks from 1/2^20x to 2^20x, no more');
  assert.doesNotMatch(extreme, /NaN|Infinity/);
});

test('ratioChart: an infinite value ends (the axis ignores it) instead of looping', () => {
  const svg = ratioChart([{ group: 'g', label: 'infinite', median: Infinity, min: 3, max: Infinity }], 't');
  assert.equal(axisTicks(svg), 4, 'axis from the finite min (3): 1/2x..4x');
  assert.doesNotMatch(svg.replace(/>Infinityx</g, '><'), /NaN|Infinity/);
});
