/**
 * Routing tables, decided in pure functions: how a table reads, the messages of a refused
 * request, and (re-exported) the path a request takes and the lint of a cluster's tables.
 * Every partitioner (byte ranges, hash slots, a ring) goes through the same functions.
 */
import type { Bytes } from './bytes.js';
import { quoteBytes } from './bytes.js';
import { describeUnit, formatTable, formatUnitRange, formatUnits, isRanges } from './partition.js';
import type { RoutingTable } from '../protocol/data.js';

export type { RangeTable, RingTable, RouteEntry, RoutingTable, SlotEntry, SlotsTable } from '../protocol/data.js';
export { entryFor, formatByte, formatTable, formatUnitRange, formatUnits, partitionerOf, unitOf } from './partition.js';
export type { Partitioner } from './partition.js';
export { ownerFrom, slotOwner, trace, unitIn } from './trace.js';
export type { Hop, Trace, TraceOutcome } from './trace.js';
export { lintTables } from './lint.js';
export type { LintResult } from './lint.js';

/** A range of bytes as `a-m`, or `a` for one byte. */
export function formatRange(from: number, to: number): string {
  return formatUnitRange([], from, to);
}

/** A sorted list of bytes as ranges: `0x00-0x60, {-0xff`. */
export function formatBytes(bytes: readonly number[]): string {
  return formatUnits([], bytes);
}

/** The message of KV_ERR_NO_ROUTE: names the bucket, where it falls (first byte, slot, partition), the node and its table. */
export function noRouteMessage(bucket: Bytes, node: string, table: RoutingTable): string {
  if (bucket.length === 0 && isRanges(table)) return `no route for an empty bucket name on node "${node}": routing needs a first byte`;
  return `no route for bucket ${quoteBytes(bucket)} (${describeUnit(table, bucket)}) on node "${node}": its table is ${formatTable(table)}`;
}

/** The message of KV_ERR_TOO_MANY_HOPS: names the bucket and the path taken. */
export function tooManyHopsMessage(bucket: Bytes, path: readonly string[], limit: number): string {
  return `too many hops for bucket ${quoteBytes(bucket)}: forwarded ${limit} time${limit === 1 ? '' : 's'} (the hop limit) along ${path.join(' → ')}`;
}
