/** A node's buckets: the registry and the four data ops, shared by single requests and packed batches. */
import { Registry, noBucket } from '../core/registry.js';
import type { Bucket } from '../core/registry.js';
import type { Bytes } from '../core/bytes.js';
import { Errors, stackless, toWire } from '../protocol/errors.js';
import { OpOfCode, SEP, errorField, valueField } from '../protocol/batch.js';
import type { Inventory } from '../protocol/messages.js';

/** A data op by name. */
export type DataOp = 'create' | 'get' | 'put' | 'delete';

/** What changed in a bucket a move is copying, since it was last asked: the keys written, whether it was stopped. */
export interface Dirty {
  readonly keys: Set<Bytes>;
  dropped: boolean;
}

/** The buckets of one node. */
export class Storage {
  readonly registry = new Registry();
  readonly #node: string;
  readonly #enabled: boolean;
  /** While a move copies buckets away: which buckets it copies; their writes are noted in #dirty. */
  #tracked: ((bucket: Bytes) => boolean) | undefined;
  #dirty = new Map<Bytes, Dirty>();

  constructor(node: string, enabled: boolean) {
    this.#node = node;
    this.#enabled = enabled;
  }

  /** Runs one data op here: the value read or removed, or undefined. Throws KV_ERR_NO_BUCKET. */
  run(op: DataOp, bucket: Bytes, key: Bytes, value: Bytes): Bytes | undefined {
    switch (op) {
      case 'create':
        if (!this.#enabled) throw Errors.noStorage(this.#node);
        this.registry.create(bucket);
        if (this.#tracked !== undefined) this.#touch(bucket, undefined);
        return undefined;
      case 'get':
        return this.bucket(bucket).get(key);
      case 'put':
        this.bucket(bucket).put(key, value);
        if (this.#tracked !== undefined) this.#touch(bucket, key);
        return undefined;
      case 'delete': {
        const gone = this.bucket(bucket).delete(key);
        if (this.#tracked !== undefined) this.#touch(bucket, key);
        return gone;
      }
    }
  }

  /** Stops bucket `name` (`KV.Bucket.stop`); returns whether it existed. */
  stop(name: Bytes): boolean {
    const had = this.registry.stop(name);
    if (had && this.#tracked !== undefined && this.#tracked(name)) this.#note(name).dropped = true;
    return had;
  }

  /** Starts (or, with undefined, stops) noting the writes to the buckets `moving` says a move copies. */
  track(moving: ((bucket: Bytes) => boolean) | undefined): void {
    this.#tracked = moving;
    this.#dirty = new Map();
  }

  /** The writes noted since the last call. */
  takeDirty(): Map<Bytes, Dirty> {
    const dirty = this.#dirty;
    this.#dirty = new Map();
    return dirty;
  }

  #touch(bucket: Bytes, key: Bytes | undefined): void {
    if (!(this.#tracked as (bucket: Bytes) => boolean)(bucket)) return;
    const d = this.#note(bucket);
    if (key !== undefined) d.keys.add(key);
  }

  #note(bucket: Bytes): Dirty {
    let d = this.#dirty.get(bucket);
    if (d === undefined) this.#dirty.set(bucket, (d = { keys: new Set(), dropped: false }));
    return d;
  }

  /** Runs packed ops `from`..`to`-1 (fields as `unpackOps` gives them); one result field per op, joined. */
  runPacked(f: readonly string[], from: number, to: number): string {
    let out = '';
    for (let i = from; i < to; i++) {
      const head = f[3 * i] as string;
      let field: string;
      try {
        const op = Object.hasOwn(OpOfCode, head[0] ?? '') ? OpOfCode[head[0] as string] : undefined;
        if (op === undefined) throw Errors.badArgument(`unknown batch op code ${JSON.stringify(head[0] ?? '')}`);
        field = valueField(this.run(op, head.slice(1), f[3 * i + 1] as string, f[3 * i + 2] as string));
      } catch (e) {
        field = errorField(toWire(e));
      }
      out = i === from ? field : `${out}${SEP}${field}`;
    }
    return out;
  }

  /** The live bucket `name`, or KV_ERR_NO_BUCKET. */
  bucket(name: Bytes): Bucket {
    const bucket = this.registry.lookup(name);
    // No stack: a client reading an absent bucket in a loop (redis-benchmark's GET) makes one per request, and a stack costs ~7 µs.
    if (bucket === undefined) throw stackless(() => noBucket(name, this.#node));
    return bucket;
  }

  /** Every bucket with its keys and (when `withBytes`: it reads every key) its bytes, keys and values. */
  inventory(withBytes: boolean): Inventory {
    return this.registry.names().map((name) => {
      const bucket = this.registry.lookup(name);
      let bytes = 0;
      if (bucket !== undefined && withBytes) for (const [k, v] of bucket.entries()) bytes += k.length + v.length;
      return [name, bucket?.size ?? 0, bytes] as const;
    });
  }

  /** Bucket and key counts. */
  counts(): { buckets: number; keys: number } {
    let keys = 0;
    const names = this.registry.names();
    for (const name of names) keys += this.registry.lookup(name)?.size ?? 0;
    return { buckets: names.length, keys };
  }
}
