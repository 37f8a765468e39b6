/**
 * Latencies in Node's HDR histogram (`perf_hooks.createHistogram()`): it records true values
 * (3 significant figures, in ns here) in constant memory, and merges with `add()`. A histogram
 * crosses threads by structured clone, so client threads send theirs back whole.
 */
import { createHistogram } from 'node:perf_hooks';
import type { RecordableHistogram } from 'node:perf_hooks';

/** A latency histogram in ns (1 ns to 1 hour). */
export function latencyHistogram(): RecordableHistogram {
  return createHistogram({ lowest: 1, highest: 3_600_000_000_000, figures: 3 });
}

/** Records a latency of `ms` milliseconds (a `performance.now()` difference). */
export function recordMs(h: RecordableHistogram, ms: number): void {
  h.record(Math.max(1, Math.round(ms * 1e6)));
}

/** The percentiles the JSON keeps of every histogram: the same points in every run, so two runs compare point by point. */
export const PERCENTILES = [0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100] as const;

/** A latency distribution in µs, to 4 significant figures (what a 3-figure histogram resolves). */
export interface LatencySummary {
  readonly count: number;
  readonly minUs: number;
  readonly meanUs: number;
  readonly stddevUs: number;
  readonly maxUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  /** µs at each of `PERCENTILES`, keyed `p0` … `p99.99`, `p100` (the histogram, as a distribution). */
  readonly percentiles: Readonly<Record<string, number>>;
}

/** `x` rounded to 4 significant figures (56.31, 311.2, 1005, 12910); NaN stays NaN. */
export function fourFigures(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(4)) : x;
}

/** The summary of a histogram of ns; every figure NaN when it is empty. */
export function summarize(h: RecordableHistogram): LatencySummary {
  const us = (ns: number): number => (h.count === 0 ? NaN : fourFigures(ns / 1000));
  return {
    count: h.count,
    minUs: us(h.min),
    meanUs: us(h.mean),
    stddevUs: us(h.stddev),
    maxUs: us(h.max),
    p50Us: us(h.percentile(50)),
    p99Us: us(h.percentile(99)),
    p999Us: us(h.percentile(99.9)),
    percentiles: Object.fromEntries(PERCENTILES.map((p) => [`p${p}`, us(p === 0 ? h.min : h.percentile(p))])),
  };
}
