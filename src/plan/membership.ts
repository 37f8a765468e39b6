/**
 * The tables after a node joins or leaves, as the partitioner decides: a ring is re-claimed (the
 * joining node takes ⌊R/N⌋ partitions, a leaving one gives its own away), hash slots likewise in runs;
 * byte ranges are not re-claimed (a joining node owns nothing until a reshard gives it ranges; a node
 * still named in byte ranges cannot leave). Every node whose table is the cluster's shared one (the
 * first that routes anything) gets the new shared table; other tables stay. Pure.
 */
import type { RoutingTable } from '../protocol/data.js';
import type { Issue } from '../protocol/errors.js';
import { entryFor, isEmptyRanges, isRanges, isRing, unitCount } from '../core/partition.js';
import { join, leave } from '../core/ring.js';
import { slotMembers, slotsJoin, slotsLeave } from '../core/slot-claim.js';

/** The shared table (the first that routes anything) and whether two tables are the same. */
function shared(tables: ReadonlyMap<string, RoutingTable>): RoutingTable | undefined {
  for (const t of tables.values()) if (!isEmptyRanges(t)) return t;
  return undefined;
}

const same = (a: RoutingTable, b: RoutingTable): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Every node whose table is `from` gets `to`; the others keep theirs. */
function replaced(tables: ReadonlyMap<string, RoutingTable>, from: RoutingTable | undefined, to: RoutingTable): Map<string, RoutingTable> {
  return new Map([...tables].map(([n, t]) => [n, from !== undefined && same(t, from) ? to : t]));
}

/** The tables once `node` (with `storage`) has joined: it routes by the shared table, and owns its claim unless it holds no buckets. */
export function tablesAfterJoin(tables: ReadonlyMap<string, RoutingTable>, node: string, storage: boolean): Map<string, RoutingTable> {
  const table = shared(tables);
  if (table === undefined || !storage || isRanges(table)) return new Map(tables).set(node, table ?? []);
  const next: RoutingTable = isRing(table) ? { ring: { size: table.ring.size, nodes: [...table.ring.nodes, node], owners: join(table.ring.owners, table.ring.nodes, node) } } : { slots: slotsJoin(table.slots, slotMembers(table.slots), node) };
  return replaced(tables, table, next).set(node, next);
}

/** The tables once `node` has left (its own kept, routing by the new shared table, for the handoff), or the issues that keep it from leaving. */
export function tablesAfterLeave(tables: ReadonlyMap<string, RoutingTable>, node: string): Map<string, RoutingTable> | Issue[] {
  const table = shared(tables);
  let next = new Map(tables);
  if (table !== undefined && !isRanges(table)) {
    const after: RoutingTable = isRing(table) ? { ring: { size: table.ring.size, nodes: table.ring.nodes.filter((n) => n !== node), owners: leave(table.ring.owners, table.ring.nodes, node) } } : { slots: slotsLeave(table.slots, slotMembers(table.slots), node) };
    next = replaced(tables, table, after);
  }
  const naming = [...next].filter(([n, t]) => n !== node && names(t, node));
  if (naming.length > 0) {
    return naming.map(([n, t]) => ({
      path: `nodes.${n}.routingTable`,
      message: isRanges(t) ? `byte ranges still send buckets to node "${node}": they are not re-claimed; reshard them to other nodes first` : `this table still sends buckets to node "${node}"; reshard it to other nodes first`,
    }));
  }
  return next;
}

/** Whether `table` sends any unit to `node`. */
function names(table: RoutingTable, node: string): boolean {
  for (let u = 0; u < unitCount(table); u++) if (entryFor(table, u)?.node === node) return true;
  return false;
}
