/**
 * The kvmesh ops the Redis front end sends: the guide's get/put/delete/create for plain reads
 * and writes, and calls to `KV.Redis` (routed by their bucket, run atomically on its owner) for
 * what must read and write in one step. Pure: it builds ops, it does not send them.
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
export const putOp = (bucket: Bytes, key: Bytes, value: Bytes): Op => ({ op: 'put', bucket, key, value });
export const deleteOp = (bucket: Bytes, key: Bytes): Op => ({ op: 'delete', bucket, key });
export const createOp = (bucket: Bytes): Op => ({ op: 'create', bucket });
