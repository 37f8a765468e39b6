/**
 * What a change of the tables (and of the nodes) would do, computed without touching anything:
 * the units and buckets that move, from and to; each node's share before and after; the lint
 * findings the change brings; and, given recorded traffic, the load per node and hops per op before
 * and after. A bucket moves from the node that holds it to the owner that node's next table leads
 * to; a node that leaves routes by the first remaining node's table. Pure.
 */
import type { Bytes, RoutingTable, TrafficLog } from '../protocol/data.js';
import { entryFor, formatUnits, partitionerOf, unitCount, unitOwners, unitTable } from '../core/partition.js';
import type { Partitioner } from '../core/partition.js';
import { lintTables, segments } from '../core/lint.js';
import { ownerFrom, trace } from '../core/trace.js';
import { bucketsFromTraffic, replay } from './traffic.js';
import type { Replay } from './traffic.js';

/** One side of a change: the nodes, their tables, the hop limit. */
export interface Side {
  readonly nodes: readonly string[];
  readonly tables: ReadonlyMap<string, RoutingTable>;
  readonly hopLimit: number;
}

/** A bucket as a node holds it. */
export interface BucketSize {
  readonly bucket: Bytes;
  readonly keys: number;
  readonly bytes: number;
}

/** A bucket that moves (`to` undefined: the next tables give it no owner, so it could not move). */
export interface BucketMove extends BucketSize {
  readonly from: string;
  readonly to: string | undefined;
}

/** Units (bytes, slots, partitions) whose holder changes, grouped by from → to. */
export interface UnitMove {
  readonly from: string;
  readonly to: string | undefined;
  readonly count: number;
  /** As they read: `5461-8191` (slots), `a-m` (bytes), `5, 15, 27` (partitions). */
  readonly units: string;
}

/** Everything a plan shows. */
export interface Plan {
  readonly partitioner: { readonly before: Partitioner; readonly after: Partitioner };
  readonly joining: readonly string[];
  readonly leaving: readonly string[];
  /** Units that change holder; empty when the partitioner (or ring size) changes, as units then do not compare. */
  readonly units: readonly UnitMove[];
  /** Where the buckets came from: the running cluster, recorded traffic, or nowhere (a plan of the tables alone). */
  readonly bucketSource: 'cluster' | 'traffic' | 'none';
  readonly buckets: number;
  readonly moves: readonly BucketMove[];
  /** Share of the units each node keeps for itself (0 to 1), before and after, every node of either side. */
  readonly ownership: readonly { readonly node: string; readonly before: number; readonly after: number }[];
  /** Lint findings of the next tables that the current ones do not have. */
  readonly lint: { readonly errors: readonly string[]; readonly warnings: readonly string[] };
  readonly traffic?: { readonly before: Replay; readonly after: Replay };
}

/** The next tables, with a node that leaves routing by the first remaining node's table. */
export function nextWithLeavers(current: Side, next: Side): Map<string, RoutingTable> {
  const tables = new Map(next.tables);
  const heir = next.tables.get(next.nodes[0] ?? '') ?? [];
  for (const n of current.nodes) if (!tables.has(n)) tables.set(n, heir);
  return tables;
}

/** Where each bucket of `held` (by holding node) goes under the next tables: those that move. */
export function bucketMoves(held: ReadonlyMap<string, readonly BucketSize[]>, nextTables: ReadonlyMap<string, RoutingTable>): BucketMove[] {
  const moves: BucketMove[] = [];
  for (const [node, list] of held) {
    for (const b of list) {
      const to = ownerFrom(nextTables, node, b.bucket);
      if (to !== node) moves.push({ ...b, from: node, to });
    }
  }
  return moves;
}

/** The plan of going from `current` to `next`; `held`: the buckets each node holds (else estimated from `traffic`, if any). */
export function planChange(current: Side, next: Side, held?: ReadonlyMap<string, readonly BucketSize[]>, traffic?: TrafficLog): Plan {
  const nextTables = nextWithLeavers(current, next);
  const before = unitTable(current.tables.values());
  const after = unitTable(next.tables.values());
  const bucketsHeld = held ?? (traffic === undefined ? undefined : bucketsFromTraffic(traffic, current.tables, current.hopLimit, current.nodes[0] ?? ''));
  const moves = bucketsHeld === undefined ? [] : bucketMoves(bucketsHeld, nextTables);
  const lintBefore = lintTables(current.tables, current.hopLimit);
  const lintAfter = lintTables(next.tables, next.hopLimit);
  const comparable = partitionerOf(before) === partitionerOf(after) && unitCount(before) === unitCount(after);
  return {
    partitioner: { before: partitionerOf(before), after: partitionerOf(after) },
    joining: next.nodes.filter((n) => !current.nodes.includes(n)),
    leaving: current.nodes.filter((n) => !next.nodes.includes(n)),
    units: comparable ? unitMoves(current, nextTables) : [],
    bucketSource: held !== undefined ? 'cluster' : traffic !== undefined ? 'traffic' : 'none',
    buckets: bucketsHeld === undefined ? 0 : [...bucketsHeld.values()].reduce((n, list) => n + list.length, 0),
    moves: moves.sort((a, b) => b.bytes - a.bytes || (a.bucket < b.bucket ? -1 : 1)),
    ownership: [...new Set([...current.nodes, ...next.nodes])].map((node) => ({ node, before: share(current.tables, node), after: share(next.tables, node) })),
    lint: { errors: lintAfter.errors.filter((e) => !lintBefore.errors.includes(e)), warnings: lintAfter.warnings.filter((w) => !lintBefore.warnings.includes(w)) },
    ...(traffic === undefined ? {} : { traffic: { before: replay(traffic, current.tables, current.hopLimit, current.nodes[0] ?? ''), after: replay(traffic, nextTables, next.hopLimit, next.nodes[0] ?? '') } }),
  };
}

/** Units whose holder (a node whose own table keeps them) would send them elsewhere under the next tables. */
function unitMoves(current: Side, nextTables: ReadonlyMap<string, RoutingTable>): UnitMove[] {
  const shape = unitTable(current.tables.values());
  const both = new Map<string, RoutingTable>([...[...current.tables].map(([n, t]) => [`now:${n}`, t] as const), ...[...nextTables].map(([n, t]) => [`next:${n}`, t] as const)]);
  const runs = new Map<string, { from: string; to: string | undefined; units: number[] }>();
  for (const [first, last] of segments(both)) {
    for (const node of current.nodes) {
      if (entryFor(current.tables.get(node) ?? [], first)?.node !== node) continue;
      const t = trace(nextTables, node, first);
      const to = t.outcome.kind === 'owner' ? t.outcome.node : undefined;
      if (to === node) continue;
      const key = `${node}\u0000${to ?? ''}`;
      let run = runs.get(key);
      if (run === undefined) runs.set(key, (run = { from: node, to, units: [] }));
      for (let u = first; u <= last; u++) run.units.push(u);
    }
  }
  return [...runs.values()].map((r) => ({ from: r.from, to: r.to, count: r.units.length, units: formatUnits(shape, r.units) }));
}

/** The share of the units of `tables` that `node`'s own table keeps for itself. */
function share(tables: ReadonlyMap<string, RoutingTable>, node: string): number {
  const table = tables.get(node);
  if (table === undefined) return 0;
  const owners = unitOwners(table, (n) => (n === node ? 1 : 0));
  let kept = 0;
  for (const o of owners) if (o === 1) kept++;
  return kept / owners.length;
}
