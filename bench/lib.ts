/** Measuring helpers shared by the benchmark scenarios: latency loops, closed-loop throughput, medians, the table. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** p-th percentile (0..1) of an ascending array. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

/** The median of some numbers (NaN-free). */
export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Round-trip latency in µs of `n` sequential calls after `warm` warm-up calls. */
export async function latency(call: (i: number) => Promise<unknown>, n = 20_000, warm = 2_000): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < warm; i++) await call(i);
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call(i);
    samples[i] = (performance.now() - t0) * 1000;
  }
  samples.sort();
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

/**
 * Closed loop: `lanes` callers each keep one call in flight for `ms` after `warmMs` of warm-up.
 * Returns ops/s, counting `opsPerCall` ops per call (a batch).
 */
export async function throughput(lanes: number, call: (i: number) => Promise<unknown>, opsPerCall = 1, ms = 1_500, warmMs = 300): Promise<number> {
  let calls = 0;
  let stop = false;
  let seq = 0;
  const lane = async (): Promise<void> => {
    while (!stop) {
      await call(seq++);
      calls++;
    }
  };
  const running = Array.from({ length: lanes }, lane);
  await new Promise((r) => setTimeout(r, warmMs));
  calls = 0;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const done = calls;
  const elapsed = performance.now() - t0;
  stop = true;
  await Promise.all(running);
  return (done * opsPerCall) / (elapsed / 1000);
}

// A collector to call before memory readings, without needing `node --expose-gc` in `npm run bench`.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Resident set size of the process, in bytes, after a full collection of the main thread. */
export function rss(): number {
  collect();
  collect();
  return process.memoryUsage.rss();
}

/** Waits `ms`. Benchmarks only: lets threads settle before a memory reading. */
export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Which way is better for a figure: lower (latency, time, memory) or higher (ops/s). */
export type Better = 'lower' | 'higher';

/** What identifies a row (the table is built from these). */
export interface RowKey {
  readonly group: string;
  readonly name: string;
  readonly unit: string;
  readonly better: Better;
  readonly floorName: string;
  readonly target?: { text: string; met: (ratio: number, value: number) => boolean };
}

/** Records one figure and its floor for this round. */
export type Record = (key: RowKey, floor: number, value: number) => void;

/** A target on the ratio (kvmesh / floor): at most `x`. */
export const ratioAtMost = (x: number): NonNullable<RowKey['target']> => ({ text: `≤ ${x}x`, met: (r) => r <= x });

/** A target on the ratio (kvmesh / floor): at least `x`. */
export const ratioAtLeast = (x: number): NonNullable<RowKey['target']> => ({ text: `≥ ${x}x`, met: (r) => r >= x });

/** One row of the table: a kvmesh figure next to its floor, one value per round. */
export interface Row extends RowKey {
  readonly floor: number[];
  readonly value: number[];
}

/** Formats a figure compactly: 12.3, 1.23k, 4.56M. */
export function fmt(x: number, unit: string): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (unit === 'ops/s') return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** The medians table, one line per row: figure, floor, ratio (figure / floor), target. */
export function formatTable(rows: readonly Row[]): string {
  const head = ['measure', 'kvmesh', 'floor', 'ratio', 'target'];
  const lines = rows.map((r) => {
    const v = median(r.value);
    const f = median(r.floor);
    const ratio = v / f;
    const target = r.target === undefined ? '' : `${r.target.text} ${Number.isFinite(ratio) ? (r.target.met(ratio, v) ? 'met' : 'MISSED') : ''}`;
    return [`${r.group}: ${r.name}`, `${fmt(v, r.unit)} ${r.unit}`, `${fmt(f, r.unit)} (${r.floorName})`, Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : 'n/a', target];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...lines.map(line)].join('\n');
}
