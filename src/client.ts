/**
 * KvClient: how an embedding app (and later the TCP server and the benchmarks) talks to the
 * cluster. Each call enters the cluster at one node, whose router takes it from there.
 */
import { receiveMessageOnPort } from 'node:worker_threads';
import { Endpoint } from './transport/endpoint.js';
import { portLink } from './transport/link.js';
import type { ClientAttachment, ClientNotice } from './protocol/messages.js';
import { fromBytes, toBytes } from './core/bytes.js';
import type { Bytes } from './core/bytes.js';
import { Errors, KvError, fromWire } from './protocol/errors.js';
import { MAX_BATCH, OpCode, packOp, readField } from './protocol/batch.js';
import { MAX_TIMEOUT_MS } from './core/config.js';

/** One op of `KvClient.batch`. */
export type BatchItem = { op: 'create'; bucket: string } | { op: 'get'; bucket: string; key: string } | { op: 'put'; bucket: string; key: string; value: string } | { op: 'delete'; bucket: string; key: string };

/** The result of one op of a batch: its value (undefined for none), or its error as a value. */
export type BatchResult = string | undefined | KvError;

/** Checks that `value` is a string, naming the argument otherwise. */
export function requireString(value: unknown, name: string, method: string): string {
  if (typeof value !== 'string') throw new TypeError(`${method}: ${name} must be a string, received ${value === null ? 'null' : typeof value}`);
  return value;
}

/** Checks a timeout in ms: a whole number from 1 to MAX_TIMEOUT_MS, naming the method, the argument and the value otherwise. */
export function requireTimeout(value: unknown, name: string, method: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    const got = typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
    throw new TypeError(`${method}: ${name} must be a positive number of ms, received ${got}`);
  }
  // Timers count whole ms (Node makes anything under 1 into 1), so 0.5 or 1e-9 would not mean what it says.
  if (!Number.isInteger(value)) throw new TypeError(`${method}: ${name} must be a whole number of ms (1 to ${MAX_TIMEOUT_MS}), received ${value}`);
  if (value > MAX_TIMEOUT_MS) throw new TypeError(`${method}: ${name} must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days), received ${value}`);
  return value;
}

/** Checks that an options argument is an object (or absent), naming it otherwise. */
export function requireOptions<T extends object>(value: T | undefined, method: string): Partial<T> {
  if (value === undefined) return {};
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime check for JavaScript callers the types do not bind
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`${method}: options must be an object, received ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

/** Checks module, function and args of a module/function/args call. */
export function requireMfa(mod: unknown, fun: unknown, args: unknown, method: string): void {
  requireString(mod, 'module', method);
  requireString(fun, 'function', method);
  if (!Array.isArray(args)) throw new TypeError(`${method}: args must be an array, received ${args === null ? 'null' : typeof args}`);
}

const decode = (value: unknown): string | undefined => (value === undefined ? undefined : fromBytes(value as Bytes));

/** A client entering the cluster at one node. Values are strings (UTF-8 on the wire). */
export class KvClient {
  /** The node requests enter the cluster at. */
  readonly via: string;
  readonly #endpoint: Endpoint;
  readonly #entry: number;
  readonly #timeout: number;
  readonly #onClose: (() => void) | undefined;
  readonly #nodes: readonly string[];

  private constructor(endpoint: Endpoint, entry: number, via: string, timeoutMs: number, onClose: (() => void) | undefined, nodes: readonly string[]) {
    this.#nodes = nodes;
    this.#endpoint = endpoint;
    this.#entry = entry;
    this.via = via;
    this.#timeout = timeoutMs;
    this.#onClose = onClose;
  }

  /**
   * @internal Made by `Cluster.client()` or `connectClient()`, left out of the published types (the
   * endpoint is internal); `onClose`: what closing the client ends (its own endpoint), if anything; `nodes`: for `enterAt`.
   */
  static create(endpoint: Endpoint, entry: number, via: string, timeoutMs: number, onClose?: () => void, nodes: readonly string[] = [via]): KvClient {
    return new KvClient(endpoint, entry, via, timeoutMs, onClose, nodes);
  }

  /** The endpoint's message counters (frames posted, messages carried), shared by clients on the same endpoint. */
  get counters(): { readonly frames: number; readonly messages: number } {
    return this.#endpoint.counters;
  }

  /** A client of the same thread (same endpoint and ports) entering the cluster at node `via`. */
  enterAt(via: string): KvClient {
    const entry = this.#nodes.indexOf(via);
    if (entry < 0) throw Errors.unknownNode(via, this.#nodes);
    return new KvClient(this.#endpoint, entry, via, this.#timeout, undefined, this.#nodes);
  }

  /** Closes a client made by `connectClient` (its requests in flight reject with KV_ERR_CLOSED); a no-op for `Cluster.client()`. Idempotent. */
  close(): void {
    this.#onClose?.();
  }

  /** Creates `bucket` on the node that owns it; idempotent (existing data is kept). */
  async create(bucket: string): Promise<void> {
    await this.#endpoint.request(this.#entry, { op: 'create', bucket: toBytes(requireString(bucket, 'bucket', 'create')) }, this.#timeout);
  }

  /** The value of `key` in `bucket`, or undefined. Rejects with KV_ERR_NO_BUCKET if the bucket does not exist. */
  get(bucket: string, key: string): Promise<string | undefined> {
    // Not async, and decoded by the endpoint as it resolves: one promise per call on the hot path.
    try {
      const b = toBytes(requireString(bucket, 'bucket', 'get'));
      return this.#endpoint.request(this.#entry, { op: 'get', bucket: b, key: toBytes(requireString(key, 'key', 'get')) }, this.#timeout, decode) as Promise<string | undefined>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Sets `key` to `value` in `bucket`. Rejects with KV_ERR_NO_BUCKET if the bucket does not exist (put never creates it). */
  put(bucket: string, key: string, value: string): Promise<void> {
    try {
      const b = toBytes(requireString(bucket, 'bucket', 'put'));
      // A put's reply value is always undefined: the request's own promise is the answer.
      return this.#endpoint.request(this.#entry, { op: 'put', bucket: b, key: toBytes(requireString(key, 'key', 'put')), value: toBytes(requireString(value, 'value', 'put')) }, this.#timeout) as Promise<void>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Removes `key` from `bucket` and returns its previous value, or undefined. */
  delete(bucket: string, key: string): Promise<string | undefined> {
    try {
      const b = toBytes(requireString(bucket, 'bucket', 'delete'));
      return this.#endpoint.request(this.#entry, { op: 'delete', bucket: b, key: toBytes(requireString(key, 'key', 'delete')) }, this.#timeout, decode) as Promise<string | undefined>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Runs many ops in one message (packed: one string for the whole batch). Each op is routed
   * by its bucket like a single op; results come back in order, and an op that failed (no
   * bucket, no route, timeout, node down) has its KvError as its result. Rejects only when the
   * client is closed, or with a TypeError/KV_ERR_BAD_ARGUMENT for malformed input.
   */
  async batch(ops: readonly BatchItem[]): Promise<BatchResult[]> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime check for JavaScript callers the types do not bind
    if (!Array.isArray(ops)) throw new TypeError(`batch: ops must be an array, received ${ops === null ? 'null' : typeof ops}`);
    if (ops.length === 0) return [];
    if (ops.length > MAX_BATCH) throw Errors.badArgument(`batch: at most ${MAX_BATCH} ops per batch, received ${ops.length}; split it`);
    let packed = '';
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i] as BatchItem;
      // Own keys only: 'constructor' or 'toString' must not pass for an op.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime check for JavaScript callers the types do not bind
      const code = o !== null && typeof o === 'object' && Object.hasOwn(OpCode, o.op) ? OpCode[o.op] : undefined;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above
      if (code === undefined) throw new TypeError(`batch: ops[${i}].op must be one of create, get, put, delete, received ${JSON.stringify(o?.op)}`);
      const bucket = toBytes(requireString(o.bucket, `ops[${i}].bucket`, 'batch'));
      const key = o.op === 'create' ? '' : toBytes(requireString(o.key, `ops[${i}].key`, 'batch'));
      const value = o.op === 'put' ? toBytes(requireString(o.value, `ops[${i}].value`, 'batch')) : '';
      packed = packOp(packed, code, bucket, key, value);
    }
    const fields = await this.#endpoint.requestBatch(this.#entry, packed, ops.length, this.#timeout);
    const results = new Array<BatchResult>(fields.length);
    // Ops lost with one node share one error field: one KvError for them all (an Error costs ~7 µs).
    const errors = new Map<string, KvError>();
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      const r = readField(field);
      if (!('error' in r)) results[i] = decode(r.value);
      else {
        let error = errors.get(field);
        if (error === undefined) errors.set(field, (error = fromWire(r.error)));
        results[i] = error;
      }
    }
    return results;
  }

  /** `KV.Router.route`: runs `mod.fun(...args)` on the node that owns `bucket`, routed from the entry node; its result is of type `T` as the caller says. */
  async route<T = unknown>(bucket: string, mod: string, fun: string, args: readonly unknown[] = []): Promise<T> {
    requireMfa(mod, fun, args, 'route');
    // Never mutated: the args are cloned as they are sent.
    return this.#endpoint.request(this.#entry, { op: 'apply', bucket: toBytes(requireString(bucket, 'bucket', 'route')), mod, fun, args: args as unknown[] }, this.#timeout) as Promise<T>;
  }
}

/**
 * A client in another thread, from the ports of `Cluster.attachClient()` (transferred here),
 * entering the cluster at node `via` (default: the first node). It stays linked across node
 * restarts: requests to or through a node that dies reject with KV_ERR_NODE_DOWN, and after
 * `nodeup` the restarted node is reachable again. Close it when done.
 */
export function connectClient(attachment: ClientAttachment, options: { via?: string } = {}): KvClient {
  const { index, nodes, ports, timeout, control } = attachment;
  let tables = new Map(Object.entries(attachment.tables));
  const notice = (n: ClientNotice): void => {
    if (n.type === 'down') endpoint.linkLost(n.index);
    else if (n.type === 'link') endpoint.attach(n.index, portLink(n.port));
    else tables = new Map(Object.entries(n.tables));
  };
  const endpoint: Endpoint = new Endpoint({
    self: index,
    onRequest: (req) => endpoint.fail(req, Errors.internal('a client runs no requests')),
    nameOf: (i) => nodes[i] ?? 'client',
    watchPorts: true,
    tables: () => tables,
    // A restarted node's port may be waiting in a notice not yet dispatched: read them now.
    beforeUnreachable: () => {
      for (let m = receiveMessageOnPort(control); m !== undefined; m = receiveMessageOnPort(control)) notice(m.message as ClientNotice);
    },
  });
  ports.forEach((port, i) => {
    if (port !== null) endpoint.attach(i, portLink(port));
  });
  control.on('message', notice);
  // The supervisor's channel must not keep this thread alive by itself.
  control.unref();
  const via: string = options.via ?? (nodes[0] as string);
  const entry = nodes.indexOf(via);
  if (entry < 0) throw Errors.unknownNode(via, nodes);
  return KvClient.create(
    endpoint,
    entry,
    via,
    timeout,
    () => {
      control.close();
      endpoint.close(Errors.clientClosed());
    },
    nodes,
  );
}
