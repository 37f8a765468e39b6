/** The figures of `kvmesh bench`: one scenario's, the readable table of them, and the JSON document (pure). */
import type { LatencySummary } from './histogram.js';
import { fourFigures } from './histogram.js';
import type { BenchOptions } from './options.js';
import type { LatencyBins, Throughput } from './samples.js';

/** One scenario's figures, as printed and as written by `--json`. */
export interface ScenarioFigures {
  readonly scenario: string;
  /** Ops per call (1: single ops). */
  readonly batch: number;
  /** Ops counted (after the warm-up). */
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  /** Per call (a single op, or a whole batch). */
  readonly latency: LatencySummary;
  /** Data-plane messages (requests, replies, forwards) per op, all threads. */
  readonly messagesPerOp: number;
  /** postMessage calls per op, all threads (below messagesPerOp when frames carry several messages). */
  readonly postsPerOp: number;
  /** Forwards per op (0 when every op enters at its owner). */
  readonly hopsPerOp: number;
  readonly errors: number;
  readonly firstError: string | null;
  /** Calls per latency bin (10 a decade), the histogram the HTML page draws. */
  readonly latencyBins: LatencyBins;
  /** Ops per second over the counted run, interval by interval. */
  readonly throughput: Throughput;
  /** Requests each node handled during the counted run (entered there or forwarded to it), and how many it forwarded on. */
  readonly perNode: readonly NodeLoad[];
}

/** One node's share of a scenario's load. */
export interface NodeLoad {
  readonly node: string;
  readonly requests: number;
  readonly forwarded: number;
}

/** The machine a run was measured on. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  readonly loadavg: readonly number[];
}

/** What `--json FILE` writes (and `--html FILE` draws): enough to compare two runs later. */
export interface BenchDocument {
  readonly kvmesh: string;
  readonly startedAt: string;
  readonly options: Omit<BenchOptions, 'json' | 'html' | 'config'> & { readonly config: string | null };
  readonly machine: Machine;
  readonly nodes: readonly string[];
  readonly scenarios: readonly ScenarioFigures[];
}

/** `x` to `digits` decimals, as a number (JSON prints what the measurement supports, not 16 digits). */
export const fixed = (x: number, digits: number): number => Number(x.toFixed(digits));

const us = (x: number): string => (Number.isFinite(x) ? String(fourFigures(x)) : 'n/a');
const num = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const rate = (x: number): string => (!Number.isFinite(x) ? 'n/a' : x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));

/** The scenarios as an aligned text table, then how long each was warmed up and counted. */
export function formatReport(rows: readonly ScenarioFigures[], options: Pick<BenchOptions, 'warmupS' | 'durationS'>): string {
  const head = ['scenario', 'ops/s', 'p50 µs', 'p99 µs', 'p99.9 µs', 'max µs', 'msgs/op', 'posts/op', 'hops/op', 'errors'];
  const cells = rows.map((r) => [r.scenario, rate(r.opsPerSec), us(r.latency.p50Us), us(r.latency.p99Us), us(r.latency.p999Us), us(r.latency.maxUs), num(r.messagesPerOp, 2), num(r.postsPerOp, 3), num(r.hopsPerOp, 2), String(r.errors)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i] as number) : x.padStart(widths[i] as number))).join('  ');
  const warm = options.warmupS > 0 ? `a ${options.warmupS} s warm-up (not counted), then ` : 'no warm-up, ';
  return [line(head), ...cells.map(line), `each scenario: ${warm}${options.durationS} s counted; latency per call (one op or one batch)`].join('\n');
}

/** A one-line progress bar (`\r`-led, so a terminal redraws it in place). */
export function progressBar(label: string, fraction: number, width = 30): string {
  const f = Math.max(0, Math.min(1, fraction));
  const done = Math.round(f * width);
  return `\r${label} [${'#'.repeat(done)}${' '.repeat(width - done)}] ${(f * 100).toFixed(0).padStart(3)}%`;
}
