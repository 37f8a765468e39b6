/**
 * What a load run touches, decided from the routing tables alone (pure): buckets whose first
 * byte routes to each owning node, so every node that holds data gets its share of the load.
 */
import { trace } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { Errors } from '../protocol/errors.js';

/** Bucket names (plain ASCII strings), grouped by the node that owns them. */
export interface LoadPlan {
  readonly buckets: readonly string[];
  readonly owners: ReadonlyMap<string, readonly string[]>;
}

// Printable first bytes only, so bucket names read well in tables and need no UTF-8 care.
const CANDIDATES = Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789').map((c) => c.charCodeAt(0));

/**
 * `perOwner` buckets for every node that owns a printable first byte, as routed from the first
 * node. Throws KV_ERR_NO_ROUTE when no printable byte reaches an owner.
 */
export function planBuckets(tables: ReadonlyMap<string, RoutingTable>, nodes: readonly string[], perOwner: number, hopLimit: number): LoadPlan {
  const firstByte = new Map<string, number>();
  const from = nodes[0] ?? '';
  for (const byte of CANDIDATES) {
    const t = trace(tables, from, byte, hopLimit);
    if (t.outcome.kind === 'owner' && !firstByte.has(t.outcome.node)) firstByte.set(t.outcome.node, byte);
  }
  if (firstByte.size === 0) throw Errors.noRoute(`no bucket name starting with a letter or digit reaches an owner from node "${from}"; check the routing tables`);
  const owners = new Map<string, string[]>();
  for (const node of nodes) {
    const byte = firstByte.get(node);
    if (byte !== undefined) owners.set(node, Array.from({ length: perOwner }, (_, i) => `${String.fromCharCode(byte)}bench${i}`));
  }
  return { buckets: [...owners.values()].flat(), owners };
}
