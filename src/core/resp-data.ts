/**
 * The data commands: strings (a key is a (bucket, key) pair: `resp-keys.ts`) and hashes (a
 * hash is a bucket). Reads are the guide's get; every write runs on the owner in one step
 * (`KV.Redis`), creating its bucket as Redis creates a key. A missing bucket is a missing key:
 * GET answers null. In cluster mode every key is first checked against the slot map (`-MOVED`,
 * `-CROSSSLOT`). Keys the node keeps are answered at once, the others once forwarded. Pure: the
 * specs go through the session's node.
 */
import type { Bytes } from './bytes.js';
import { keySlot } from './slots.js';
import { OK, array, bulk, bulkArray, bulkOrNil, flatMap, integer, nil } from './resp-reply.js';
import type { RespVersion } from './resp-reply.js';
import { RespError, int64, notAnInteger, syntaxError, wrongArity } from './resp-errors.js';
import { deleteOp, getOp, redisOp } from './resp-ops.js';
import type { RespNode, RespSession, Spec } from './resp-command.js';
import { movedFor } from './resp-cluster.js';
import { all, then, unless } from './resp-maybe.js';
import type { Maybe } from './resp-maybe.js';

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
function checked(node: RespNode, keys: readonly Bytes[], run: () => unknown): unknown {
  const decision = node.cluster ? misplaced(node, keys) : undefined;
  return decision === undefined ? run() : decision.then((refusal) => (refusal === undefined ? run() : Promise.reject(refusal)));
}

/** Runs `KV.Redis.fun(bucket, key, …rest)` for string key `key`. */
function onKey(node: RespNode, fun: string, key: Bytes, ...rest: unknown[]): unknown {
  const { bucket, key: k } = node.place(key);
  return node.run(redisOp(fun, bucket, k, ...rest));
}

/** Writes `value` at `key` in one op on the owner: a pipelined GET after it reads what it wrote, as in Redis. */
function put(node: RespNode, key: Bytes, value: Bytes): unknown {
  const { bucket, key: k } = node.place(key);
  return node.write(bucket, k, value);
}

/** Reads `key`: its value, or undefined (no key, or no bucket). */
function get(node: RespNode, key: Bytes): Maybe<Bytes | undefined> {
  const { bucket, key: k } = node.place(key);
  return unless(() => node.run(getOp(bucket, k)) as Maybe<Bytes | undefined>, noBucket, undefined);
}

/** Removes `key`: whether it existed. */
function del(node: RespNode, key: Bytes): Maybe<boolean> {
  const { bucket, key: k } = node.place(key);
  return unless(() => then(node.run(deleteOp(bucket, k)), (v) => v !== undefined), noBucket, false);
}

const count = (found: unknown): Bytes => integer((found as boolean[]).filter(Boolean).length);
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
    const delta = by(a);
    return checked(s.node, [a[1] as Bytes], () => onKey(s.node, 'incrby', a[1] as Bytes, delta));
  };
}

/** SET's options: NX or XX, GET; EX/PX/KEEPTTL need expiry, which kvmesh does not have. */
function setMode(args: readonly Bytes[]): { mode: string; get: boolean } {
  let mode = '';
  let wantsGet = false;
  for (let i = 3; i < args.length; i++) {
    const o = (args[i] as Bytes).toUpperCase();
    if ((o === 'NX' || o === 'XX') && mode === '') mode = o;
    else if (o === 'GET' && !wantsGet) wantsGet = true;
    else if (['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL'].includes(o)) throw new RespError('ERR', `SET ${o} is not supported: kvmesh keys do not expire`);
    else throw syntaxError();
  }
  return { mode, get: wantsGet };
}

/** A hash command: its bucket is the hash's name (routed by it, cluster mode included). */
function hash(s: RespSession, a: readonly Bytes[], run: (bucket: Bytes) => unknown): unknown {
  const bucket = a[1] as Bytes;
  return checked(s.node, [bucket], () => run(bucket));
}

const keysOf = (a: readonly Bytes[]): readonly Bytes[] => a.slice(1);

/** The data commands, by name in upper case. */
export const DATA_COMMANDS: Readonly<Record<string, Spec>> = {
  GET: {
    arity: 2,
    run: (s, a) =>
      checked(s.node, [a[1] as Bytes], () => {
        const { bucket, key } = s.node.place(a[1] as Bytes);
        return s.node.run(getOp(bucket, key));
      }),
    reply: (v, ver) => bulkOrNil(v as Bytes | undefined, ver),
    recover: nilOnNoBucket,
  },
  SET: {
    arity: -3,
    run: (s, a) => {
      const key = a[1] as Bytes;
      if (a.length === 3) return checked(s.node, [key], () => put(s.node, key, a[2] as Bytes));
      const { mode, get: wantsGet } = setMode(a);
      return then(
        checked(s.node, [key], () => onKey(s.node, 'set', key, a[2] as Bytes, mode)),
        (v) => {
          const [done, old] = v as [boolean, Bytes | undefined];
          return wantsGet ? bulkOrNil(old, s.version) : done ? OK : nil(s.version);
        },
      );
    },
    // A plain SET gives nothing; one with options, its reply.
    reply: (v) => (typeof v === 'string' ? v : OK),
  },
  MGET: { arity: -2, run: (s, a) => checked(s.node, keysOf(a), () => all(keysOf(a).map((k) => get(s.node, k)))), reply: (v, ver) => bulkArray(v as (Bytes | undefined)[], ver) },
  MSET: {
    arity: -3,
    run: (s, a) => {
      if (a.length % 2 !== 1) throw wrongArity(a[0] as Bytes);
      const keys = a.filter((_, i) => i % 2 === 1);
      return then(
        checked(s.node, keys, () => all(keys.map((k, i) => put(s.node, k, a[2 * i + 2] as Bytes)))),
        () => OK,
      );
    },
  },
  DEL: { arity: -2, run: (s, a) => checked(s.node, keysOf(a), () => all(keysOf(a).map((k) => del(s.node, k)))), reply: count },
  EXISTS: { arity: -2, run: (s, a) => checked(s.node, keysOf(a), () => all(keysOf(a).map((k) => then(get(s.node, k), (v) => v !== undefined)))), reply: count },
  INCR: { arity: 2, run: incr(() => '1'), reply: asInteger },
  DECR: { arity: 2, run: incr(() => '-1'), reply: asInteger },
  INCRBY: { arity: 3, run: incr((a) => amount(a[2] as Bytes, false)), reply: asInteger },
  DECRBY: { arity: 3, run: incr((a) => amount(a[2] as Bytes, true)), reply: asInteger },
  HSET: {
    arity: -4,
    run: (s, a) => {
      if (a.length % 2 !== 0) throw wrongArity(a[0] as Bytes);
      return hash(s, a, (b) => s.node.run(redisOp('hset', b, a.slice(2))));
    },
    reply: asInteger,
  },
  HGET: { arity: 3, run: (s, a) => hash(s, a, (b) => s.node.run(getOp(b, a[2] as Bytes))), reply: (v, ver) => bulkOrNil(v as Bytes | undefined, ver), recover: nilOnNoBucket },
  HEXISTS: { arity: 3, run: (s, a) => hash(s, a, (b) => s.node.run(getOp(b, a[2] as Bytes))), reply: (v) => integer(v === undefined ? 0 : 1), recover: (e) => (noBucket(e) ? integer(0) : undefined) },
  HDEL: { arity: -3, run: (s, a) => hash(s, a, (b) => s.node.run(redisOp('hdel', b, a.slice(2)))), reply: asInteger },
  HLEN: { arity: 2, run: (s, a) => hash(s, a, (b) => s.node.run(redisOp('hlen', b))), reply: asInteger },
  HGETALL: { arity: 2, run: (s, a) => hash(s, a, (b) => s.node.run(redisOp('hgetall', b))), reply: (v, ver) => flatMap(v as Bytes[], ver) },
  HKEYS: { arity: 2, run: (s, a) => hash(s, a, (b) => s.node.run(redisOp('hkeys', b))), reply: (v) => array((v as Bytes[]).map(bulk)) },
};
