/**
 * What a load run samples beside its HDR histogram, for the pictures of `kvmesh bench --html`:
 * calls per latency bin (10 bins a decade, exact counts: the HDR histogram keeps its buckets to
 * itself) and ops finished per interval of the run. Plain arrays, so a client thread's samples
 * cross by structured clone and merge by adding.
 */

/** Latency bins a decade: bin `i` holds calls of 10^(i/10) ns to 10^((i+1)/10) ns. */
export const BINS_PER_DECADE = 10;
/** Bins up to 10^13 ns (about 2.8 hours): every latency a run can record. */
const BINS = 13 * BINS_PER_DECADE;
/** At most this many throughput intervals a run, whatever its length. */
const MAX_INTERVALS = 300;

/** A run's samples. */
export interface Samples {
  /** Calls per latency bin (see BINS_PER_DECADE). */
  readonly bins: number[];
  readonly intervalMs: number;
  /** Ops finished in each interval since the run started (the last holds calls that were in flight at the deadline). */
  readonly ops: number[];
}

/** Empty samples for a run of `durationMs`: intervals of 100 ms, longer when the run has more than MAX_INTERVALS of them. */
export function newSamples(durationMs: number): Samples {
  const intervals = Math.max(1, Math.min(MAX_INTERVALS, Math.round(durationMs / 100)));
  return { bins: new Array<number>(BINS).fill(0), intervalMs: durationMs / intervals, ops: new Array<number>(intervals).fill(0) };
}

/** Records one call of `ops` ops that took `latencyMs` and finished `atMs` after the run started. */
export function recordSample(s: Samples, latencyMs: number, atMs: number, ops: number): void {
  const bin = Math.floor(BINS_PER_DECADE * Math.log10(Math.max(1, latencyMs * 1e6)));
  const b = Math.min(BINS - 1, bin);
  s.bins[b] = (s.bins[b] ?? 0) + 1;
  const slot = Math.min(s.ops.length - 1, Math.max(0, Math.floor(atMs / s.intervalMs)));
  s.ops[slot] = (s.ops[slot] ?? 0) + ops;
}

/** Adds `from` into `into` (runs of one length, as the threads of one scenario are). */
export function addSamples(into: Samples, from: Samples): void {
  from.bins.forEach((n, i) => (into.bins[i] = (into.bins[i] ?? 0) + n));
  from.ops.forEach((n, i) => (into.ops[i] = (into.ops[i] ?? 0) + n));
}

/** The latency distribution as the JSON keeps it: the non-empty range of bins, edges in µs (4 significant figures). */
export interface LatencyBins {
  /** `counts.length + 1` edges: bin `i` is `[edgesUs[i], edgesUs[i + 1])`. */
  readonly edgesUs: readonly number[];
  readonly counts: readonly number[];
}

/** The bins of `s` from its first non-empty one to its last. */
export function latencyBins(s: Samples): LatencyBins {
  const first = s.bins.findIndex((n) => n > 0);
  if (first === -1) return { edgesUs: [], counts: [] };
  const last = s.bins.length - 1 - [...s.bins].reverse().findIndex((n) => n > 0);
  const edge = (i: number): number => Number((10 ** (i / BINS_PER_DECADE) / 1000).toPrecision(4));
  return { edgesUs: Array.from({ length: last - first + 2 }, (_, k) => edge(first + k)), counts: s.bins.slice(first, last + 1) };
}

/** Throughput over the run as the JSON keeps it. */
export interface Throughput {
  readonly intervalMs: number;
  /** Ops per second in each interval. */
  readonly opsPerSec: readonly number[];
}

/** The ops of each interval of `s` as a rate. */
export function throughput(s: Samples): Throughput {
  return { intervalMs: Number(s.intervalMs.toFixed(3)), opsPerSec: s.ops.map((n) => Math.round(n / (s.intervalMs / 1000))) };
}
