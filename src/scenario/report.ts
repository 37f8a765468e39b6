/**
 * The report of a scenario run, built from what the runner recorded: requests by outcome and
 * error code, latency quantiles, hops and messages per op, per-node load, each fault as it
 * happened, node deaths and restarts, and each check's verdict with, for a failure, the
 * operations around it and the command that replays the run; for pictures, the requests over
 * time, their latency bins and each fault's span (timeline-series.ts). A plain JSON-able object
 * (the hook for other renderings: src/scenario/page.ts). Pure.
 */
import { Routes, outcomeLabel, showOp } from './history.js';
import type { HistoryOp, Timeline, Workload } from './history.js';
import type { CheckName, Scenario } from './spec.js';
import { checkDurability } from './durability.js';
import type { DurabilityResult } from './durability.js';
import { checkLinearizable } from './linearizable.js';
import type { LinearizableResult } from './linearizable.js';
import { checkSingleOwner } from './single-owner.js';
import type { HeldProbe, SingleOwnerResult } from './single-owner.js';
import { quantile, round } from './numbers.js';
import { faultSpans, latencyBins, overTime } from './timeline-series.js';
import type { FaultRecord, FaultSpan, LatencyBins, OverTime } from './timeline-series.js';

/** What a run recorded, for the report. */
export interface RunRecord {
  readonly history: readonly HistoryOp[];
  readonly timeline: Timeline;
  readonly faults: readonly FaultRecord[];
  readonly workload: Workload;
  /** When the workload started (after the buckets were created) and when the run ended. */
  readonly start: number;
  readonly end: number;
  readonly probe: HeldProbe | undefined;
  /** Data-plane messages sent by every node and client during the run. */
  readonly messages: number;
}

/** How a run was made, beside what it recorded. */
export interface RunMeta {
  readonly kvmesh: string;
  readonly file: string | null;
  readonly seed: number;
  readonly host: 'sim' | 'threads';
  readonly traceHash: string | null;
  readonly wallMs: number;
  /** The command line that replays the run (null for a scenario given as an object). */
  readonly replay: string | null;
}

/** Latency quantiles of one op, ms. */
export interface Quantiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Count of requests by outcome (`ok`, or the error code). */
export type Counts = Readonly<Record<string, number>>;

/** The checks' results, by name. */
export interface CheckResults {
  readonly durability?: DurabilityResult;
  readonly linearizable?: LinearizableResult;
  readonly 'single-owner'?: SingleOwnerResult;
}

/** The report. */
export interface ScenarioReport {
  readonly kvmesh: string;
  readonly scenario: { readonly file: string | null; readonly name: string | null; readonly description: string | null };
  readonly seed: number;
  readonly host: 'sim' | 'threads';
  /** Whether the same scenario and seed give the same run (the simulation; worker threads are not). */
  readonly deterministic: boolean;
  readonly traceHash: string | null;
  readonly durationMs: number;
  readonly start: number;
  readonly end: number;
  /** Wall ms the run took, and then its checks. */
  readonly wallMs: number;
  readonly checkMs: number;
  readonly nodes: readonly string[];
  readonly buckets: readonly string[];
  readonly keysPerBucket: number;
  /** The workload's requests (not the setup's creates or the final reads): by outcome, and by op. */
  readonly requests: { readonly total: number; readonly byOutcome: Counts; readonly byOp: Readonly<Record<string, { readonly total: number; readonly byOutcome: Counts }>> };
  /** The setup's creates, the re-creates after restarts and the final reads, by outcome. */
  readonly other: Readonly<Record<string, Counts>>;
  readonly latencyMs: Readonly<Record<string, Quantiles>>;
  /** The workload's requests by outcome and their latency per time bin, and their latency distribution. */
  readonly overTime: OverTime;
  readonly latencyBins: LatencyBins;
  /** Forwards per request of each op, along the route its entry node's tables gave. */
  readonly hopsPerOp: Readonly<Record<string, number>>;
  readonly messagesPerOp: number;
  /** Requests (all phases) that entered at, were owned by, and passed through each node. */
  readonly load: Readonly<Record<string, { readonly entered: number; readonly owned: number; readonly forwarded: number }>>;
  /** Each fault as it happened, with `until`: when what it did ended. */
  readonly faults: readonly FaultSpan[];
  readonly nodeEvents: readonly { readonly t: number; readonly node: string; readonly event: 'down' | 'up'; readonly reason?: string }[];
  readonly checks: CheckResults;
  /** The operations around the first finding of a failing check (durability: the lost write and the read). */
  readonly around: Readonly<Record<string, readonly string[]>>;
  readonly verdict: 'ok' | 'violation' | 'unknown';
  readonly failed: readonly CheckName[];
  readonly replay: string | null;
}

function quantiles(sorted: readonly number[]): Quantiles {
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), max: round(sorted.at(-1) ?? NaN) };
}

function count(into: Record<string, number>, label: string): void {
  into[label] = (into[label] ?? 0) + 1;
}

/** The operations on the bucket and key of the last of `ids` that has a key, from a few before the first of `ids` to a few after that one. */
function around(history: readonly HistoryOp[], ids: readonly number[]): string[] {
  const anchor = [...ids]
    .reverse()
    .map((id) => history[id])
    .find((h) => h !== undefined && h.op !== 'create');
  if (anchor === undefined) return [];
  const same = history.filter((h) => h.bucket === anchor.bucket && (h.key === anchor.key || h.op === 'create'));
  const firstAt = Math.min(...ids.map((id) => same.findIndex((h) => h.id === id)).filter((i) => i >= 0));
  const to = same.indexOf(anchor) + 3;
  const from = Math.max(0, firstAt - 2, to - 10);
  return same.slice(from, to).map(showOp);
}

/** Runs the scenario's checks over `r` and builds the report. */
export function buildReport(s: Scenario, r: RunRecord, meta: RunMeta): ScenarioReport {
  const routes = new Routes(r.timeline);
  const entries = r.workload.entries;
  const checks: { -readonly [K in keyof CheckResults]: CheckResults[K] } = {};
  const found: Record<string, readonly number[]> = {};
  for (const name of s.checks) {
    if (name === 'durability') {
      const d = (checks.durability = checkDurability(r.history, r.timeline, routes));
      if (d.violations[0] !== undefined) found[name] = d.violations[0].ids;
    } else if (name === 'linearizable') {
      // Its witness is the history that shows it.
      checks.linearizable = checkLinearizable(r.history, r.timeline, routes, entries, s.linearizableBudget);
    } else checks['single-owner'] = checkSingleOwner(r.history, r.timeline, routes, entries, r.workload.buckets, r.probe);
  }
  const verdicts = s.checks.map((n) => [n, checks[n]?.verdict] as const);
  const failed = verdicts.filter(([, v]) => v === 'violation').map(([n]) => n);
  const verdict = failed.length > 0 ? 'violation' : verdicts.some(([, v]) => v === 'unknown') ? 'unknown' : 'ok';
  const byOutcome: Record<string, number> = {};
  const byOp: Record<string, { total: number; byOutcome: Record<string, number> }> = {};
  const other: Record<string, Record<string, number>> = {};
  const latencies: Record<string, number[]> = {};
  const hops: Record<string, number[]> = {};
  const load: Record<string, { entered: number; owned: number; forwarded: number }> = Object.fromEntries(r.timeline.nodes.map((n) => [n, { entered: 0, owned: 0, forwarded: 0 }]));
  let total = 0;
  for (const h of r.history) {
    const label = outcomeLabel(h.outcome);
    const route = routes.at(h.via, h.bucket, h.invoke);
    const l = load[h.via];
    if (l !== undefined) l.entered++;
    if (route.owner !== undefined && load[route.owner] !== undefined) (load[route.owner] as { owned: number }).owned++;
    for (const n of route.path.slice(0, -1)) if (load[n] !== undefined) (load[n] as { forwarded: number }).forwarded++;
    if (h.phase !== 'run') {
      count((other[h.phase] ??= {}), label);
      continue;
    }
    total++;
    count(byOutcome, label);
    const op = (byOp[h.op] ??= { total: 0, byOutcome: {} });
    op.total++;
    count(op.byOutcome, label);
    if (Number.isFinite(h.complete)) (latencies[h.op] ??= []).push(h.complete - h.invoke);
    (hops[h.op] ??= []).push(route.path.length - 1);
  }
  const deaths = r.timeline.deaths.map((d) => ({ t: round(d.t, 6), node: d.node, event: 'down' as const, reason: d.reason }));
  const ups = r.timeline.ups.map((u) => ({ t: round(u.t, 6), node: u.node, event: 'up' as const }));
  return {
    kvmesh: meta.kvmesh,
    scenario: { file: meta.file, name: s.name ?? null, description: s.description ?? null },
    seed: meta.seed,
    host: meta.host,
    deterministic: meta.host === 'sim',
    traceHash: meta.traceHash,
    durationMs: s.durationMs,
    start: round(r.start),
    end: round(r.end),
    wallMs: round(meta.wallMs, 1),
    checkMs: 0,
    nodes: r.timeline.nodes,
    buckets: r.workload.buckets,
    keysPerBucket: r.workload.keys.length,
    requests: { total, byOutcome, byOp },
    other,
    latencyMs: Object.fromEntries(Object.entries(latencies).map(([op, l]) => [op, quantiles(l.sort((a, b) => a - b))])),
    overTime: overTime(r.history, round(r.start), round(r.end)),
    latencyBins: latencyBins(r.history),
    hopsPerOp: Object.fromEntries(Object.entries(hops).map(([op, h]) => [op, round(h.reduce((a, b) => a + b, 0) / h.length)])),
    messagesPerOp: r.history.length === 0 ? 0 : round(r.messages / r.history.length),
    load,
    faults: faultSpans(s.faults, r.faults, s.finalReads ? r.start + s.durationMs : r.end),
    nodeEvents: [...deaths, ...ups].sort((a, b) => a.t - b.t),
    checks,
    around: Object.fromEntries(Object.entries(found).map(([n, ids]) => [n, around(r.history, ids)])),
    verdict,
    failed,
    replay: meta.replay,
  };
}
