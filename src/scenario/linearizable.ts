/**
 * The `linearizable` check: the history of every (bucket, key), with the bucket's creates and the
 * crashes of the node holding it, must be linearizable as one key (`kv-model.ts`), each searched
 * within a step budget (`wgl.ts`). For a violation it gives the smallest sub-history it can
 * show to be non-linearizable on its own: the shortest violating prefix that ends where every
 * earlier answer has arrived, then without the reads and unread writes it does not need. Each
 * cut keeps the witness sound: if it is not linearizable, neither was the history. Pure.
 */
import type { Death, HistoryOp, Routes, Timeline } from './history.js';
import { showOp } from './history.js';
import { crashAt, kvModel, toOperation } from './kv-model.js';
import type { KvInput, KvOutput } from './kv-model.js';
import { linearizable } from './wgl.js';
import type { Operation } from './wgl.js';

/** One operation of a key's sub-history: a request, or a crash of the bucket's node. */
interface Item {
  readonly op: Operation<KvInput, KvOutput>;
  /** The request, or the death. */
  readonly of: HistoryOp | Death;
}

const lineOf = (i: Item): string => ('id' in i.of ? showOp(i.of) : `crash: node ${i.of.node} died at ${i.of.t} (${i.of.reason})`);

/** What the check found. */
export interface LinearizableResult {
  readonly verdict: 'ok' | 'violation' | 'unknown';
  readonly summary: string;
  readonly keys: number;
  readonly operations: number;
  readonly steps: number;
  /** `bucket/key` of the keys found not linearizable (the first 20), and how many. */
  readonly violatingKeys: readonly string[];
  readonly violations: number;
  /** Keys whose search ran out of budget. */
  readonly unknownKeys: readonly string[];
  /** The smallest non-linearizable sub-history found, of the key whose violation shows first. */
  readonly witness?: { readonly bucket: string; readonly key: string; readonly lines: readonly string[]; readonly ids: readonly number[] };
}

const SHOWN = 20;
const MAX_ATTEMPTS = 400;

/** The sub-history of every (bucket, key) the history touches, creates and crashes included, each in invoke order. */
function subHistories(history: readonly HistoryOp[], timeline: Timeline, routes: Routes, entries: readonly string[]): Map<string, { bucket: string; key: string; items: Item[] }> {
  const byBucket = new Map<string, { creates: Item[]; holders: Map<string, number>; keys: Map<string, Item[]> }>();
  const bucketOf = (b: string) => {
    let g = byBucket.get(b);
    if (g === undefined) byBucket.set(b, (g = { creates: [], holders: new Map(), keys: new Map() }));
    return g;
  };
  for (const h of history) {
    const op = toOperation(h);
    if (op === undefined) continue;
    const g = bucketOf(h.bucket);
    const item = { op, of: h };
    if (h.op === 'create') {
      g.creates.push(item);
      const owner = routes.at(h.via, h.bucket, h.invoke).owner;
      if (owner !== undefined && !g.holders.has(owner)) g.holders.set(owner, h.invoke);
    } else {
      const list = g.keys.get(h.key) ?? [];
      list.push(item);
      g.keys.set(h.key, list);
    }
  }
  const out = new Map<string, { bucket: string; key: string; items: Item[] }>();
  for (const [bucket, g] of byBucket) {
    // The node dying held the bucket if some entry routes it there then, or a create went there before.
    const crashes = timeline.deaths.filter((d) => entries.some((e) => routes.at(e, bucket, d.t).owner === d.node) || (g.holders.get(d.node) ?? Infinity) <= d.t).map((d) => ({ op: crashAt(d.t), of: d }));
    for (const [key, items] of g.keys) {
      const all = [...g.creates, ...crashes, ...prune(items)].sort((a, b) => a.op.invoke - b.op.invoke);
      out.set(`${bucket}/${key}`, { bucket, key, items: all });
    }
  }
  return out;
}

/**
 * Without the requests that got no answer and that change nothing anyone saw: a get, or a put
 * of a value nobody read back. Such a request may never have run, so leaving it out gives the
 * same verdict, and it spares the search a choice at every step it was pending.
 */
function prune(items: readonly Item[]): Item[] {
  const read = new Set<string>();
  for (const i of items) if (i.op.output?.type === 'ok' && i.op.output.value !== undefined) read.add(i.op.output.value);
  return items.filter((i) => i.op.output !== undefined || !(i.op.input.f === 'get' || (i.op.input.f === 'put' && !read.has(i.op.input.value))));
}

const search = (items: readonly Item[], budget: number) =>
  linearizable(
    kvModel,
    items.map((i) => i.op),
    budget,
  );

/**
 * What can leave `kept` without making a linearizable history non-linearizable, in groups: a put
 * with the gets that read its value back (unless a delete returned it), and each request that
 * only observes (a get, an answer of no bucket). Creates, deletes and crashes stay.
 */
function groupsOf(kept: readonly Item[]): Item[][] {
  const deleted = new Set<string>();
  const readers = new Map<string, Item[]>();
  for (const i of kept) {
    const v = i.op.output?.type === 'ok' ? i.op.output.value : undefined;
    if (v === undefined) continue;
    if (i.op.input.f === 'delete') deleted.add(v);
    if (i.op.input.f === 'get') readers.set(v, [...(readers.get(v) ?? []), i]);
  }
  const groups: Item[][] = [];
  for (const i of kept) {
    const input = i.op.input;
    if (input.f !== 'put' || deleted.has(input.value) || i.op.output?.type === 'nobucket') continue;
    groups.push([i, ...(readers.get(input.value) ?? [])]);
  }
  // Every observer may also go alone (after the groups: they are tried once those are gone).
  for (const i of kept) if (i.op.input.f === 'get' || i.op.output?.type === 'nobucket') groups.push([i]);
  return groups;
}

/** The smallest violating sub-history of `items` found within `budget` steps a search. */
function witness(items: readonly Item[], budget: number): Item[] {
  // Cuts where every answer before has arrived before anything after is called: a violating prefix there shows the whole is one.
  const cuts: number[] = [];
  let latest = -Infinity;
  for (let m = 1; m <= items.length; m++) {
    const c = (items[m - 1] as Item).op.complete;
    if (Number.isFinite(c) && c > latest) latest = c;
    if (m === items.length || latest < (items[m] as Item).op.invoke) cuts.push(m);
  }
  // A violating prefix stays violating when extended: the shortest is found by bisection.
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (search(items.slice(0, cuts[mid]), budget).verdict === 'violation') hi = mid;
    else lo = mid + 1;
  }
  // Then groups that can go are dropped while it still violates, halves first (delta debugging).
  let kept = items.slice(0, cuts[lo]);
  let groups = groupsOf(kept);
  let parts = 2;
  for (let attempts = 0; groups.length > 0 && attempts < MAX_ATTEMPTS;) {
    const size = Math.ceil(groups.length / parts);
    let dropped = false;
    for (let from = 0; from < groups.length && attempts < MAX_ATTEMPTS; from += size) {
      attempts++;
      const out = new Set(groups.slice(from, from + size).flat());
      const trial = kept.filter((i) => !out.has(i));
      if (search(trial, budget).verdict !== 'violation') continue;
      kept = trial;
      groups = groupsOf(kept);
      dropped = true;
      break;
    }
    if (dropped) parts = Math.max(2, parts - 1);
    else if (parts >= groups.length) break;
    else parts = Math.min(groups.length, parts * 2);
  }
  return kept;
}

/** Runs the check over `history`; each key's search may take `budget` steps. */
export function checkLinearizable(history: readonly HistoryOp[], timeline: Timeline, routes: Routes, entries: readonly string[], budget: number): LinearizableResult {
  const subs = subHistories(history, timeline, routes, entries);
  let steps = 0;
  let operations = 0;
  const violating: { name: string; bucket: string; key: string; items: Item[] }[] = [];
  const unknownKeys: string[] = [];
  for (const [name, sub] of subs) {
    operations += sub.items.length;
    const r = search(sub.items, budget);
    steps += r.steps;
    if (r.verdict === 'violation') violating.push({ name, ...sub });
    if (r.verdict === 'unknown') unknownKeys.push(name);
  }
  const base = { keys: subs.size, operations, steps, violatingKeys: violating.slice(0, SHOWN).map((v) => v.name), violations: violating.length, unknownKeys };
  if (violating.length === 0) {
    const verdict = unknownKeys.length > 0 ? 'unknown' : 'ok';
    const summary = verdict === 'ok' ? `${subs.size} keys, ${operations} operations: linearizable` : `${unknownKeys.length} of ${subs.size} keys not decided within ${budget} steps each (linearizableBudget); the others are linearizable`;
    return { verdict, summary, ...base };
  }
  // The witness of the key whose smallest violation ends first.
  let best: { v: (typeof violating)[number]; items: Item[]; end: number } | undefined;
  for (const v of violating.slice(0, SHOWN)) {
    const items = witness(v.items, budget);
    const end = Math.max(...items.map((i) => i.op.invoke));
    if (best === undefined || end < best.end) best = { v, items, end };
  }
  const w = best as NonNullable<typeof best>;
  const summary = `${violating.length} of ${subs.size} keys not linearizable; the first, ${w.v.name}, in ${w.items.length} operations`;
  return { verdict: 'violation', summary, ...base, witness: { bucket: w.v.bucket, key: w.v.key, lines: w.items.map(lineOf), ids: w.items.flatMap((i) => ('id' in i.of ? [i.of.id] : [])) } };
}
