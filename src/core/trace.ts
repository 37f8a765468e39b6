/**
 * The path of a request through every node's own table, as the routers would take it: one
 * function for every partitioner (a unit is a first byte, a hash slot or a ring partition). Pure.
 */
import type { Bytes, RouteEntry, RoutingTable } from '../protocol/data.js';
import { entryFor, isSlots, unitOf, unitTable } from './partition.js';

/** One step of a traced path: the node, and the entry of its table that matched. */
export interface Hop {
  readonly node: string;
  readonly entry: RouteEntry | undefined;
}

/** Where a traced request ends. */
export type TraceOutcome = { readonly kind: 'owner'; readonly node: string } | { readonly kind: 'no-route'; readonly node: string } | { readonly kind: 'loop'; readonly cycle: readonly string[] } | { readonly kind: 'too-many-hops' };

/** The path of a request for `unit` entering at `from`, each node deciding with its own table. */
export interface Trace {
  readonly hops: readonly Hop[];
  readonly outcome: TraceOutcome;
}

/**
 * Follows `unit` (a first byte for tables of ranges, a slot, a partition) from node `from`
 * through every node's own table, as the router would. Stops at the owner, at a node with no
 * entry, at a loop, or past `hopLimit` forwards.
 */
export function trace(tables: ReadonlyMap<string, RoutingTable>, from: string, unit: number, hopLimit = Infinity): Trace {
  const hops: Hop[] = [];
  const seen = new Map<string, number>();
  let node = from;
  for (;;) {
    const entry = entryFor(tables.get(node) ?? [], unit);
    hops.push({ node, entry });
    if (entry === undefined) return { hops, outcome: { kind: 'no-route', node } };
    if (entry.node === node) return { hops, outcome: { kind: 'owner', node } };
    seen.set(node, hops.length - 1);
    const loopStart = seen.get(entry.node);
    if (loopStart !== undefined) {
      const cycle = hops.slice(loopStart).map((h) => h.node);
      return { hops, outcome: { kind: 'loop', cycle: [...cycle, entry.node] } };
    }
    if (hops.length > hopLimit) return { hops, outcome: { kind: 'too-many-hops' } };
    node = entry.node;
  }
}

/** The unit of `bucket` under the tables' partitioner, or -1 (an empty name under ranges). */
export function unitIn(tables: ReadonlyMap<string, RoutingTable>, bucket: Bytes): number {
  return unitOf(unitTable(tables.values()), bucket);
}

/** The node that owns `bucket` for a request entering at node `entry`, each node deciding with its own table; undefined if the path fails. */
export function ownerFrom(tables: ReadonlyMap<string, RoutingTable>, entry: string, bucket: Bytes): string | undefined {
  const unit = unitIn(tables, bucket);
  if (unit < 0) return undefined;
  const t = trace(tables, entry, unit);
  return t.outcome.kind === 'owner' ? t.outcome.node : undefined;
}

/**
 * The node that owns hash slot `slot` for a request entering at `entry`, each node deciding with
 * its own table (what a RESP front end in cluster mode answers for `CLUSTER SLOTS` or `MOVED`);
 * undefined when the path fails or the tables are not hash slots.
 */
export function slotOwner(tables: ReadonlyMap<string, RoutingTable>, entry: string, slot: number): string | undefined {
  if (!isSlots(unitTable(tables.values()))) return undefined;
  const t = trace(tables, entry, slot);
  return t.outcome.kind === 'owner' ? t.outcome.node : undefined;
}
