/**
 * A change stated as the desired state: the next configuration, as written, read against the
 * tables in force. A ring written as `{ size, nodes }` is claimed from the ring in force when
 * there is one of the same size (nodes that left give their partitions away, nodes that joined take
 * ⌊R/N⌋ each), so that a change moves only what the membership change must. Pure.
 */
import type { RoutingTable } from '../protocol/data.js';
import { isRing } from '../core/partition.js';
import { reclaim } from '../core/ring.js';

type Json = unknown;
type Obj = Record<string, Json>;
const isObject = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `raw` (a configuration as written) with the owners of every claimed ring filled in from `current` (each node's table in force). */
export function claimAgainst(raw: Json, current: ReadonlyMap<string, RoutingTable>): Json {
  if (!isObject(raw)) return raw;
  const rings = [...current.values()].filter(isRing);
  const fill = (spec: Json, node: string | undefined): Json => {
    if (!isObject(spec) || !isObject(spec['ring'])) return spec;
    const ring = spec['ring'];
    const { size, nodes } = ring;
    if (ring['owners'] !== undefined || !Array.isArray(nodes) || !nodes.every((n) => typeof n === 'string')) return spec;
    const own = node === undefined ? undefined : current.get(node);
    const base = (own !== undefined && isRing(own) && own.ring.size === size ? own : rings.find((r) => r.ring.size === size))?.ring;
    if (base === undefined) return spec;
    return { ...spec, ring: { ...ring, owners: reclaim(base.owners, base.nodes, nodes) } };
  };
  const out: Obj = { ...raw };
  if (raw['routingTable'] !== undefined) out['routingTable'] = fill(raw['routingTable'], undefined);
  const nodes = raw['nodes'];
  if (Array.isArray(nodes)) out['nodes'] = (nodes as Json[]).map((n) => (isObject(n) && n['routingTable'] !== undefined ? { ...n, routingTable: fill(n['routingTable'], typeof n['name'] === 'string' ? n['name'] : undefined) } : n));
  else if (isObject(nodes)) out['nodes'] = Object.fromEntries(Object.entries(nodes).map(([name, n]): [string, Json] => [name, isObject(n) && n['routingTable'] !== undefined ? { ...n, routingTable: fill(n['routingTable'], name) } : n]));
  return out;
}
