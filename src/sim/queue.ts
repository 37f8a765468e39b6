/**
 * The simulation's event queue: a binary min-heap keyed by (virtual time, sequence). The
 * sequence is one counter for the whole queue, so events due at the same time run in the
 * order they were queued, and no two keys are ever equal.
 */

/** What the queue orders: `t` set by the caller, `seq` by `push`. */
export interface Keyed {
  t: number;
  seq: number;
}

function before(x: Keyed, y: Keyed): boolean {
  return x.t < y.t || (x.t === y.t && x.seq < y.seq);
}

/** A min-heap of items by (t, seq). */
export class EventQueue<E extends Keyed> {
  readonly #heap: E[] = [];
  #seq = 0;

  /** How many items are queued. */
  get size(): number {
    return this.#heap.length;
  }

  /** Queues `item` at its `t`, after every item already queued at that time. */
  push(item: E): void {
    item.seq = this.#seq++;
    const heap = this.#heap;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const up = (i - 1) >> 1;
      const parent = heap[up] as E;
      if (!before(item, parent)) break;
      heap[i] = parent;
      i = up;
    }
    heap[i] = item;
  }

  /** The first item, left in place. */
  peek(): E | undefined {
    return this.#heap[0];
  }

  /** Removes and returns the first item. */
  pop(): E | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    this.#siftDown(last, 0);
    return top;
  }

  #siftDown(item: E, from: number): void {
    const heap = this.#heap;
    const n = heap.length;
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = heap[l] as E;
      let at = l;
      if (r < n && before(heap[r] as E, child)) {
        child = heap[r] as E;
        at = r;
      }
      if (!before(child, item)) break;
      heap[i] = child;
      i = at;
    }
    heap[i] = item;
  }

  /** Removes every item `match` accepts; returns them in (t, seq) order. O(n). */
  remove(match: (item: E) => boolean): E[] {
    const kept: E[] = [];
    const removed: E[] = [];
    for (const item of this.#heap) (match(item) ? removed : kept).push(item);
    if (removed.length === 0) return removed;
    this.#heap.length = 0;
    for (const item of kept) this.#heap.push(item);
    for (let i = (kept.length >> 1) - 1; i >= 0; i--) this.#siftDown(this.#heap[i] as E, i);
    return removed.sort((x, y) => (before(x, y) ? -1 : 1));
  }

  /** Every queued item, in no particular order. */
  items(): readonly E[] {
    return this.#heap;
  }
}
