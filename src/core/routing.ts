/**
 * Routing tables, decided in pure functions: which node owns a byte, the path a request
 * takes through every node's own table, and the lint that finds loops and uncovered bytes.
 */
import type { Bytes } from './bytes.js';
import { quoteBytes } from './bytes.js';

import type { RouteEntry, RoutingTable } from '../protocol/data.js';

export type { RouteEntry, RoutingTable } from '../protocol/data.js';

/** The entry of `table` that covers `byte`, or undefined. */
export function entryFor(table: RoutingTable, byte: number): RouteEntry | undefined {
  for (const entry of table) if (byte >= entry.from && byte <= entry.to) return entry;
  return undefined;
}

/** A byte as it reads in a range: the character if printable ASCII, else 0xNN. */
export function formatByte(byte: number): string {
  return byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `0x${byte.toString(16).padStart(2, '0')}`;
}

/** A range as `a-m`, or `a` for one byte. */
export function formatRange(from: number, to: number): string {
  return from === to ? formatByte(from) : `${formatByte(from)}-${formatByte(to)}`;
}

/** A table as `[a-m → foo, n-z → bar]`. */
export function formatTable(table: RoutingTable): string {
  return table.length === 0 ? '[] (empty)' : `[${table.map((e) => `${formatRange(e.from, e.to)} → ${e.node}`).join(', ')}]`;
}

/** The message of KV_ERR_NO_ROUTE: names the bucket, its first byte, the node and its table. */
export function noRouteMessage(bucket: Bytes, node: string, table: RoutingTable): string {
  if (bucket.length === 0) return `no route for an empty bucket name on node "${node}": routing needs a first byte`;
  const byte = bucket.charCodeAt(0);
  return `no route for bucket ${quoteBytes(bucket)} (first byte 0x${byte.toString(16).padStart(2, '0')}) on node "${node}": its table is ${formatTable(table)}`;
}

/** The message of KV_ERR_TOO_MANY_HOPS: names the bucket and the path taken. */
export function tooManyHopsMessage(bucket: Bytes, path: readonly string[], limit: number): string {
  return `too many hops for bucket ${quoteBytes(bucket)}: forwarded ${limit} time${limit === 1 ? '' : 's'} (the hop limit) along ${path.join(' → ')}`;
}

/** One step of a traced path: the node, and the entry of its table that matched. */
export interface Hop {
  readonly node: string;
  readonly entry: RouteEntry | undefined;
}

/** Where a traced request ends. */
export type TraceOutcome =
  | { readonly kind: 'owner'; readonly node: string }
  | { readonly kind: 'no-route'; readonly node: string }
  | { readonly kind: 'loop'; readonly cycle: readonly string[] }
  | { readonly kind: 'too-many-hops' };

/** The path of a request for `byte` entering at `from`, each node deciding with its own table. */
export interface Trace {
  readonly hops: readonly Hop[];
  readonly outcome: TraceOutcome;
}

/**
 * Follows `byte` from node `from` through every node's own table, as the router would.
 * Stops at the owner, at a node with no entry, at a loop, or past `hopLimit` forwards.
 */
export function trace(tables: ReadonlyMap<string, RoutingTable>, from: string, byte: number, hopLimit = Infinity): Trace {
  const hops: Hop[] = [];
  const seen = new Map<string, number>();
  let node = from;
  for (;;) {
    const entry = entryFor(tables.get(node) ?? [], byte);
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

/** What the lint of a set of tables found. */
export interface LintResult {
  /** Bytes whose path loops, one message per distinct cycle. */
  readonly errors: readonly string[];
  /** Bytes no table covers, paths that end at a node with no entry, paths longer than the hop limit, bytes whose owner depends on the entry node. */
  readonly warnings: readonly string[];
}

/** Lints every node's table together, for every byte and every entry node. */
export function lintTables(tables: ReadonlyMap<string, RoutingTable>, hopLimit: number): LintResult {
  const loops = new Map<string, number[]>();
  const deadEnds = new Map<string, number[]>();
  const tooLong = new Map<string, number[]>();
  // Keyed by the entry → owner pairs, with the number of distinct owners.
  const splitOwners = new Map<string, { owners: number; bytes: number[] }>();
  const uncovered: number[] = [];
  const add = (m: Map<string, number[]>, key: string, byte: number): void => {
    const list = m.get(key);
    if (list === undefined) m.set(key, [byte]);
    else if (list[list.length - 1] !== byte) list.push(byte);
  };
  for (let byte = 0; byte < 256; byte++) {
    if (![...tables.values()].some((table) => entryFor(table, byte) !== undefined)) {
      uncovered.push(byte);
      continue;
    }
    const owners: [entry: string, owner: string][] = [];
    for (const node of tables.keys()) {
      const t = trace(tables, node, byte);
      if (t.outcome.kind === 'loop') add(loops, canonicalCycle(t.outcome.cycle), byte);
      else if (t.outcome.kind === 'no-route' && t.hops.length > 1) add(deadEnds, t.hops.map((h) => h.node).join(' → '), byte);
      else if (t.outcome.kind === 'owner' && t.hops.length - 1 > hopLimit) add(tooLong, t.hops.map((h) => h.node).join(' → '), byte);
      if (t.outcome.kind === 'owner') owners.push([node, t.outcome.node]);
    }
    // More than one owner for one bucket: made through one entry node, it is not found through another.
    const distinct = new Set(owners.map(([, owner]) => owner)).size;
    if (distinct > 1) {
      const mapping = owners.map(([entry, owner]) => `${entry} → ${owner}`).join(', ');
      const group = splitOwners.get(mapping) ?? { owners: distinct, bytes: [] };
      group.bytes.push(byte);
      splitOwners.set(mapping, group);
    }
  }
  const errors = [...loops].map(([cycle, bytes]) => `bytes ${formatBytes(bytes)} loop between nodes: ${cycle}`);
  const warnings: string[] = [];
  if (uncovered.length > 0) warnings.push(`bytes ${formatBytes(uncovered)} are covered by no table: buckets starting with them cannot be routed`);
  for (const [path, bytes] of deadEnds) warnings.push(`bytes ${formatBytes(bytes)} are forwarded along ${path}, whose table has no entry for them`);
  for (const [path, bytes] of tooLong) warnings.push(`bytes ${formatBytes(bytes)} take ${path.split(' → ').length - 1} hops (${path}), more than the hop limit ${hopLimit}`);
  for (const [mapping, { owners, bytes }] of splitOwners) {
    warnings.push(`bytes ${formatBytes(bytes)} have ${owners} owners, depending on the node a request enters at (entry → owner: ${mapping}): a bucket created via one entry is not found via another`);
  }
  return { errors, warnings };
}

/** A cycle (first node repeated last) written from its smallest name, so each loop is reported once. */
function canonicalCycle(cycle: readonly string[]): string {
  const ring = cycle.slice(0, -1);
  const start = ring.indexOf([...ring].sort()[0] as string);
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  return [...rotated, rotated[0]].join(' → ');
}

/** A sorted list of bytes as ranges: `0x00-0x60, {-0xff`. */
export function formatBytes(bytes: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    let j = i;
    while (j + 1 < bytes.length && bytes[j + 1] === (bytes[j] as number) + 1) j++;
    parts.push(formatRange(bytes[i] as number, bytes[j] as number));
    i = j + 1;
  }
  return parts.join(', ');
}

/** The node that owns `bucket` for a request entering at node `entry`, each node deciding with its own table; undefined if the path fails. */
export function ownerFrom(tables: ReadonlyMap<string, RoutingTable>, entry: string, bucket: Bytes): string | undefined {
  if (bucket.length === 0) return undefined;
  const t = trace(tables, entry, bucket.charCodeAt(0));
  return t.outcome.kind === 'owner' ? t.outcome.node : undefined;
}
