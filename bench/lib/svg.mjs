// The chart of the main ratios (bench/ratios.svg), written by hand: horizontal bars on a
// logarithmic axis, 1x marked, each bar its median with a min-max whisker and, where the
// issue sets one, the target as a red tick.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * @param {{label: string, group: string, median: number, min: number, max: number,
 *          target?: number, note?: string}[]} bars ratios (1 = equal to the baseline)
 * @param {string} title
 */
export function ratioChart(bars, title) {
  const left = 250;
  const width = 820;
  const plot = width - left - 110;
  const rowH = 24;
  const top = 58;
  const groups = [...new Set(bars.map((b) => b.group))];
  const values = bars.flatMap((b) => [b.min, b.max, b.target ?? b.median]).filter((v) => Number.isFinite(v) && v > 0);
  // The axis: powers of two around every value, at most 2^-20..2^20 (a chart of 40 ticks).
  const lo = 2 ** Math.max(-20, Math.floor(Math.log2(Math.min(0.5, ...values))));
  const hi = 2 ** Math.min(20, Math.ceil(Math.log2(Math.max(2, ...values))));
  const px = (v) => left + (plot * (Math.log2(Math.min(Math.max(v, lo), hi)) - Math.log2(lo))) / (Math.log2(hi) - Math.log2(lo));
  const height = top + (bars.length + groups.length) * rowH + 40;
  const parts = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600">${esc(title)}</text>`,
    `<text x="12" y="40" fill="#555">fapi-session / baseline (median; whisker: min-max; red tick: target; log scale; left of 1x = faster or smaller)</text>`,
  );
  const axisBottom = height - 28;
  for (let v = lo; v <= hi; v *= 2) {
    const x = px(v).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${axisBottom}" stroke="${v === 1 ? '#333' : '#e3e3e3'}" stroke-width="${v === 1 ? 1.5 : 1}"/>`,
      `<text x="${x}" y="${axisBottom + 14}" text-anchor="middle" fill="#555">${v >= 1 ? v : `1/${1 / v}`}x</text>`,
    );
  }
  let y = top;
  for (const group of groups) {
    parts.push(`<text x="12" y="${y + 14}" font-weight="600">${esc(group)}</text>`);
    y += rowH;
    for (const b of bars.filter((b) => b.group === group)) {
      const x0 = px(Math.min(1, b.median));
      const x1 = px(Math.max(1, b.median));
      const missed = b.target !== undefined && b.median > b.target;
      const fill = b.target === undefined ? '#7a8fb3' : missed ? '#d9822b' : '#4c9a6a';
      parts.push(
        `<text x="24" y="${y + 15}">${esc(b.label)}</text>`,
        `<rect x="${x0.toFixed(1)}" y="${y + 5}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${rowH - 10}" fill="${fill}"/>`,
        `<line x1="${px(b.min).toFixed(1)}" y1="${y + rowH / 2}" x2="${px(b.max).toFixed(1)}" y2="${y + rowH / 2}" stroke="#222"/>`,
        `<line x1="${px(b.min).toFixed(1)}" y1="${y + 8}" x2="${px(b.min).toFixed(1)}" y2="${y + rowH - 8}" stroke="#222"/>`,
        `<line x1="${px(b.max).toFixed(1)}" y1="${y + 8}" x2="${px(b.max).toFixed(1)}" y2="${y + rowH - 8}" stroke="#222"/>`,
      );
      if (b.target !== undefined) {
        const t = px(b.target).toFixed(1);
        parts.push(`<line x1="${t}" y1="${y + 2}" x2="${t}" y2="${y + rowH - 2}" stroke="#c0392b" stroke-width="2.5"/>`);
      }
      parts.push(
        `<text x="${width - 100}" y="${y + 15}" fill="${missed ? '#b35900' : '#222'}">${b.median.toFixed(2)}x${b.note ? ` ${esc(b.note)}` : ''}</text>`,
      );
      y += rowH;
    }
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
