/**
 * Requests waiting for a reply, by id. A slot array with a free list instead of a Map: at
 * hundreds of requests in flight a Map's rehashed tables outlive scavenges and are promoted,
 * and the old-space collections that follow cost the main thread more than the messages
 * (measured: 44 MB/s of promoted Map tables at 350k ops/s). Ids carry a sequence number, so
 * a late reply to a settled request never matches the request now in its slot.
 */
import { Errors } from '../protocol/errors.js';

/** The most requests one thread can have in flight (documented in the README). */
export const MAX_IN_FLIGHT = 2 ** 22;
const SLOTS = MAX_IN_FLIGHT;
/** Sequence numbers wrap here, so every id stays an exact integer (seq * SLOTS < 2^53). */
export const SEQ_WRAP = 2 ** 30;

/** Pending values by numeric id. */
export class PendingTable<T> {
  readonly #values: (T | undefined)[] = [];
  readonly #ids: number[] = [];
  readonly #free: number[] = [];
  readonly #limit: number;
  #seq: number;
  #size = 0;

  /** `firstSeq`: where the sequence starts (a test starts it near the wrap); `limit`: how many may be pending (at most MAX_IN_FLIGHT). */
  constructor(firstSeq = 1, limit = MAX_IN_FLIGHT) {
    this.#seq = firstSeq;
    this.#limit = Math.min(limit, SLOTS);
  }

  /** Stores `value` and returns its new id; KV_ERR_OVERLOADED when `limit` are pending already. */
  add(value: T): number {
    if (this.#size >= this.#limit) throw Errors.overloaded(this.#limit);
    const slot = this.#free.length > 0 ? (this.#free.pop() as number) : this.#values.length;
    const id = this.#seq * SLOTS + slot;
    this.#seq = this.#seq >= SEQ_WRAP ? 1 : this.#seq + 1;
    this.#values[slot] = value;
    this.#ids[slot] = id;
    this.#size++;
    return id;
  }

  /** The value of `id`, if still pending. */
  get(id: number): T | undefined {
    const slot = id % SLOTS;
    return this.#ids[slot] === id ? this.#values[slot] : undefined;
  }

  /** Forgets `id`; returns whether it was pending. */
  delete(id: number): boolean {
    const slot = id % SLOTS;
    if (this.#ids[slot] !== id) return false;
    this.#values[slot] = undefined;
    this.#ids[slot] = 0;
    this.#free.push(slot);
    this.#size--;
    return true;
  }

  /** How many are pending. */
  get size(): number {
    return this.#size;
  }

  /** Every pending [id, value], in slot order (safe to delete while iterating). */
  *[Symbol.iterator](): IterableIterator<[number, T]> {
    for (let slot = 0; slot < this.#values.length; slot++) {
      const value = this.#values[slot];
      if (value !== undefined) yield [this.#ids[slot] as number, value];
    }
  }
}
