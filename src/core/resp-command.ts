/**
 * The Redis commands kvmesh answers, as a table of specs, and the one step that turns a
 * request into an immediate reply or a pending one. A spec runs against a `RespSession` (the
 * connection's state and the node it enters at), which the server provides: the specs
 * themselves send nothing and touch no socket, so they are tested with a fake node. Pure.
 */
import type { Bytes } from './bytes.js';
import type { Op } from '../protocol/messages.js';
import type { Place } from './resp-keys.js';
import type { RespVersion } from './resp-reply.js';
import { RespError, errorReply, wrongArity } from './resp-errors.js';
import type { ClusterView } from './resp-cluster.js';

/** The node a RESP connection enters the cluster at, as the commands see it. */
export interface RespNode {
  /** The node's name. */
  readonly name: string;
  /** Redis Cluster mode (`MOVED`, `CLUSTER SLOTS`…). */
  readonly cluster: boolean;
  /** The address and port of this node's RESP server. */
  readonly host: string;
  port(): number;
  /**
   * Runs `op` through this node's router: its value now when this node keeps the bucket, else the
   * promise of it (forwarded). May throw (KV_ERR_NO_BUCKET…), now or later.
   */
  run(op: Op): unknown;
  /** Writes `value` at `key` of `bucket`, creating the bucket, in one step on its owner (at once when that is this node). */
  write(bucket: Bytes, key: Bytes, value: Bytes): unknown;
  /** Where a string key lives. */
  place(key: Bytes): Place;
  /** Clients connected to this RESP server. */
  clients(): number;
  /** The keys held by every node: `strict` rejects with a node's error, else the nodes that do not answer are left out. */
  keys(strict: boolean): Promise<number>;
  /** Which node owns each slot, and where each node serves RESP. */
  readonly view: ClusterView;
}

/** One connection's state. */
export interface RespSession {
  /** The protocol version replies are written in (`HELLO 3` switches to 3). */
  version: RespVersion;
  /** `CLIENT SETNAME`. */
  name: Bytes | undefined;
  /** `CLIENT SETINFO LIB-NAME` / `LIB-VER`. */
  lib: { name: Bytes; version: Bytes };
  readonly id: number;
  readonly node: RespNode;
  /** Ends the connection once the replies owed are written (`QUIT`). */
  quit(): void;
}

/** A command. */
export interface Spec {
  /** Redis's arity, counting the command's name: n exactly n arguments, -n at least n. */
  readonly arity: number;
  /** Runs: a value that `reply` encodes (the reply itself when there is no `reply`), now or as a promise. May throw (a `RespError`, a kvmesh error). */
  run(session: RespSession, args: readonly Bytes[]): unknown;
  reply?(value: unknown, version: RespVersion): Bytes;
  /** A failure that is an answer (a missing bucket is a missing key): its reply, else undefined. */
  recover?(error: unknown, version: RespVersion): Bytes | undefined;
}

/** A request whose reply is still to come. */
export interface Pending {
  readonly spec: Spec;
  readonly version: RespVersion;
  readonly promise: Promise<unknown>;
}

/** Redis's unknown-command error: the name and up to the first arguments as sent, 128 bytes each. */
export function unknownCommand(args: readonly Bytes[]): RespError {
  const rest = args
    .slice(1)
    .map((a) => `'${a.slice(0, 128)}'`)
    .join(' ');
  return new RespError('ERR', `unknown command '${(args[0] ?? '').slice(0, 128)}', with args beginning with: ${rest}`);
}

/** Runs request `args` with the table `specs` (names in upper case): the reply now (bytes), or a pending one. */
export function decode(specs: ReadonlyMap<string, Spec>, session: RespSession, args: readonly Bytes[]): Bytes | Pending {
  const name = args[0] as Bytes;
  const spec = specs.get(name) ?? specs.get(name.toUpperCase());
  if (spec === undefined) return errorReply(unknownCommand(args));
  if (spec.arity >= 0 ? args.length !== spec.arity : args.length < -spec.arity) return errorReply(wrongArity(name));
  // The version the request came in: HELLO's reply is in the version it switches to, and is made by HELLO itself.
  const version = session.version;
  try {
    const out = spec.run(session, args);
    if (out instanceof Promise) return { spec, version, promise: out };
    return spec.reply === undefined ? (out as Bytes) : spec.reply(out, version);
  } catch (e) {
    return spec.recover?.(e, version) ?? errorReply(e);
  }
}

/** The reply to a pending request that succeeded with `value`. */
export function encodeValue(pending: Pending, value: unknown): Bytes {
  return pending.spec.reply === undefined ? (value as Bytes) : pending.spec.reply(value, pending.version);
}

/** The reply to a pending request that failed with `error`. */
export function encodeFailure(pending: Pending, error: unknown): Bytes {
  return pending.spec.recover?.(error, pending.version) ?? errorReply(error);
}
