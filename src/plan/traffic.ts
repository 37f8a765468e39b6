/**
 * Traffic logs, read and replayed without a cluster: checking a log file, the load per owning node
 * and the hops per op that a set of tables gives the recorded requests, and the buckets (keys and
 * bytes) the recorded writes leave behind. Pure.
 */
import type { Bytes, RoutingTable, TrafficLog, TrafficRecord } from '../protocol/data.js';
import type { Issue } from '../protocol/errors.js';
import { badConfig } from '../core/issues.js';
import { unitOf, unitTable } from '../core/partition.js';
import { trace } from '../core/trace.js';

/** Where each recorded request would go under some tables: ops per owner, forwards in total, ops that find no owner. */
export interface Replay {
  readonly ops: number;
  readonly load: ReadonlyMap<string, number>;
  readonly hops: number;
  readonly failed: number;
}

const OPS = new Set(['c', 'g', 'p', 'd', 'a']);

/** Checks a traffic log as read from a file (`path`: how to name it); throws KV_ERR_BAD_CONFIG naming every bad part. */
export function parseTraffic(value: unknown, path = 'traffic'): TrafficLog {
  const issues: Issue[] = [];
  const o = value as Partial<TrafficLog> | null;
  if (o === null || typeof o !== 'object' || o.kvmeshTraffic !== 1) throw badConfig([{ path, message: 'expected a kvmesh traffic log ({ "kvmeshTraffic": 1, "clock", "nodes", "records" }), as `kvmesh start --record FILE` writes' }]);
  if (!Array.isArray(o.nodes) || !o.nodes.every((n) => typeof n === 'string')) issues.push({ path: `${path}.nodes`, message: 'expected an array of node names' });
  if (!Array.isArray(o.records)) issues.push({ path: `${path}.records`, message: 'expected an array of records' });
  else {
    const bad = o.records.findIndex((r) => !isRecord(r, o.nodes?.length ?? 0));
    if (bad >= 0) issues.push({ path: `${path}.records[${bad}]`, message: 'expected [t, entry node index, op (c, g, p, d or a), bucket, key hash, key bytes, value bytes]' });
  }
  if (issues.length > 0) throw badConfig(issues);
  const dropped = Number.isInteger(o.dropped) ? { dropped: o.dropped as number } : {};
  return { kvmeshTraffic: 1, clock: o.clock === 'virtual' ? 'virtual' : 'real', nodes: o.nodes as string[], records: o.records as TrafficRecord[], ...dropped };
}

function isRecord(r: unknown, nodes: number): boolean {
  if (!Array.isArray(r) || r.length !== 7) return false;
  const [t, entry, op, bucket, key, kb, vb] = r as unknown[];
  const count = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 0;
  return typeof t === 'number' && count(entry) && (entry as number) < nodes && typeof op === 'string' && OPS.has(op) && typeof bucket === 'string' && Number.isInteger(key) && count(kb) && count(vb);
}

/** The recorded requests replayed on `tables`, each entering where it was recorded (or at `fallback` if that node is not in `tables`). */
export function replay(log: TrafficLog, tables: ReadonlyMap<string, RoutingTable>, hopLimit: number, fallback: string): Replay {
  const shape = unitTable(tables.values());
  const load = new Map<string, number>([...tables.keys()].map((n) => [n, 0]));
  let hops = 0;
  let failed = 0;
  for (const [, entry, , bucket] of log.records) {
    const from = log.nodes[entry] ?? fallback;
    const unit = unitOf(shape, bucket);
    const t = unit < 0 ? undefined : trace(tables, tables.has(from) ? from : fallback, unit, hopLimit);
    if (t === undefined || t.outcome.kind !== 'owner') {
      failed++;
      continue;
    }
    load.set(t.outcome.node, (load.get(t.outcome.node) ?? 0) + 1);
    hops += t.hops.length - 1;
  }
  return { ops: log.records.length, load, hops, failed };
}

/** The buckets the recorded writes leave, per owning node under `tables`: keys (distinct key hashes) and bytes (keys and values) of each. */
export function bucketsFromTraffic(log: TrafficLog, tables: ReadonlyMap<string, RoutingTable>, hopLimit: number, fallback: string): Map<string, { bucket: Bytes; keys: number; bytes: number }[]> {
  const shape = unitTable(tables.values());
  const buckets = new Map<Bytes, { owner: string; keys: Map<number, number> }>();
  for (const [, entry, op, bucket, key, kb, vb] of log.records) {
    if (op !== 'c' && op !== 'p' && op !== 'd') continue;
    let b = buckets.get(bucket);
    if (b === undefined) {
      if (op !== 'c') continue;
      const from = log.nodes[entry] ?? fallback;
      const unit = unitOf(shape, bucket);
      const t = unit < 0 ? undefined : trace(tables, tables.has(from) ? from : fallback, unit, hopLimit);
      if (t === undefined || t.outcome.kind !== 'owner') continue;
      buckets.set(bucket, (b = { owner: t.outcome.node, keys: new Map() }));
    }
    if (op === 'p') b.keys.set(key, kb + vb);
    else if (op === 'd') b.keys.delete(key);
  }
  const out = new Map<string, { bucket: Bytes; keys: number; bytes: number }[]>();
  for (const [bucket, { owner, keys }] of buckets) {
    let list = out.get(owner);
    if (list === undefined) out.set(owner, (list = []));
    let bytes = 0;
    for (const size of keys.values()) bytes += size;
    list.push({ bucket, keys: keys.size, bytes });
  }
  return out;
}
