/** A node's buckets: the registry and the four data ops, shared by single requests and packed batches. */
import { Registry, noBucket } from '../core/registry.js';
import type { Bucket } from '../core/registry.js';
import type { Bytes } from '../core/bytes.js';
import { Errors, stackless, toWire } from '../protocol/errors.js';
import { OpOfCode, SEP, errorField, valueField } from '../protocol/batch.js';

/** A data op by name. */
export type DataOp = 'create' | 'get' | 'put' | 'delete';


/** The buckets of one node. */
export class Storage {
  readonly registry = new Registry();
  readonly #node: string;
  readonly #enabled: boolean;

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
        return undefined;
      case 'get':
        return this.bucket(bucket).get(key);
      case 'put':
        this.bucket(bucket).put(key, value);
        return undefined;
      case 'delete':
        return this.bucket(bucket).delete(key);
    }
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

  /** Bucket and key counts. */
  counts(): { buckets: number; keys: number } {
    let keys = 0;
    const names = this.registry.names();
    for (const name of names) keys += this.registry.lookup(name)?.size ?? 0;
    return { buckets: names.length, keys };
  }
}
