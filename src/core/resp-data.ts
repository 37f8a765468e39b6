/**
 * The data commands: strings (a key is a (bucket, key) pair: `resp-keys.ts`) and hashes (a
 * hash is a bucket). Plain reads and writes are the guide's ops; what must read and write in
 * one step runs on the owner (`KV.Redis`). A missing bucket is a missing key: GET answers null.
 * In cluster mode every key is first checked against the slot map (`-MOVED`, `-CROSSSLOT`).
 * Pure: the specs go through the session's node.
 */
import type { Bytes } from './bytes.js';
import { keySlot } from './slots.js';
import { OK, array, bulk, bulkArray, bulkOrNil, flatMap, integer, nil } from './resp-reply.js';
import type { RespVersion } from './resp-reply.js';
import { RespError, int64, notAnInteger, syntaxError, wrongArity } from './resp-errors.js';
import { deleteOp, getOp, redisOp } from './resp-ops.js';
import type { RespNode, RespSession, Spec } from './resp-command.js';
import { movedFor } from './resp-cluster.js';

/** Whether `e` is kvmesh's missing-bucket error. */
const noBucket = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'KV_ERR_NO_BUCKET';

/**
 * In cluster mode, whether keys must go elsewhere: undefined when this node serves them (at
 * once when it owns their slot), else the promise of the refusal (`-MOVED`, `-CROSSSLOT`), or of
 * undefined for a slot served here after all (its owner serves no RESP).
 */
export function misplaced(node: RespNode, keys: readonly Bytes[]): Promise<RespError | undefined> | undefined {
  if (!node.cluster) return undefined;
  const slot = keySlot(keys[0] as Bytes);
  for (let i = 1; i < keys.length; i++) if (keySlot(keys[i] as Bytes) !== slot) return Promise.resolve(new RespError('CROSSSLOT', "Keys in request don't hash to the same slot"));
  const owner = node.view.ownerOfSlot(slot);
  // Owned here (or by no one: the router will say so): no need to know where the others serve.
  if (owner === node.view.self || owner < 0) return undefined;
  return node.view.endpoints().then((endpoints) => movedFor(node.view, endpoints, slot));
}

/** Runs `run` unless the keys must go elsewhere. */
function checked(node: RespNode, keys: readonly Bytes[], run: () => Promise<unknown>): Promise<unknown> {
  const decision = misplaced(node, keys);
  return decision === undefined ? run() : decision.then((refusal) => (refusal === undefined ? run() : Promise.reject(refusal)));
}

/**
 * Writes `value` at `key`, creating its bucket on first use (a Redis key needs no CREATE), in
 * one op on the owner: a pipelined GET sent after it reads what it wrote, as in Redis.
 */
function put(node: RespNode, key: Bytes, value: Bytes): Promise<unknown> {
  const { bucket, key: k } = node.place(key);
  return node.submit(redisOp('set', bucket, k, value, ''));
}

/** Reads `key`: its value, or undefined (no key, or no bucket). */
function get(node: RespNode, key: Bytes): Promise<Bytes | undefined> {
  const { bucket, key: k } = node.place(key);
  return node.submit(getOp(bucket, k)).then(
    (v) => v as Bytes | undefined,
    (e: unknown) => (noBucket(e) ? undefined : Promise.reject(e)),
  );
}

/** Removes `key`: whether it existed. */
function del(node: RespNode, key: Bytes): Promise<boolean> {
  const { bucket, key: k } = node.place(key);
  return node.submit(deleteOp(bucket, k)).then(
    (v) => v !== undefined,
    (e: unknown) => (noBucket(e) ? false : Promise.reject(e)),
  );
}

const count = (found: boolean[]): number => found.filter(Boolean).length;
const asInteger = (value: unknown): Bytes => integer(value as number | string);
const nilOnNoBucket = (e: unknown, version: RespVersion): Bytes | undefined => (noBucket(e) ? nil(version) : undefined);

/** INCRBY's amount: a 64-bit integer, else `-ERR value is not an integer or out of range`. */
function amount(arg: Bytes, negate: boolean): string {
  const n = int64(arg);
  if (n === undefined || (negate && n === -(2n ** 63n))) throw notAnInteger();
  return (negate ? -n : n).toString();
}

function incr(by: (args: readonly Bytes[]) => string): Spec['run'] {
  return (s, a) => {
    const key = a[1] as Bytes;
    const delta = by(a);
    return checked(s.node, [key], () => {
      const { bucket, key: k } = s.node.place(key);
      return s.node.submit(redisOp('incrby', bucket, k, delta));
    });
  };
}

/** SET's options: NX or XX, GET; EX/PX/KEEPTTL need expiry, which kvmesh does not have. */
function setMode(args: readonly Bytes[]): { mode: string; get: boolean } {
  let mode = '';
  let wantsGet = false;
  for (const raw of args.slice(3)) {
    const o = raw.toUpperCase();
    if ((o === 'NX' || o === 'XX') && mode === '') mode = o;
    else if (o === 'GET' && !wantsGet) wantsGet = true;
    else if (['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL'].includes(o)) throw new RespError('ERR', `SET ${o} is not supported: kvmesh keys do not expire`);
    else throw syntaxError();
  }
  return { mode, get: wantsGet };
}

/** A hash command's bucket: the hash's name (the bucket is routed by it, cluster mode included). */
function hash(s: RespSession, a: readonly Bytes[], run: (bucket: Bytes) => Promise<unknown>): Promise<unknown> {
  const bucket = a[1] as Bytes;
  return checked(s.node, [bucket], () => run(bucket));
}

/** The data commands, by name in upper case. */
export const DATA_COMMANDS: Readonly<Record<string, Spec>> = {
  GET: {
    arity: 2,
    run: (s, a) =>
      checked(s.node, [a[1] as Bytes], () => {
        const { bucket, key } = s.node.place(a[1] as Bytes);
        return s.node.submit(getOp(bucket, key));
      }),
    reply: (v, ver) => bulkOrNil(v as Bytes | undefined, ver), recover: nilOnNoBucket },
  SET: {
    arity: -3,
    run: (s, a) => {
      const { mode, get: wantsGet } = setMode(a);
      const key = a[1] as Bytes;
      if (mode === '' && !wantsGet) return checked(s.node, [key], () => put(s.node, key, a[2] as Bytes));
      return checked(s.node, [key], () => {
        const { bucket, key: k } = s.node.place(key);
        return s.node.submit(redisOp('set', bucket, k, a[2] as Bytes, mode));
      }).then((v) => {
        const [done, old] = v as [boolean, Bytes | undefined];
        return wantsGet ? bulkOrNil(old, s.version) : done ? OK : nil(s.version);
      });
    },
    // A plain SET resolves with nothing; one with options, with its reply.
    reply: (v) => (typeof v === 'string' ? v : OK),
  },
  MGET: { arity: -2, run: (s, a) => checked(s.node, a.slice(1), () => Promise.all(a.slice(1).map((k) => get(s.node, k)))), reply: (v, ver) => bulkArray(v as (Bytes | undefined)[], ver) },
  MSET: {
    arity: -3,
    run: (s, a) => {
      if (a.length % 2 !== 1) throw wrongArity(a[0] as Bytes);
      const keys = a.filter((_, i) => i % 2 === 1);
      return checked(s.node, keys, () => Promise.all(keys.map((k, i) => put(s.node, k, a[2 * i + 2] as Bytes)))).then(() => OK);
    },
  },
  DEL: { arity: -2, run: (s, a) => checked(s.node, a.slice(1), () => Promise.all(a.slice(1).map((k) => del(s.node, k))).then(count)), reply: asInteger },
  EXISTS: { arity: -2, run: (s, a) => checked(s.node, a.slice(1), () => Promise.all(a.slice(1).map(async (k) => (await get(s.node, k)) !== undefined)).then(count)), reply: asInteger },
  INCR: { arity: 2, run: incr(() => '1'), reply: asInteger },
  DECR: { arity: 2, run: incr(() => '-1'), reply: asInteger },
  INCRBY: { arity: 3, run: incr((a) => amount(a[2] as Bytes, false)), reply: asInteger },
  DECRBY: { arity: 3, run: incr((a) => amount(a[2] as Bytes, true)), reply: asInteger },
  HSET: {
    arity: -4,
    run: (s, a) => {
      if (a.length % 2 !== 0) throw wrongArity(a[0] as Bytes);
      return hash(s, a, (b) => s.node.submit(redisOp('hset', b, a.slice(2))));
    },
    reply: asInteger,
  },
  HGET: { arity: 3, run: (s, a) => hash(s, a, (b) => s.node.submit(getOp(b, a[2] as Bytes))), reply: (v, ver) => bulkOrNil(v as Bytes | undefined, ver), recover: nilOnNoBucket },
  HEXISTS: { arity: 3, run: (s, a) => hash(s, a, (b) => s.node.submit(getOp(b, a[2] as Bytes))), reply: (v) => integer(v === undefined ? 0 : 1), recover: (e) => (noBucket(e) ? integer(0) : undefined) },
  HDEL: { arity: -3, run: (s, a) => hash(s, a, (b) => s.node.submit(redisOp('hdel', b, a.slice(2)))), reply: asInteger },
  HLEN: { arity: 2, run: (s, a) => hash(s, a, (b) => s.node.submit(redisOp('hlen', b))), reply: asInteger },
  HGETALL: { arity: 2, run: (s, a) => hash(s, a, (b) => s.node.submit(redisOp('hgetall', b))), reply: (v, ver) => flatMap(v as Bytes[], ver) },
  HKEYS: { arity: 2, run: (s, a) => hash(s, a, (b) => s.node.submit(redisOp('hkeys', b))), reply: (v) => array((v as Bytes[]).map(bulk)) },
};
