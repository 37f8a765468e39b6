/**
 * A scenario's workload as data, drawn from its seed before the run starts: the bucket names
 * (spread over the nodes that own data), the keys, the entry nodes, and every request with its
 * virtual time. Requests are spread evenly, each at a random offset within its slot, so the
 * rate holds at every scale and no transcendental function is involved. Pure.
 */
import { Errors } from '../protocol/errors.js';
import { trace } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import type { Random } from '../sim/random.js';
import { OPS } from './spec.js';
import type { Scenario, WorkloadOp } from './spec.js';
import type { PlannedOp, Workload } from './history.js';

export type { PlannedOp, Workload } from './history.js';

// Issue times are multiples of 1/1024 ms: sums stay exact in binary and traced times print short.
const GRID = 1024;
const CANDIDATES = Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', (c) => c.charCodeAt(0));

/** The value a put of request `i` writes. */
export const valueOf = (i: number): string => `v${i}`;

/**
 * `count` bucket names, taken in turn from each node that owns a printable first byte as routed
 * from `from` (the first owner's first byte, the second's, …): `a0`, `n1`, `a2`, …
 */
export function bucketNames(count: number, tables: ReadonlyMap<string, RoutingTable>, nodes: readonly string[], from: string, hopLimit: number): string[] {
  const byOwner = new Map<string, number>();
  for (const byte of CANDIDATES) {
    const o = trace(tables, from, byte, hopLimit).outcome;
    if (o.kind === 'owner' && !byOwner.has(o.node)) byOwner.set(o.node, byte);
  }
  const bytes = nodes.flatMap((n) => byOwner.get(n) ?? []);
  if (bytes.length === 0) throw Errors.noRoute(`no bucket name starting with a letter or digit reaches an owner from node "${from}"; name the buckets (workload.buckets) or check the routing tables`);
  return Array.from({ length: count }, (_, i) => `${String.fromCharCode(bytes[i % bytes.length] as number)}${i}`);
}

/** The workload of `s` on a cluster of `nodes` with `tables`, drawn from `random` (a fork of its own). */
export function planWorkload(s: Scenario, tables: ReadonlyMap<string, RoutingTable>, nodes: readonly string[], hopLimit: number, random: Random): Workload {
  const w = s.workload;
  const entries = w.enterAt === 'any' ? nodes : w.enterAt;
  const buckets = typeof w.buckets === 'number' ? bucketNames(w.buckets, tables, nodes, entries[0] as string, hopLimit) : w.buckets;
  const keys = Array.from({ length: w.keysPerBucket }, (_, i) => `k${i}`);
  const count = Math.floor((s.durationMs * w.ratePerSec) / 1000);
  const period = 1000 / w.ratePerSec;
  const cumulative = OPS.map((_, i) => OPS.slice(0, i + 1).reduce((a, op) => a + w.mix[op], 0));
  // A pick past the last sum (rounding) is the last op that has a weight.
  const last = OPS.filter((op) => w.mix[op] > 0).at(-1) as WorkloadOp;
  const ops: PlannedOp[] = [];
  for (let i = 0; i < count; i++) {
    // Every request draws the same five numbers, whatever the mix, so changing one weight moves no other draw.
    const t = Math.floor((i + random.next()) * period * GRID) / GRID;
    const pick = random.next();
    const bucket = buckets[random.int(buckets.length)] as string;
    const key = keys[random.int(keys.length)] as string;
    const via = entries[random.int(entries.length)] as string;
    const k = cumulative.findIndex((c) => pick < c);
    ops.push({ i, t, op: k < 0 ? last : (OPS[k] as WorkloadOp), bucket, key, via });
  }
  return { buckets, keys, entries, ops };
}
