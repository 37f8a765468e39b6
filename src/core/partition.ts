/**
 * The three partitioners of a routing table, seen through one lens: a table cuts the bucket names
 * into units (first bytes 0-255 for ranges, hash slots 0-16383 for slots, partitions for a ring),
 * a bucket falls in one unit, and a table names a node for each unit it covers. Routing, the lint,
 * plans and pictures work on units, whatever the partitioner. Pure.
 */
import type { Bytes, RangeTable, RingTable, RouteEntry, RoutingTable, SlotsTable } from '../protocol/data.js';
import { SLOTS, keySlot } from './slots.js';
import { ownership, ringPartition } from './ring.js';

/** The partitioners. */
export type Partitioner = 'ranges' | 'slots' | 'ring';

/** Whether `table` is a table of byte ranges. */
export function isRanges(table: RoutingTable): table is RangeTable {
  return Array.isArray(table);
}

/** Whether `table` is a hash-slots table. */
export function isSlots(table: RoutingTable): table is SlotsTable {
  return !Array.isArray(table) && 'slots' in table;
}

/** Whether `table` is a ring. */
export function isRing(table: RoutingTable): table is RingTable {
  return !Array.isArray(table) && 'ring' in table;
}

/** The partitioner of `table`. */
export function partitionerOf(table: RoutingTable): Partitioner {
  return isRanges(table) ? 'ranges' : isSlots(table) ? 'slots' : 'ring';
}

/** Every node a table names, in table order, each once (a ring: the nodes that claimed it). */
export function tableNodes(table: RoutingTable): string[] {
  const names = isRing(table) ? table.ring.nodes : (isSlots(table) ? table.slots : table).map((e) => e.node);
  return [...new Set(names)];
}

/** An empty table of ranges routes nothing, whatever the partitioner: it fits beside any other form. */
export function isEmptyRanges(table: RoutingTable): boolean {
  return isRanges(table) && table.length === 0;
}

/** The table that says how the cluster's buckets fall into units: the first that is not an empty list (else an empty list). */
export function unitTable(tables: Iterable<RoutingTable>): RoutingTable {
  for (const t of tables) if (!isEmptyRanges(t)) return t;
  return [];
}

/** How many units `table` cuts names into: 256 bytes, 16384 slots, or the ring's size. */
export function unitCount(table: RoutingTable): number {
  return isRanges(table) ? 256 : isSlots(table) ? SLOTS : table.ring.size;
}

/** The unit of `bucket` (its name from char `at`) under `table`; -1 for an empty name under ranges (no first byte). */
export function unitOf(table: RoutingTable, bucket: Bytes, at = 0): number {
  if (isRanges(table)) return bucket.length > at ? bucket.charCodeAt(at) : -1;
  return isSlots(table) ? keySlot(bucket, at) : ringPartition(bucket, table.ring.size, at);
}

/** The entry of `table` that covers `unit` (the first, for ranges; a ring's partition is an entry of its own), or undefined. */
export function entryFor(table: RoutingTable, unit: number): RouteEntry | undefined {
  const entries = isRanges(table) ? table : isSlots(table) ? table.slots : undefined;
  if (entries !== undefined) {
    for (const entry of entries) if (unit >= entry.from && unit <= entry.to) return entry;
    return undefined;
  }
  const node = (table as RingTable).ring.owners[unit];
  return node === undefined ? undefined : { from: unit, to: unit, node };
}

/** The owner index of every unit under `table` (`indexOf` a node name; -1: no entry or an unknown node). */
export function unitOwners(table: RoutingTable, indexOf: (node: string) => number | undefined): Int16Array {
  const owners = new Int16Array(unitCount(table)).fill(-1);
  const entries = isRanges(table) ? table : isSlots(table) ? table.slots : undefined;
  if (entries === undefined) {
    (table as RingTable).ring.owners.forEach((node, p) => (owners[p] = indexOf(node) ?? -1));
    return owners;
  }
  // Backwards, so that the first entry covering a unit is the one left.
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as RouteEntry;
    owners.fill(indexOf(e.node) ?? -1, e.from, Math.min(e.to, owners.length - 1) + 1);
  }
  return owners;
}

/** What the units of `table` are called: `bytes`, `slots`, `partitions` (singular with `one`). */
export function unitWord(table: RoutingTable, one = false): string {
  const word = isRanges(table) ? 'byte' : isSlots(table) ? 'slot' : 'partition';
  return one ? word : `${word}s`;
}

/** A byte as it reads in a range: the character if printable ASCII, else 0xNN. */
export function formatByte(byte: number): string {
  return byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `0x${byte.toString(16).padStart(2, '0')}`;
}

/** A run of units as it reads: `a-m` for bytes, `0-8191` for slots and partitions, one unit alone. */
export function formatUnitRange(table: RoutingTable, from: number, to: number): string {
  const one = isRanges(table) ? formatByte : String;
  return from === to ? one(from) : `${one(from)}-${one(to)}`;
}

/** A sorted list of units as runs: `0x00-0x60, {-0xff`, `0-99, 200`. */
export function formatUnits(table: RoutingTable, units: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < units.length) {
    let j = i;
    while (j + 1 < units.length && units[j + 1] === (units[j] as number) + 1) j++;
    parts.push(formatUnitRange(table, units[i] as number, units[j] as number));
    i = j + 1;
  }
  return parts.join(', ');
}

/** Where `bucket` falls, as messages say it: `first byte 0x61`, `slot 866`, `partition 5 of 64`. */
export function describeUnit(table: RoutingTable, bucket: Bytes): string {
  const unit = unitOf(table, bucket);
  if (isRanges(table)) return `first byte 0x${unit.toString(16).padStart(2, '0')}`;
  return isSlots(table) ? `slot ${unit}` : `partition ${unit} of ${table.ring.size}`;
}

/** A table as one line: `[a-m → foo, n-z → bar]`, `[slots 0-8191 → foo, 8192-16383 → bar]`, `[ring of 64: foo 22, bar 21, baz 21]`. */
export function formatTable(table: RoutingTable): string {
  if (isRing(table)) {
    const counts = [...ownership(table.ring.owners, table.ring.nodes)].map(([n, c]) => `${n} ${c}`);
    return `[ring of ${table.ring.size}: ${counts.join(', ')}]`;
  }
  const entries = isRanges(table) ? table : table.slots;
  if (entries.length === 0) return isRanges(table) ? '[] (empty)' : '[slots: none] (empty)';
  const list = entries.map((e) => `${formatUnitRange(table, e.from, e.to)} → ${e.node}`).join(', ');
  return isRanges(table) ? `[${list}]` : `[slots ${list}]`;
}

/** The entries of `table` as lines `a-m → foo`, `slots 0-8191 → foo` (a ring, one line: `ring of 64: foo 22, bar 21, baz 21`). */
export function tableLines(table: RoutingTable): string[] {
  if (isRing(table)) return [formatTable(table).slice(1, -1)];
  const entries = isRanges(table) ? table : table.slots;
  if (entries.length === 0) return ['(empty table)'];
  return entries.map((e) => `${isRanges(table) ? '' : 'slots '}${formatUnitRange(table, e.from, e.to)} → ${e.node}`);
}
