/**
 * The kvmesh ops the Redis front end sends: the guide's get and delete, and calls to
 * `KV.Redis` (routed by their bucket, run atomically on its owner) for every write, since a
 * Redis write creates its bucket in the same step. Pure: it builds ops, it does not send them.
 */
import type { Bytes } from './bytes.js';
import type { Op } from '../protocol/messages.js';

/** The built-in module of the owner-side operations (`src/node/redis-ops.ts`). */
export const REDIS_MODULE = 'KV.Redis';

/** A `KV.Redis` function, routed by `bucket` (its first argument). */
export function redisOp(fun: string, bucket: Bytes, ...rest: unknown[]): Op {
  return { op: 'apply', bucket, mod: REDIS_MODULE, fun, args: [bucket, ...rest] };
}

export const getOp = (bucket: Bytes, key: Bytes): Op => ({ op: 'get', bucket, key });
export const deleteOp = (bucket: Bytes, key: Bytes): Op => ({ op: 'delete', bucket, key });
export const putOp = (bucket: Bytes, key: Bytes, value: Bytes): Op => ({ op: 'put', bucket, key, value });
export const createOp = (bucket: Bytes): Op => ({ op: 'create', bucket });
