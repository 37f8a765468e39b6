/**
 * What a load run touches, decided from the routing tables alone (pure): buckets that route to
 * each owning node, so every node that holds data gets its share of the load. Byte ranges pick
 * a first byte per owner; hash slots and rings try names until every owner has its share.
 */
import { trace } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { isRanges, unitOf, unitTable } from '../core/partition.js';
import { segments } from '../core/lint.js';
import { Errors } from '../protocol/errors.js';

/** Bucket names (plain ASCII strings), grouped by the node that owns them. */
export interface LoadPlan {
  readonly buckets: readonly string[];
  readonly owners: ReadonlyMap<string, readonly string[]>;
}

// Printable first bytes only, so bucket names read well in tables and need no UTF-8 care.
const CANDIDATES = Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', (c) => c.charCodeAt(0));
/** Names tried for hashed tables: enough for an owner of one slot in 16384 to get a few buckets. */
const MAX_TRIES = 1 << 21;

/**
 * `perOwner` buckets for every node that owns a printable first byte (or, for hashed tables, any
 * unit), as routed from the first node. Throws KV_ERR_NO_ROUTE when no bucket reaches an owner.
 */
export function planBuckets(tables: ReadonlyMap<string, RoutingTable>, nodes: readonly string[], perOwner: number, hopLimit: number): LoadPlan {
  const from = nodes[0] ?? '';
  const found = isRanges(unitTable(tables.values())) ? byFirstByte(tables, from, perOwner, hopLimit) : byHash(tables, from, perOwner, hopLimit);
  if (found.size === 0) throw Errors.noRoute(`no bucket name starting with a letter or digit reaches an owner from node "${from}"; check the routing tables`);
  const owners = new Map<string, string[]>();
  for (const node of nodes) {
    const names = found.get(node);
    if (names !== undefined) owners.set(node, names);
  }
  return { buckets: [...owners.values()].flat(), owners };
}

function byFirstByte(tables: ReadonlyMap<string, RoutingTable>, from: string, perOwner: number, hopLimit: number): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const byte of CANDIDATES) {
    const t = trace(tables, from, byte, hopLimit);
    if (t.outcome.kind === 'owner' && !found.has(t.outcome.node))
      found.set(
        t.outcome.node,
        Array.from({ length: perOwner }, (_, i) => `${String.fromCharCode(byte)}bench${i}`),
      );
  }
  return found;
}

function byHash(tables: ReadonlyMap<string, RoutingTable>, from: string, perOwner: number, hopLimit: number): Map<string, string[]> {
  const shape = unitTable(tables.values());
  const ownerOf: (string | undefined)[] = [];
  for (const [first, last] of segments(tables)) {
    const t = trace(tables, from, first, hopLimit);
    for (let u = first; u <= last; u++) ownerOf[u] = t.outcome.kind === 'owner' ? t.outcome.node : undefined;
  }
  const found = new Map<string, string[]>([...new Set(ownerOf)].flatMap((n) => (n === undefined ? [] : [[n, []]])));
  let missing = found.size;
  for (let i = 0; i < MAX_TRIES && missing > 0; i++) {
    const name = `bench${i}`;
    const list = found.get(ownerOf[unitOf(shape, name)] ?? '');
    if (list === undefined || list.length >= perOwner) continue;
    list.push(name);
    if (list.length === perOwner) missing--;
  }
  return found;
}
