/**
 * The keys and values of a bucket on its way to a new owner (`MoveItem`), packed in one string:
 * `<key length>:<key><value length>:<value>` per key, `-` for the value length of a deleted key. One
 * string crosses a thread as one copy, where an array of a million short strings costs a clone each.
 */
import type { Bytes } from './data.js';

/** Appends a key and its value (`null`: deleted) to a packed string. */
export function packEntry(packed: string, key: Bytes, value: Bytes | null): string {
  return value === null ? `${packed}${key.length}:${key}-` : `${packed}${key.length}:${key}${value.length}:${value}`;
}

/** Calls `fn` with each key and value (`null`: deleted) of a packed string, in order. */
export function forEachEntry(packed: string, fn: (key: Bytes, value: Bytes | null) => void): void {
  let i = 0;
  const field = (): Bytes => {
    const colon = packed.indexOf(':', i);
    const length = Number(packed.slice(i, colon));
    i = colon + 1 + length;
    return packed.slice(colon + 1, i);
  };
  while (i < packed.length) {
    const key = field();
    if (packed[i] === '-') {
      i++;
      fn(key, null);
    } else fn(key, field());
  }
}
