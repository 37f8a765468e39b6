/**
 * The `single-owner` check: no bucket's owner depends on where a request entered (under every
 * set of tables the run had, for the entry nodes its workload used), and no bucket exists on
 * two nodes at once (from the creates that succeeded, each on the node its route reached, until
 * that node died; and from asking every node at the end, when the runner could). Pure.
 */
import type { HistoryOp, Routes, Timeline } from './history.js';

/** One finding. */
export interface OwnerViolation {
  readonly bucket: string;
  readonly t: number;
  readonly why: string;
}

/** What the check found. */
export interface SingleOwnerResult {
  readonly verdict: 'ok' | 'violation';
  readonly summary: string;
  readonly buckets: number;
  /** The first 20, and how many. */
  readonly violations: readonly OwnerViolation[];
  readonly violationCount: number;
}

const SHOWN = 20;

/** What every node said at time `t` about the buckets it holds: for each bucket, the nodes holding it (absent: a node did not answer). */
export interface HeldProbe {
  readonly t: number;
  readonly held: ReadonlyMap<string, readonly string[]>;
}

/** Runs the check; `probe`, if the runner asked the nodes at the end. */
export function checkSingleOwner(history: readonly HistoryOp[], timeline: Timeline, routes: Routes, entries: readonly string[], buckets: readonly string[], probe: HeldProbe | undefined): SingleOwnerResult {
  const found: OwnerViolation[] = [];
  const creates = new Map<string, HistoryOp[]>();
  for (const op of history) {
    if (op.op !== 'create' || op.outcome?.type !== 'ok') continue;
    const list = creates.get(op.bucket) ?? [];
    list.push(op);
    creates.set(op.bucket, list);
  }
  for (const bucket of buckets) {
    // Under each set of tables: the owner from every entry.
    let last = '';
    timeline.tables.forEach((change, c) => {
      const owners = entries.map((e) => [e, routes.ofChange(c, e, bucket).owner] as const).filter((x): x is readonly [string, string] => x[1] !== undefined);
      const distinct = new Set(owners.map(([, o]) => o));
      if (distinct.size < 2) return;
      const why = `owner depends on the entry node: ${owners.map(([e, o]) => `from ${e}: ${o}`).join(', ')} (tables of ${change.why})`;
      if (why !== last) found.push({ bucket, t: change.t, why });
      last = why;
    });
    // Where its creates made it, and until when.
    const lives: { node: string; from: number; to: number }[] = [];
    for (const op of creates.get(bucket) ?? []) {
      const node = routes.at(op.via, bucket, op.invoke).owner;
      if (node === undefined) continue;
      const death = timeline.deaths.find((d) => d.node === node && d.t > op.complete)?.t ?? Infinity;
      const twin = lives.find((l) => l.node !== node && l.from < death && op.complete < l.to);
      if (twin !== undefined) found.push({ bucket, t: Math.max(op.complete, twin.from), why: `exists on node "${twin.node}" (created at ${twin.from}) and on node "${node}" (created at ${op.complete})` });
      lives.push({ node, from: op.complete, to: death });
    }
    const nodes = probe?.held.get(bucket);
    if (probe !== undefined && nodes !== undefined && nodes.length > 1) found.push({ bucket, t: probe.t, why: `at the end, nodes ${nodes.map((n) => `"${n}"`).join(' and ')} each hold it` });
  }
  const summary = found.length === 0 ? `${buckets.length} buckets, each on one node and owned alike from every entry` : `${found.length} finding${found.length === 1 ? '' : 's'}; the first: bucket "${found[0]?.bucket}" ${found[0]?.why}`;
  return { verdict: found.length === 0 ? 'ok' : 'violation', summary, buckets: buckets.length, violations: found.slice(0, SHOWN), violationCount: found.length };
}
