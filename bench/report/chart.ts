import type { BenchResults, ScenarioResult } from './report.js';

/**
 * A dependency-free SVG: throughput bars for the main comparison (left) and latency for the
 * concurrency sweep (right: bar to p50, whisker to p99, tick at p90, log scale).
 */
const COLORS: Record<string, string> = { ceiling: '#9aa5b1', peer: '#e8a23a', ours: '#2f7ed8' };
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(results: BenchResults): string {
  const measured = results.main.filter((row) => row.median !== undefined);
  const latency = results.latency.filter((row) => row.median !== undefined);
  const rowH = 22;
  const top = 56;
  const leftH = top + measured.length * rowH + 40;
  const rightH = top + latency.length * (rowH - 6) + 40 + 12 * 3;
  const height = Math.max(leftH, rightH, 200);
  const width = 1200;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="22" font-size="15" font-weight="bold">tools/call throughput, ${String(results.config['connections'])} clients (median req/s)</text>`,
    `<text x="640" y="22" font-size="15" font-weight="bold">Latency against concurrent clients (ms, log scale)</text>`,
    `<text x="16" y="40" fill="#555">${esc(`${String(results.machine['cpus'])} cores, Node ${String(results.machine['node'])}, ${results.date.slice(0, 10)}`)}</text>`,
  ];
  // Left: throughput.
  const maxRps = Math.max(1, ...measured.map((row) => row.median!.rps));
  const labelW = 230;
  const barMax = 560 - labelW - 70;
  measured.forEach((row, index) => {
    const y = top + index * rowH;
    const w = Math.max(1, (row.median!.rps / maxRps) * barMax);
    out.push(
      `<text x="${16 + labelW - 6}" y="${y + 14}" text-anchor="end">${esc(row.label)}</text>`,
      `<rect x="${16 + labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 7}" fill="${COLORS[row.group]}"/>`,
      `<text x="${16 + labelW + w + 4}" y="${y + 14}">${Math.round(row.median!.rps).toLocaleString('en-US')}</text>`,
    );
  });
  const legendY = top + measured.length * rowH + 18;
  Object.entries(COLORS).forEach(([group, color], index) => {
    const x = 16 + labelW + index * 110;
    out.push(
      `<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${color}"/>`,
      `<text x="${x + 16}" y="${legendY}">${group}</text>`,
    );
  });
  // Right: latency, grouped by concurrency.
  const all = latency.flatMap((row) => [row.median!.p50, row.median!.p99]).filter((value) => value > 0);
  const lo = Math.log10(Math.max(0.05, Math.min(...all, 1)));
  const hi = Math.log10(Math.max(...all, 10));
  const x0 = 640 + 200;
  const span = 1180 - x0;
  const xOf = (ms: number) => x0 + ((Math.log10(Math.max(ms, 10 ** lo)) - lo) / (hi - lo || 1)) * span;
  let y = top;
  let lastConnections: number | undefined;
  const rowL = rowH - 6;
  for (const row of latency as ScenarioResult[]) {
    if (row.connections !== lastConnections) {
      out.push(
        `<text x="640" y="${y + 12}" font-weight="bold">${row.connections} client${row.connections === 1 ? '' : 's'}</text>`,
      );
      y += 14;
      lastConnections = row.connections;
    }
    const m = row.median!;
    out.push(
      `<text x="${x0 - 6}" y="${y + 11}" text-anchor="end">${esc(row.label)}</text>`,
      `<rect x="${x0}" y="${y + 3}" width="${(xOf(m.p50) - x0).toFixed(1)}" height="${rowL - 7}" fill="${COLORS[row.group]}"/>`,
      `<line x1="${xOf(m.p50).toFixed(1)}" x2="${xOf(m.p99).toFixed(1)}" y1="${y + rowL / 2}" y2="${y + rowL / 2}" stroke="#333"/>`,
      `<line x1="${xOf(m.p90).toFixed(1)}" x2="${xOf(m.p90).toFixed(1)}" y1="${y + 3}" y2="${y + rowL - 4}" stroke="#333"/>`,
      `<line x1="${xOf(m.p99).toFixed(1)}" x2="${xOf(m.p99).toFixed(1)}" y1="${y + 2}" y2="${y + rowL - 3}" stroke="#c0392b" stroke-width="2"/>`,
    );
    y += rowL;
  }
  for (let decade = Math.ceil(lo); decade <= Math.floor(hi); decade++) {
    const x = xOf(10 ** decade);
    out.push(
      `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${x.toFixed(1)}" y="${y + 14}" text-anchor="middle" fill="#555">${10 ** decade}</text>`,
    );
  }
  out.push(`<text x="${x0}" y="${y + 30}" fill="#555">bar: p50 · tick: p90 · red: p99</text>`, '</svg>');
  return `${out.join('\n')}\n`;
}
