/**
 * Buckets and the per-node registry that names them (the guide's KV.Bucket and KV.Registry).
 * Pure data structures: the node wires them to its router.
 */
import type { Bytes } from './bytes.js';
import { quoteBytes } from './bytes.js';
import { Errors, KvError } from '../protocol/errors.js';

/** A key → value map. Once stopped, every use throws KV_ERR_NO_BUCKET, like a call to a dead pid. */
export class Bucket {
  readonly name: Bytes;
  #map: Map<Bytes, Bytes> | undefined = new Map();

  constructor(name: Bytes) {
    this.name = name;
  }

  /** The value of `key`, or undefined. */
  get(key: Bytes): Bytes | undefined {
    return this.#live().get(key);
  }

  /** Sets `key` to `value`, overwriting. */
  put(key: Bytes, value: Bytes): void {
    this.#live().set(key, value);
  }

  /** Removes `key` and returns its previous value (one atomic get-and-update). */
  delete(key: Bytes): Bytes | undefined {
    const map = this.#live();
    const previous = map.get(key);
    map.delete(key);
    return previous;
  }

  /** Every key, in insertion order. */
  keys(): Bytes[] {
    return [...this.#live().keys()];
  }

  /** Its keys and values, live: a key set after the iteration started may show, a removed one does not (a Map's iterator). */
  entries(): IterableIterator<[Bytes, Bytes]> {
    return this.#live().entries();
  }

  /** The number of keys. */
  get size(): number {
    return this.#live().size;
  }

  /** Ends the bucket; its data is gone. */
  stop(): void {
    this.#map = undefined;
  }

  #live(): Map<Bytes, Bytes> {
    if (this.#map === undefined) throw Errors.bucketStopped(quoteBytes(this.name));
    return this.#map;
  }
}

/** The per-node registry: bucket name → bucket. A stopped bucket is forgotten at once. */
export class Registry {
  readonly #buckets = new Map<Bytes, Bucket>();

  /** The bucket named `name`, creating it if needed (idempotent: existing data is kept). */
  create(name: Bytes): Bucket {
    let bucket = this.#buckets.get(name);
    if (bucket === undefined) {
      bucket = new Bucket(name);
      this.#buckets.set(name, bucket);
    }
    return bucket;
  }

  /** The bucket named `name`, or undefined. */
  lookup(name: Bytes): Bucket | undefined {
    return this.#buckets.get(name);
  }

  /** Stops the bucket named `name` and forgets it; returns whether it existed. */
  stop(name: Bytes): boolean {
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) return false;
    bucket.stop();
    this.#buckets.delete(name);
    return true;
  }

  /** The names of every live bucket. */
  names(): Bytes[] {
    return [...this.#buckets.keys()];
  }

  /** Stops every bucket (the node is going down). */
  clear(): void {
    for (const bucket of this.#buckets.values()) bucket.stop();
    this.#buckets.clear();
  }
}

/** The KV_ERR_NO_BUCKET error for a bucket that does not exist on `node`. */
export function noBucket(name: Bytes, node: string): KvError {
  return Errors.noBucket(quoteBytes(name), node);
}
