/**
 * KvClient: how an embedding app (and later the TCP server and the benchmarks) talks to the
 * cluster. Each call enters the cluster at one node, whose router takes it from there.
 */
import type { Endpoint } from './transport/endpoint.js';
import { fromBytes, toBytes } from './core/bytes.js';
import type { Bytes } from './core/bytes.js';

/** Checks that `value` is a string, naming the argument otherwise. */
export function requireString(value: unknown, name: string, method: string): string {
  if (typeof value !== 'string') throw new TypeError(`${method}: ${name} must be a string, received ${value === null ? 'null' : typeof value}`);
  return value;
}

/** The longest wait a timer can express (about 24.8 days); Node turns anything longer into 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Checks a timeout in ms: a positive finite number up to MAX_TIMEOUT_MS, naming the argument otherwise. */
export function requireTimeout(value: unknown, name: string, method: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    const got = typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
    throw new TypeError(`${method}: ${name} must be a positive number of ms, received ${got}`);
  }
  if (value > MAX_TIMEOUT_MS) throw new TypeError(`${method}: ${name} must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days), received ${value}`);
  return value;
}

/** Checks that an options argument is an object (or absent), naming it otherwise. */
export function requireOptions<T extends object>(value: T | undefined, method: string): Partial<T> {
  if (value === undefined) return {};
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

  /** Made by `Cluster.client()`. */
  constructor(endpoint: Endpoint, entry: number, via: string, timeoutMs: number) {
    this.#endpoint = endpoint;
    this.#entry = entry;
    this.via = via;
    this.#timeout = timeoutMs;
  }

  /** Creates `bucket` on the node that owns it; idempotent (existing data is kept). */
  async create(bucket: string): Promise<void> {
    await this.#endpoint.request(this.#entry, { op: 'create', bucket: toBytes(requireString(bucket, 'bucket', 'create')) }, this.#timeout);
  }

  /** The value of `key` in `bucket`, or undefined. Rejects with KV_ERR_NO_BUCKET if the bucket does not exist. */
  async get(bucket: string, key: string): Promise<string | undefined> {
    const b = toBytes(requireString(bucket, 'bucket', 'get'));
    return decode(await this.#endpoint.request(this.#entry, { op: 'get', bucket: b, key: toBytes(requireString(key, 'key', 'get')) }, this.#timeout));
  }

  /** Sets `key` to `value` in `bucket`. Rejects with KV_ERR_NO_BUCKET if the bucket does not exist (put never creates it). */
  async put(bucket: string, key: string, value: string): Promise<void> {
    const b = toBytes(requireString(bucket, 'bucket', 'put'));
    await this.#endpoint.request(this.#entry, { op: 'put', bucket: b, key: toBytes(requireString(key, 'key', 'put')), value: toBytes(requireString(value, 'value', 'put')) }, this.#timeout);
  }

  /** Removes `key` from `bucket` and returns its previous value, or undefined. */
  async delete(bucket: string, key: string): Promise<string | undefined> {
    const b = toBytes(requireString(bucket, 'bucket', 'delete'));
    return decode(await this.#endpoint.request(this.#entry, { op: 'delete', bucket: b, key: toBytes(requireString(key, 'key', 'delete')) }, this.#timeout));
  }

  /** `KV.Router.route`: runs `mod.fun(...args)` on the node that owns `bucket`, routed from the entry node. */
  async route(bucket: string, mod: string, fun: string, args: unknown[] = []): Promise<unknown> {
    requireMfa(mod, fun, args, 'route');
    return this.#endpoint.request(this.#entry, { op: 'apply', bucket: toBytes(requireString(bucket, 'bucket', 'route')), mod, fun, args }, this.#timeout);
  }
}
