/**
 * Where a Redis string key lives in kvmesh: a (bucket, key) pair. Pure.
 *
 * Proxy mode (the default): split at the first `:`, so `user:42` is key `42` of bucket `user`
 * and `GET user:42` reads what `HSET user 42 …` and `KvClient.get('user', '42')` wrote. A key
 * without `:` (or starting with one) is itself a key of the default bucket.
 *
 * Cluster mode: a Redis Cluster client sends a key to the node that owns the key's slot
 * (CRC16 of the key, or of its hash tag), so the key's bucket must be in that same slot. The
 * proxy split is kept when the bucket part is in the key's slot, which it is whenever it holds
 * the key's hash tag (`{user}:42` → bucket `{user}`, key `42`); any other key is stored whole
 * in the bucket of its slot, named `{tag}` with the tag redis-benchmark picks for that slot
 * (slot 0: `{06S}`). Slots tables route a bucket by the slot of its name, so the node that owns
 * slot S owns every bucket a key of slot S maps to.
 */
import type { Bytes } from './bytes.js';
import { SLOTS, keySlot } from './slots.js';

/** A key's place in kvmesh. */
export interface Place {
  readonly bucket: Bytes;
  readonly key: Bytes;
}

/** The place of `key` in proxy mode. */
export function proxyPlace(key: Bytes, defaultBucket: Bytes): Place {
  const at = key.indexOf(':');
  return at > 0 ? { bucket: key.slice(0, at), key: key.slice(at + 1) } : { bucket: defaultBucket, key };
}

/** The place of `key` in cluster mode: its bucket is always in the key's slot. */
export function clusterPlace(key: Bytes): Place {
  const slot = keySlot(key);
  const at = key.indexOf(':');
  if (at > 0) {
    const bucket = key.slice(0, at);
    if (keySlot(bucket) === slot) return { bucket, key: key.slice(at + 1) };
  }
  return { bucket: slotBucket(slot), key };
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
let tags: string[] | undefined;

/** The bucket that holds the keys of slot `slot` that have no bucket of their own: `{tag}`, the first 1-3 character tag of that slot. */
export function slotBucket(slot: number): Bytes {
  tags ??= slotTags();
  return `{${tags[slot] as string}}`;
}

/** For each slot the first tag over [0-9A-Za-z] (shorter first, in alphabet order) that hashes to it, as redis-benchmark finds them (about 25 ms, once). */
function slotTags(): string[] {
  const found: string[] = new Array<string>(SLOTS);
  let count = 0;
  const visit = (tag: string): void => {
    const slot = keySlot(tag);
    if (found[slot] === undefined) {
      found[slot] = tag;
      count++;
    }
  };
  for (const a of ALPHABET) visit(a);
  for (const a of ALPHABET) for (const b of ALPHABET) visit(a + b);
  for (const a of ALPHABET) for (const b of ALPHABET) for (const c of ALPHABET) if (count < SLOTS) visit(a + b + c);
  return found;
}
