// Summaries of repeated measurements: every figure is reported as median, min and max of n.

/** `{median, min, max, n}` of a list of numbers. */
export function summary(values) {
  if (!values.length) throw new Error('summary of no values');
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/**
 * The ratio a/b of two paired lists of samples (taken alternately): median, min and max of
 * the per-pair ratios, so noise that hit both halves of a pair cancels.
 */
export function pairedRatio(a, b) {
  const n = Math.min(a.length, b.length);
  const ratios = [];
  for (let i = 0; i < n; i++) {
    const r = a[i] / b[i];
    // A baseline sample of 0 (below the timer's resolution) has no meaningful ratio: say so
    // rather than carry an Infinity or NaN into the report.
    if (!Number.isFinite(r) || !(b[i] > 0)) throw new Error(`pairedRatio: ${a[i]} / ${b[i]} has no finite ratio (pair ${i})`);
    ratios.push(r);
  }
  return summary(ratios);
}
