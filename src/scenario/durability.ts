/**
 * The `durability` check: every acknowledged write (a put, a delete, the bucket's create) stays
 * readable: a read that starts after it was acknowledged, and before a later write surely
 * replaced it, returns its value or that of a write that may have come after it. A write that
 * fails this is lost; the loss is excused when the node that held it died in between (the
 * report lists those writes and the death), and flagged otherwise, a table change that sent the
 * bucket's requests to another node than the one holding its data included. Pure.
 */
import type { HistoryOp, Routes, Timeline } from './history.js';
import { showOp } from './history.js';

/** One lost write: the write, the read that showed it, and why. */
export interface Loss {
  readonly write: string;
  readonly read: string;
  readonly why: string;
  readonly ids: readonly [number, number];
}

/** What the check found. */
export interface DurabilityResult {
  readonly verdict: 'ok' | 'violation';
  readonly summary: string;
  /** Acknowledged writes checked. */
  readonly writes: number;
  /** Writes lost because the node holding them died (the first 20), and how many. */
  readonly lostWithNode: readonly Loss[];
  readonly lostWithNodeCount: number;
  /** Writes lost otherwise (the first 20), and how many. */
  readonly violations: readonly Loss[];
  readonly violationCount: number;
}

const SHOWN = 20;

/** What an operation leaves in the key (`N`: no bucket, `U`: no value, `V…`: a value); undefined for a read. */
function wrote(op: HistoryOp): string | undefined {
  if (op.op === 'put') return `V${op.value ?? ''}`;
  return op.op === 'delete' || op.op === 'create' ? 'U' : undefined;
}

/** What a settled operation saw of the key; undefined if it saw nothing. */
function saw(op: HistoryOp): string | undefined {
  const o = op.outcome;
  if (o?.type === 'nobucket') return 'N';
  if (o?.type !== 'ok' || (op.op !== 'get' && op.op !== 'delete')) return undefined;
  return o.value === undefined ? 'U' : `V${o.value}`;
}

const acked = (op: HistoryOp): boolean => op.outcome?.type === 'ok';
/** When it surely took effect by: its answer, or never for one without an answer. */
const effectBy = (op: HistoryOp): number => (acked(op) ? op.complete : Infinity);

/** The index of the first of `ops` (in invoke order) called after `t`; their length if none. */
function firstAfter(ops: readonly HistoryOp[], t: number): number {
  let lo = 0;
  let hi = ops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ops[mid] as HistoryOp).invoke > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Runs the check over `history`. */
export function checkDurability(history: readonly HistoryOp[], timeline: Timeline, routes: Routes): DurabilityResult {
  // Per (bucket, key): its writes (creates count for every key of their bucket) and its reads, in invoke order.
  const groups = new Map<string, { writes: HistoryOp[]; reads: HistoryOp[] }>();
  const creates = new Map<string, HistoryOp[]>();
  for (const op of history) {
    if (op.outcome?.type === 'fail') continue;
    if (op.op === 'create') {
      const list = creates.get(op.bucket) ?? [];
      list.push(op);
      creates.set(op.bucket, list);
      continue;
    }
    const name = `${op.bucket}\u0000${op.key}`;
    const g = groups.get(name) ?? { writes: [], reads: [] };
    if (wrote(op) !== undefined) g.writes.push(op);
    if (saw(op) !== undefined) g.reads.push(op);
    groups.set(name, g);
  }
  let writes = 0;
  const lost: Loss[] = [];
  const violations: Loss[] = [];
  for (const [name, g] of groups) {
    const bucket = name.slice(0, name.indexOf('\u0000'));
    const all = [...(creates.get(bucket) ?? []), ...g.writes].sort((a, b) => a.invoke - b.invoke);
    const reads = g.reads.sort((a, b) => a.invoke - b.invoke);
    const byValue = new Map<string, HistoryOp[]>();
    for (const w of all) {
      const list = byValue.get(wrote(w) as string) ?? [];
      list.push(w);
      byValue.set(wrote(w) as string, list);
    }
    // The earliest a write called after `t` surely took effect: a suffix minimum over the writes by invoke.
    const surelyAfter = new Float64Array(all.length + 1).fill(Infinity);
    for (let i = all.length - 1; i >= 0; i--) surelyAfter[i] = Math.min(surelyAfter[i + 1] as number, (all[i] as HistoryOp).op === 'create' ? Infinity : effectBy(all[i] as HistoryOp));
    for (const w of all) {
      if (!acked(w)) continue;
      writes++;
      const replacedBy = surelyAfter[firstAfter(all, w.complete)] as number;
      for (let i = firstAfter(reads, w.complete); i < reads.length; i++) {
        const r = reads[i] as HistoryOp;
        if (r.invoke >= replacedBy) break;
        // What r may see: w's value, or that of any write not surely before w and called before r answered.
        // A create is no such write: it empties only a bucket that was gone (lost with its node, or left behind).
        const seen = saw(r) as string;
        const fits = (byValue.get(seen) ?? []).some((x) => x === w || (x.op !== 'create' && x.invoke < r.complete && !(effectBy(x) < w.invoke)));
        if (fits) continue;
        const loss = explain(w, r, all, bucket, timeline, routes);
        (loss.excused ? lost : violations).push(loss.loss);
        break;
      }
    }
  }
  const summary = violations.length > 0 ? `${violations.length} of ${writes} acknowledged writes lost: ${violations[0]?.why}` : `${writes} acknowledged writes, none lost${lost.length > 0 ? ` but ${lost.length} with the node that held them` : ''}`;
  return { verdict: violations.length > 0 ? 'violation' : 'ok', summary, writes, lostWithNode: lost.slice(0, SHOWN), lostWithNodeCount: lost.length, violations: violations.slice(0, SHOWN), violationCount: violations.length };
}

/** Why `w` was not seen by `r`: its requests went elsewhere (flagged), its node died (excused), or nothing explains it (flagged). */
function explain(w: HistoryOp, r: HistoryOp, all: readonly HistoryOp[], bucket: string, timeline: Timeline, routes: Routes): { loss: Loss; excused: boolean } {
  const before = routes.changeAt(w.complete);
  const after = routes.changeAt(r.invoke);
  const held = routes.ofChange(before, w.via, bucket).owner ?? '?';
  const asked = routes.ofChange(after, r.via, bucket).owner ?? '?';
  const base = { write: showOp(w), read: showOp(r), ids: [w.id, r.id] as const };
  if (held !== asked) {
    const change = timeline.tables[after];
    const why = after !== before && change !== undefined ? `${change.why} at ${change.t} sent bucket "${bucket}" to node "${asked}", away from its data on node "${held}"` : `bucket "${bucket}" is owned by node "${held}" for requests entering at "${w.via}" but by node "${asked}" for those entering at "${r.via}"`;
    return { loss: { ...base, why }, excused: false };
  }
  // A death before the read's answer explains it: the read may have reached the node's next life.
  const death = timeline.deaths.find((d) => d.node === held && d.t > w.invoke && d.t < r.complete);
  if (death !== undefined) return { loss: { ...base, why: `node "${held}" died at ${death.t} (${death.reason})` }, excused: true };
  // The value read was written before w: by a copy of its request, if a link duplicated frames while it was in flight.
  const writer = all.find((x) => x.op === 'put' && saw(r) === `V${x.value ?? ''}`);
  const end = writer === undefined ? -Infinity : acked(writer) ? writer.complete : Infinity;
  if (writer !== undefined && timeline.duplicating.some((d) => d.from <= end && d.to >= writer.invoke)) {
    return { loss: { ...base, why: `the value read was written by #${writer.id}, which may have run twice: a link duplicated frames while it was in flight, and a late copy overwrote the write (at-least-once delivery)` }, excused: false };
  }
  return { loss: { ...base, why: `a read of bucket "${bucket}" on node "${held}" did not return it, and nothing explains the loss` }, excused: false };
}
