/**
 * `KV.Redis`: the operations of the Redis front end that must be atomic on the bucket's owner
 * (each runs there in one step, routed by its bucket): SET with NX/XX/GET, INCRBY, and the
 * hash commands, which create their bucket as Redis creates a key. Unlike the guide's modules
 * they take and return byte strings, as the front end reads them off the socket.
 */
import type { Bytes } from '../core/bytes.js';
import { Errors } from '../protocol/errors.js';
import type { Bucket } from '../core/registry.js';
import { REDIS_MODULE } from '../core/resp-ops.js';
import { MAX_INT64, MIN_INT64, int64 } from '../core/resp-errors.js';
import { module } from './builtins.js';
import type { Def } from './builtins.js';
import type { Module } from './modules.js';
import type { Storage } from './storage.js';

/** The `KV.Redis` module over a node's storage. */
export function redisOps(storage: Storage): [string, Module] {
  const registry = storage.registry;
  /** The bucket, created if needed (through Storage: a storage: false node refuses). */
  const made = (b: Bytes): Bucket => registry.lookup(b) ?? (storage.run('create', b, '', ''), registry.create(b));
  const defs: Record<string, Def> = {
    // [whether it was set, the previous value]
    set: [
      [
        ['bucket', 'string'],
        ['key', 'string'],
        ['value', 'string'],
        ['mode', 'string'],
      ],
      (b: Bytes, k: Bytes, v: Bytes, mode: string): [boolean, Bytes | undefined] => {
        const bucket = made(b);
        const old = bucket.get(k);
        if ((mode === 'NX' && old !== undefined) || (mode === 'XX' && old === undefined)) return [false, old];
        bucket.put(k, v);
        return [true, old];
      },
    ],
    // A plain SET: nothing to answer but that it was done.
    put: [
      [
        ['bucket', 'string'],
        ['key', 'string'],
        ['value', 'string'],
      ],
      (b: Bytes, k: Bytes, v: Bytes): void => {
        made(b).put(k, v);
      },
    ],
    // The new value, as a decimal string (64-bit, as Redis).
    incrby: [
      [
        ['bucket', 'string'],
        ['key', 'string'],
        ['by', 'string'],
      ],
      (b: Bytes, k: Bytes, by: string): string => {
        const bucket = made(b);
        const old = bucket.get(k);
        const current = old === undefined ? 0n : int64(old);
        const delta = int64(by);
        if (current === undefined || delta === undefined) throw Errors.notAnInteger();
        const n = current + delta;
        if (n < MIN_INT64 || n > MAX_INT64) throw Errors.overflow();
        const value = n.toString();
        bucket.put(k, value);
        return value;
      },
    ],
    // The number of fields that were new.
    hset: [
      [
        ['bucket', 'string'],
        ['fields', 'strings'],
      ],
      (b: Bytes, flat: Bytes[]): number => {
        if (flat.length % 2 !== 0) throw Errors.badArgument(`${REDIS_MODULE}.hset/2: argument 2 (fields) must hold fields and values in pairs, received ${flat.length} strings`);
        const bucket = made(b);
        let added = 0;
        for (let i = 0; i < flat.length; i += 2) {
          if (bucket.get(flat[i] as Bytes) === undefined) added++;
          bucket.put(flat[i] as Bytes, flat[i + 1] as Bytes);
        }
        return added;
      },
    ],
    // The number of fields removed; no bucket, none.
    hdel: [
      [
        ['bucket', 'string'],
        ['fields', 'strings'],
      ],
      (b: Bytes, fields: Bytes[]): number => {
        const bucket = registry.lookup(b);
        let removed = 0;
        for (const f of fields) if (bucket?.delete(f) !== undefined) removed++;
        return removed;
      },
    ],
    // Fields and values as a flat list; no bucket, an empty one.
    hgetall: [[['bucket', 'string']], (b: Bytes): Bytes[] => [...(registry.lookup(b)?.entries() ?? [])].flat()],
    hkeys: [[['bucket', 'string']], (b: Bytes): Bytes[] => registry.lookup(b)?.keys() ?? []],
    hlen: [[['bucket', 'string']], (b: Bytes): number => registry.lookup(b)?.size ?? 0],
    // The keys this node holds (DBSIZE adds every node's).
    dbsize: [[], (): number => storage.counts().keys],
  };
  return module(REDIS_MODULE, defs);
}
