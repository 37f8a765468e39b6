/**
 * What a scenario report's time axis needs, from the run's record: the workload's requests per
 * time bin (50 to 120 bins of round whole ms from the workload's start to the run's end), completed
 * ok, failed, with no answer (info) or with no bucket, and the p50/p99 latency of those invoked
 * in each bin; their latency distribution (10 bins a decade); and for each fault until when
 * what it did lasted (a partition to the next heal, a link's settings to the next clear). Pure.
 */
import type { HistoryOp } from './history.js';
import { quantile, round } from './numbers.js';
import type { Fault } from './spec.js';

/** At most this many bins over a run (at least 2/5 of it: bins are 1, 2, 2.5 or 5 × 10ⁿ ms). */
const BINS = 120;
/** Latency bins a decade. */
const PER_DECADE = 10;

/** The workload's requests over the run, in bins of `binMs` (bin `i` holds `[start + i·binMs, start + (i+1)·binMs)`). */
export interface OverTime {
  readonly binMs: number;
  /** Requests that completed in each bin: ok, failed (surely not applied), info (no answer: timed out, node down), noBucket (KV_ERR_NO_BUCKET). */
  readonly ok: readonly number[];
  readonly failed: readonly number[];
  readonly info: readonly number[];
  readonly noBucket: readonly number[];
  /** Latency quantiles (ms) of the requests invoked in each bin; null where none was. */
  readonly p50Ms: readonly (number | null)[];
  readonly p99Ms: readonly (number | null)[];
}

/** The workload's latencies (ms): `counts.length + 1` edges, bin `i` holding `[edgesMs[i], edgesMs[i + 1])`, from the first non-empty bin to the last. */
export interface LatencyBins {
  readonly edgesMs: readonly number[];
  readonly counts: readonly number[];
}

/** One fault as it happened (the runner's record). */
export interface FaultRecord {
  readonly index: number;
  readonly atMs: number;
  readonly what: string;
  /** When it started and ended (virtual or real ms), and an error if it failed. */
  readonly at: number;
  readonly done: number;
  readonly error?: string;
}

/** A fault with `until`: when what it did ended (its `at` for a kill or a pause, its `done` for a heal, a clear, a resume or a table). */
export interface FaultSpan extends FaultRecord {
  readonly until: number;
}

const COUNTED = { ok: 'ok', fail: 'failed', info: 'info', nobucket: 'noBucket' } as const;

/** The round width (1, 2, 2.5 or 5 × 10ⁿ ms, whole) that cuts `spanMs` into at most BINS bins. */
export function binWidth(spanMs: number): number {
  const raw = spanMs / BINS;
  if (!(raw > 1) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((w) => w >= raw && Number.isInteger(w)) ?? 10 * power;
}

/** The requests of the workload (`phase` run) of `history` over `[start, end]`. */
export function overTime(history: readonly HistoryOp[], start: number, end: number): OverTime {
  const binMs = binWidth(end - start);
  const n = Math.max(1, Math.ceil((end - start) / binMs));
  const counts = { ok: new Array<number>(n).fill(0), failed: new Array<number>(n).fill(0), info: new Array<number>(n).fill(0), noBucket: new Array<number>(n).fill(0) };
  const latencies = Array.from({ length: n }, (): number[] => []);
  const bin = (t: number): number => Math.min(n - 1, Math.max(0, Math.floor((t - start) / binMs)));
  for (const h of history) {
    if (h.phase !== 'run' || h.outcome === undefined || !Number.isFinite(h.complete)) continue;
    const c = counts[COUNTED[h.outcome.type]];
    c[bin(h.complete)] = (c[bin(h.complete)] ?? 0) + 1;
    latencies[bin(h.invoke)]?.push(h.complete - h.invoke);
  }
  const sorted = latencies.map((l) => l.sort((a, b) => a - b));
  const at = (q: number) => sorted.map((l) => (l.length === 0 ? null : quantile(l, q)));
  return { binMs, ...counts, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** The latencies of the workload's completed requests in bins of 10 a decade (under 1 µs counted in the bin from 1 µs). */
export function latencyBins(history: readonly HistoryOp[]): LatencyBins {
  const counts = new Map<number, number>();
  for (const h of history) {
    if (h.phase !== 'run' || !Number.isFinite(h.complete)) continue;
    const b = Math.floor(PER_DECADE * Math.log10(Math.max(1e-3, h.complete - h.invoke)));
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  if (counts.size === 0) return { edgesMs: [], counts: [] };
  const first = Math.min(...counts.keys());
  const last = Math.max(...counts.keys());
  const edge = (b: number): number => Number((10 ** (b / PER_DECADE)).toPrecision(4));
  return { edgesMs: Array.from({ length: last - first + 2 }, (_, k) => edge(first + k)), counts: Array.from({ length: last - first + 1 }, (_, k) => counts.get(first + k) ?? 0) };
}

/**
 * Each fault of `records` with until when it lasted: a partition to the next heal or clear, a
 * link's settings to the next clear or link of the same direction, either of them otherwise to
 * `clearedAt` (the workload's end when the final reads clear every fault, else the run's end);
 * a kill or a pause is an instant; the others last from `at` to `done`.
 */
export function faultSpans(faults: readonly Fault[], records: readonly FaultRecord[], clearedAt: number): FaultSpan[] {
  const kinds = new Map(faults.map((f) => [f.index, f]));
  const later = (r: FaultRecord, o: FaultRecord): boolean => o.at > r.at || (o.at === r.at && o.index > r.index);
  return records.map((r) => {
    const f = kinds.get(r.index);
    if (f === undefined || f.kind === 'kill' || f.kind === 'pause') return { ...r, until: r.at };
    if (r.error !== undefined || (f.kind !== 'partition' && f.kind !== 'link')) return { ...r, until: r.done };
    const ends = (o: FaultRecord): boolean => {
      const g = kinds.get(o.index);
      if (g === undefined || o.error !== undefined || !later(r, o)) return false;
      if (g.kind === 'clear') return true;
      return f.kind === 'partition' ? g.kind === 'heal' : g.kind === 'link' && g.from === f.from && g.to === f.to;
    };
    const end = Math.min(...records.filter(ends).map((o) => o.at));
    return { ...r, until: round(Math.max(r.done, Number.isFinite(end) ? end : clearedAt), 6) };
  });
}
