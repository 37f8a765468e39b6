/** The figures of one `kvmesh bench` scenario, and the readable table of them. */

/** One scenario's figures, as printed and as written by `--json`. */
export interface ScenarioFigures {
  readonly scenario: string;
  readonly workload: string;
  readonly batch: number;
  readonly inflight: number;
  readonly clients: number;
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  /** Per call (a single op, or a whole batch), in µs. */
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  /** Data-plane messages (requests, replies, forwards) per op, all threads. */
  readonly messagesPerOp: number;
  /** postMessage calls per op, all threads (below messagesPerOp when frames carry several messages). */
  readonly postsPerOp: number;
  /** Forwards per op (0 when every op enters at its owner). */
  readonly hopsPerOp: number;
  readonly errors: number;
  readonly firstError: string | undefined;
}

const num = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const rate = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));

/** The scenarios as an aligned text table. */
export function formatReport(rows: readonly ScenarioFigures[]): string {
  const head = ['scenario', 'ops/s', 'p50 µs', 'p99 µs', 'p99.9 µs', 'msgs/op', 'posts/op', 'hops/op', 'errors'];
  const cells = rows.map((r) => [r.scenario, rate(r.opsPerSec), num(r.p50Us, 0), num(r.p99Us, 0), num(r.p999Us, 0), num(r.messagesPerOp, 2), num(r.postsPerOp, 3), num(r.hopsPerOp, 2), String(r.errors)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i] as number) : x.padStart(widths[i] as number))).join('  ');
  return [line(head), ...cells.map(line)].join('\n');
}

/** A one-line progress bar, for a TTY only. */
export function progressBar(label: string, fraction: number, width = 30): string {
  const f = Math.max(0, Math.min(1, fraction));
  const done = Math.round(f * width);
  return `\r${label} [${'#'.repeat(done)}${' '.repeat(width - done)}] ${(f * 100).toFixed(0).padStart(3)}%`;
}
